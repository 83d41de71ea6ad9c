#!/usr/bin/perl
# Mail::Sender's typical jobs and its faults, against the SMTP sinks whose ports are given; run
# once with the real Mail::Sender 0.904 and once on the bridge (92-mail-sender.t compares).
use strict;
use warnings;
use Mail::Sender;
my %port = map { split /=/, $_, 2 } @ARGV;
chdir $port{dir} or die "$port{dir}: $!";
my $dir = '.';    # relative: the transcript must not name the checkout
$| = 1;

sub show {
    my ($what, $r, $s) = @_;
    my $err = $Mail::Sender::Error;
    $err = '(undef)' unless defined $err;
    my $code = ref $r ? 'ok' : defined $r ? $r : 'undef';
    my $em = $s && defined $s->{error_msg} ? $s->{error_msg} : '';
    s/\r/\\r/g, s/\n/\\n/g for $err, $em;
    print "$what: $code | $err | $em\n";
    if ($s && $s->{skipped_recipients}) {
        print "  skipped: ", join(', ', map { my $t = $s->{skipped_recipients}{$_}; $t =~ s/\r?\n/\\n/g; "$_ => $t" } sort keys %{ $s->{skipped_recipients} }), "\n";
    }
}

my %base = (smtp => '127.0.0.1', port => $port{main}, from => 'Report Bot <bot@example.test>', tls_allowed => 0);
my $s = Mail::Sender->new({%base});
print "new: ", ref($s), "\n";

show('MailMsg', $s->MailMsg({to => 'a@example.test, B <b@example.test>', subject => 'plain', msg => "Hello\n.dot line\nend\n"}), $s);
show('MailFile one', $s->MailFile({to => 'a@example.test', cc => 'c@example.test', bcc => 'hidden@example.test', subject => 'Daily report', msg => "See attached\n", file => "$dir/report.xlsx"}), $s);
show('MailFile several', $s->MailFile({to => ['a@example.test'], subject => 'two files', msg => "Two files\n", file => ["$dir/report.xlsx", "$dir/notes.txt"]}), $s);
show('MailFile missing', $s->MailFile({to => 'a@example.test', subject => 'x', msg => "x\n", file => "$dir/nope.xlsx"}), $s);
show('MailMsg no msg', $s->MailMsg({to => 'a@example.test', subject => 'x'}), $s);
show('MailMsg charset', $s->MailMsg({to => 'a@example.test', subject => "Bericht \x{fc}ber M\x{e4}rz", charset => 'UTF-8', encoding => 'Quoted-printable', msg => "Gr\x{fc}\x{df}e aus K\x{f6}ln\n"}), $s);

