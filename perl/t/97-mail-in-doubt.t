#!/usr/bin/perl
# A message whose final "." reached the server but whose reply never came (the sink takes it and
# drops the connection): each shim reports it in doubt, with the Message-ID, and the bridge does
# not send it again.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
BEGIN { BridgeTest::need_daemon() }

my $sink = MailSink->start({ drop => 'after_dot' }, BridgeTest::repo());
my $code = <<'EOP';
use strict; use warnings;
use Mail::Sender; use MIME::Lite;
use Email::Sender::Simple qw(sendmail); use Email::Sender::Transport::SMTP;
my ($port) = @ARGV;
$SIG{PIPE} = 'IGNORE';
my $r = Mail::Sender->new({ smtp => '127.0.0.1', port => $port, from => 'bot@example.test', tls_allowed => 0 })
    ->MailMsg({ to => 'a@example.test', subject => 'ms', msg => "x\n", messageid => '<ms-1@example.test>' });
print "Mail::Sender: $r | $Mail::Sender::Error\n";
eval { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Subject => 'ml', Data => "x\n", 'Message-ID' => '<ml-1@example.test>')->send_by_smtp('127.0.0.1', Port => $port); 1 }
    or do { (my $e = $@) =~ s/\n/ /g; print "MIME::Lite: $e\n" };
eval { sendmail("From: bot\@example.test\nTo: a\@example.test\nMessage-ID: <es-1\@example.test>\n\nx\n",
    { transport => Email::Sender::Transport::SMTP->new(host => '127.0.0.1', port => $port) }); 1 }
    or do { (my $e = ref $@ ? $@->message : $@) =~ s/\n/ /g; print "Email::Sender: ", ref $@, " $e\n" };
EOP
my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => [$sink->port], timeout => 60);
is($rc, 0, 'the script ran') or diag $err;
like($out, qr/^Mail::Sender: -5 \| No response from server \(in doubt: the connection to 127\.0\.0\.1 was lost after the final "\." of <ms-1\@example\.test>/m, 'Mail::Sender: -5, in doubt, with the Message-ID');
like($out, qr/^MIME::Lite: Net::CMD \(Net::SMTP\) DATAEND command failed\. Last server message was:in doubt: .*<ml-1\@example\.test>/m, 'MIME::Lite dies at DATAEND, in doubt');
like($out, qr/^Email::Sender: Email::Sender::Failure error at after DATA: in doubt: .*<es-1\@example\.test>/m, 'Email::Sender: a Failure after DATA, in doubt');
my @m = $sink->messages;
is(scalar @m, 3, 'each message reached the server once, none was sent again');
$sink->stop;
done_testing;
