#!/usr/bin/perl
# Email::Sender's typical jobs and faults against the SMTP sinks whose ports are given; run once
# with the real Email::Sender 2.600 and once on the bridge (94-email-sender.t compares).
use strict;
use warnings;
use Email::Simple;
use Email::Sender::Simple qw(sendmail try_to_sendmail);
use Email::Sender::Transport::SMTP;
my %port = map { split /=/, $_, 2 } @ARGV;
$| = 1;
sub email {
    my (%h) = @_;
    my $body = delete $h{body} // "Hello,\n.a dot line\nbye\n";
    Email::Simple->create(header => [From => 'Report Bot <bot@example.test>', To => 'a@example.test, B <b@example.test>',
        Subject => 'report', Date => 'Tue, 01 Dec 2026 06:00:00 +0000', 'Message-ID' => '<es-1@example.test>', %h], body => $body);
}
sub attempt {
    my ($what, $code) = @_;
    my $r = eval { $code->() };
    if (my $e = $@) {
        my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
        $m =~ s/\n\t.*//s;    # confess's stack
        $m =~ s/\n/\\n/g;
        $m =~ s/ at \S+ line \d+\.?(\\n)?$/ at (file)/;
        $m =~ s/HASH\(0x[0-9a-f]+\)/HASH(addr)/g;
        $m =~ s/port $port{closed}\b/port (closed)/g;
        my @classes = grep { ref $e && eval { $e->isa($_) } } qw(Email::Sender::Failure Email::Sender::Failure::Permanent Email::Sender::Failure::Temporary Email::Sender::Failure::Multi);
        my $code = ref $e && eval { $e->can('code') } ? ($e->code // 'undef') : '-';
        my @rcpt = ref $e && eval { $e->can('recipients') } ? $e->recipients : ();
        my @sub = ref $e && eval { $e->can('failures') } ? map { ($_->code // 'undef') . ' ' . join(',', $_->recipients) } $e->failures : ();
        print "$what: died: [@classes] code=$code message=$m rcpt=@rcpt", (@sub ? " failures=" . join(' | ', @sub) : ''), "\n";
        return;
    }
    my $m = ref $r && eval { $r->can('message') } ? $r->message : '';
    $m = defined $m ? $m : '';
    $m =~ s/queued as \d+/queued as N/;
    $m =~ s/\n/\\n/g;
    my $partial = ref $r && eval { $r->can('failure') } ? ' partial: ' . join(',', $r->failure->recipients) : '';
    print "$what: ", (defined $r ? (ref $r ? ref($r) =~ /Partial/ ? 'partial' : 'success' : $r) : 'undef'), " message=$m$partial\n";
}
my $smtp = Email::Sender::Transport::SMTP->new({ host => '127.0.0.1', port => $port{main}, timeout => 30 });
attempt('plain', sub { sendmail(email(), { transport => $smtp }) });
attempt('envelope', sub { sendmail(email(Cc => 'c@example.test'), { transport => $smtp, from => 'env@example.test', to => ['x@example.test', 'y@example.test'] }) });
attempt('string', sub { sendmail("From: s\@example.test\nTo: a\@example.test\nSubject: str\n\nline\n", { transport => $smtp }) });
attempt('rcpt 550', sub { sendmail(email(To => 'a@example.test, bad@example.test'), { transport => $smtp }) });
attempt('two bad', sub { sendmail(email(To => 'bad@example.test, later@example.test, a@example.test'), { transport => $smtp }) });
attempt('all bad', sub { sendmail(email(To => 'bad@example.test, later@example.test'), { transport => $smtp }) });
attempt('try_to_sendmail bad', sub { try_to_sendmail(email(To => 'bad@example.test'), { transport => $smtp }) });
my $partial = Email::Sender::Transport::SMTP->new({ host => '127.0.0.1', port => $port{main}, allow_partial_success => 1 });
attempt('partial through Simple', sub { sendmail(email(To => 'a@example.test, bad@example.test'), { transport => $partial }) });
attempt('partial', sub { $partial->send(email(To => 'a@example.test, bad@example.test'), { from => 'bot@example.test', to => ['a@example.test', 'bad@example.test'] }) });
attempt('partial all bad', sub { $partial->send(email(To => 'bad@example.test'), { from => 'bot@example.test', to => ['bad@example.test'] }) });
attempt('refused', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{closed}) }) });
attempt('try_to_sendmail refused', sub { try_to_sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{closed}) }) });
attempt('auth', sub { sendmail(email(Subject => 'auth'), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{auth}, sasl_username => 'alice', sasl_password => 'Otter-Smtp-Secret-4471') }) });
attempt('auth wrong', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{auth}, sasl_username => 'alice', sasl_password => 'wrong') }) });
attempt('auth missing', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{auth}) }) });
attempt('no password', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{auth}, sasl_username => 'alice') }) });
attempt('data 554', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{reject}) }) });
attempt('mail 553', sub { sendmail(email(), { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port{mail553}) }) });
attempt('host with port', sub { Email::Sender::Transport::SMTP->new(host => '127.0.0.1:25') });
attempt('no recipients', sub { sendmail(Email::Simple->create(header => [From => 'a@example.test'], body => "x\n"), { transport => $smtp }) });
{
    local $ENV{EMAIL_SENDER_TRANSPORT} = 'SMTP';
    local $ENV{EMAIL_SENDER_TRANSPORT_host} = '127.0.0.1';
    local $ENV{EMAIL_SENDER_TRANSPORT_port} = $port{main};
    Email::Sender::Simple->reset_default_transport;
    attempt('env transport', sub { sendmail(email(Subject => 'via env')) });
}
# Email::MIME messages (the real Email::MIME builds them on both sides; libemail-mime-perl)
if (eval { require Email::MIME; 1 }) {
    my @h = (From => 'Report Bot <bot@example.test>', To => 'a@example.test', Date => 'Tue, 01 Dec 2026 06:00:00 +0000');
    attempt('mime text', sub { sendmail(Email::MIME->create(header_str => [@h, Subject => "r\x{e9}sum\x{e9}", 'Message-ID' => '<em-1@example.test>'],
        attributes => { content_type => 'text/plain', charset => 'UTF-8', encoding => 'quoted-printable' }, body_str => "caf\x{e9} \x{2603}\n"), { transport => $smtp }) });
    my @parts = (Email::MIME->create(attributes => { content_type => 'text/plain', charset => 'UTF-8', encoding => '7bit' }, body_str => "see attached\n"),
                 Email::MIME->create(attributes => { content_type => 'application/octet-stream', encoding => 'base64', filename => 'data.bin', disposition => 'attachment', boundary => 'b-inner' },
                                     body => join('', map { chr } 0 .. 255)));
    attempt('mime multipart', sub { sendmail(Email::MIME->create(header_str => [@h, Subject => 'parts', 'Message-ID' => '<em-2@example.test>'],
        attributes => { content_type => 'multipart/mixed', boundary => 'b-outer' }, parts => \@parts), { transport => $smtp }) });
} else {
    print "Email::MIME: not installed\n";
}