my $m = Mail::Sender->new({%base, to => 'a@example.test', subject => 'multipart', boundary => 'fixed=boundary', headers => "X-Job: nightly\nX-Run: 7\nDate: Tue, 1 Dec 2026 06:00:00 +0000", messageid => '<fixed-multipart@example.test>'});
show('OpenMultipart', $m->OpenMultipart({to => 'a@example.test', subject => 'multipart', multipart => 'related', messageid => '<fixed-multipart@example.test>'}), $m);
show('Body', $m->Body({charset => 'UTF-8', encoding => 'Base64', ctype => 'text/html', msg => "<p>body \x{e9}</p>\n"}), $m);
show('Part', $m->Part({description => 'csv', ctype => 'text/csv', encoding => 'Quoted-printable', disposition => 'attachment; filename="x.csv"', msg => "a;b\r\n1;2\r\n"}), $m);
show('Attach', $m->Attach({description => 'the workbook', ctype => 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', encoding => 'Base64', disposition => 'attachment; filename=*', file => "$dir/report.xlsx", content_id => '*'}), $m);
show('Close', $m->Close, $m);

my $o = Mail::Sender->new({%base});
show('Open', $o->Open({to => 'a@example.test', subject => 'lines', ctype => 'text/plain', encoding => '7bit', messageid => '<fixed-id@example.test>'}), $o);
$o->SendLine("line one");
$o->SendLine(".starts with a dot");
$o->SendEnc("encoded .dot\n");
$o->SendLineEx("ex line\n.dotted");
$o->Send("raw\r\n");
show('Close lines', $o->Close, $o);
print "message_response: ", ($o->{message_response} =~ /^250 / ? '250' : $o->{message_response}), "\n";

my $e = Mail::Sender->new({%base});
show('Open bad encoding', $e->Open({to => 'a@example.test', subject => 'x', encoding => 'rot13'}), $e);
show('Body singlepart', $e->Body({msg => 'x'}), $e);
my $nf = Mail::Sender->new({smtp => '127.0.0.1', port => $port{main}, tls_allowed => 0});
show('no from', $nf->MailMsg({to => 'a@example.test', msg => "x\n"}), $nf);
show('no to', Mail::Sender->new({%base})->MailMsg({msg => "x\n"}), undef);
show('host not found', Mail::Sender->new({%base, smtp => 'no-such-host.invalid'}), undef);

# the real module talks to the server in Open*: its errors come from there, skipped recipients are known there
my $ob = Mail::Sender->new({%base});
show('OpenMultipart rcpt 550', $ob->OpenMultipart({to => 'bad@example.test', subject => 'x'}), $ob);
show('Close after a refused Open', $ob->Close, $ob);
my $os = Mail::Sender->new({%base, skip_bad_recipients => 1});
show('Open skip_bad', $os->Open({to => 'a@example.test, bad@example.test', subject => 'skip at open'}), $os);
$os->SendLine('x');
show('Close skip_bad', $os->Close, $os);
show('Open refused', Mail::Sender->new({%base, port => $port{closed}})->Open({to => 'a@example.test'}), undef);

# faults
my $f = Mail::Sender->new({%base});
show('rcpt 550', $f->MailMsg({to => 'a@example.test, Bad Guy <bad@example.test>', subject => 'x', msg => "x\n"}), $f);
show('rcpt 450', $f->MailMsg({to => 'later@example.test', subject => 'x', msg => "x\n"}), $f);
my $k = Mail::Sender->new({%base, skip_bad_recipients => 1});
show('skip_bad', $k->MailMsg({to => 'a@example.test, bad@example.test', subject => 'skip', msg => "x\n"}), $k);
show('all bad', $k->MailMsg({to => 'bad@example.test', subject => 'x', msg => "x\n"}), $k);
show('refused', Mail::Sender->new({%base, port => $port{closed}})->MailMsg({to => 'a@example.test', msg => "x\n"}), undef);
my $u = Mail::Sender->new({%base, port => $port{closed}, on_errors => 'undef'});
show('on_errors undef', $u->MailMsg({to => 'a@example.test', msg => "x\n"}), $u);
my $d = Mail::Sender->new({%base, port => $port{closed}, on_errors => 'die'});
eval { $d->MailMsg({to => 'a@example.test', msg => "x\n"}) };
(my $died = $@) =~ s/\n/\\n/g;
print "on_errors die: $died\n";

my %auth = (%base, port => $port{auth});
for my $method (qw(LOGIN PLAIN CRAM-MD5)) {
    my $a = Mail::Sender->new({%auth, auth => $method, authid => 'alice', authpwd => 'Otter-Smtp-Secret-4471'});
    show("auth $method", $a->MailMsg({to => 'a@example.test', subject => "auth $method", msg => "x\n"}), $a);
}
my $w = Mail::Sender->new({%auth, auth => 'LOGIN', authid => 'alice', authpwd => 'wrong'});
show('auth wrong', $w->MailMsg({to => 'a@example.test', msg => "x\n"}), $w);
my $na = Mail::Sender->new({%auth});
show('auth missing', $na->MailMsg({to => 'a@example.test', msg => "x\n"}), $na);
my $ntls = Mail::Sender->new({%base, tls_required => 1});
show('tls_required', $ntls->MailMsg({to => 'a@example.test', msg => "x\n"}), $ntls);
my $r554 = Mail::Sender->new({%base, port => $port{reject}});
show('data 554', $r554->MailMsg({to => 'a@example.test', msg => "x\n"}), $r554);
my $m553 = Mail::Sender->new({%base, port => $port{mail553}});
show('mail 553', $m553->MailMsg({to => 'a@example.test', msg => "x\n"}), $m553);

# debug: the log file of the dialog, at each level
sub show_log {
    my ($what, $file) = @_;
    open my $f, '<:raw', $file or do { print "$what: no log\n"; return };
    local $/;
    my $t = <$f>;
    $t =~ s/^(<< Date: ).*\r\n/$1(date)\r\n/mg;
    $t =~ s/^(<< Message-ID: )<\d{8}_\d{6}_[^>]*>\r\n/$1(generated)\r\n/mg;
    $t =~ s/Message-Boundary-by-Mail-Sender-\d+/Message-Boundary-by-Mail-Sender-(time)/g;
    $t =~ s/^(<< \trunning on ).*\r\n/$1(host)\r\n/mg;
    $t =~ s/^(<< \tunder account ).*\r\n/$1(user)\r\n/mg;
    $t =~ s/^(>> 250[- ]).*\r\n/$1(ehlo)\r\n/m;    # the sink's EHLO line names the client's address
    $t =~ s/\r\n/\\r\\n\n/g;
    print "--- debug log $what\n$t";
    unlink $file;
}
my $dbg = Mail::Sender->new({%base, debug => "debug.log"});
show('debug MailMsg', $dbg->MailMsg({to => 'a@example.test', subject => 'debug', msg => "line\n.dot\n"}), $dbg);
show_log('level 4', 'debug.log');
for my $level (1, 2, 3) {
    my $l = Mail::Sender->new({%base, debug => "debug.log", debug_level => $level});
    show("debug level $level", $l->MailFile({to => 'a@example.test', subject => "level $level", msg => "body\n", file => "$dir/notes.txt", boundary => 'B'}), $l);
    show_log("level $level", 'debug.log');
}
my $dbad = Mail::Sender->new({%base, debug => "debug.log"});
show('debug rcpt 550', $dbad->MailMsg({to => 'bad@example.test', subject => 'x', msg => "x\n"}), $dbad);
show_log('rcpt 550', 'debug.log');
my $dref = Mail::Sender->new({%base, port => $port{closed}, debug => "debug.log"});
show('debug refused', $dref->MailMsg({to => 'a@example.test', msg => "x\n"}), $dref);
show_log('refused', 'debug.log');
