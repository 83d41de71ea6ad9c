#!/usr/bin/perl
# MailHelper (the predecessor's API) on the mail module: MailMsg, MailFile, the
# OpenMultipart/Attach/Body/Close chain against a real SMTP sink, and its error conventions
# (-1 and $MailHelper::Error, Close croaks), without the predecessor's defects.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
use MIME::Base64 ();
BEGIN { BridgeTest::need_daemon() }
use MailHelper;

my $sink = MailSink->start({ reject => { 'bad@example.test' => 550 } }, BridgeTest::repo());
my $work = BridgeTest::work();
BridgeTest::write_file("$work/report.bin", join '', map { chr($_ % 256) } 0 .. 70_000);

my $m = MailHelper->new(smtp => '127.0.0.1', port => $sink->port, from => 'Bot <bot@example.test>');
is($m->MailMsg({ to => 'a@example.test', subject => "Gr\x{fc}\x{df}e", msg => "line 1\nline 2\n" }), 1, 'MailMsg: 1');
is($m->MailFile({ to => ['a@example.test', 'b@example.test'], subject => 'file', msg => "attached\n", file => "$work/report.bin" }), 1, 'MailFile sends (the predecessor never did)');
my $r = $m->OpenMultipart({ to => 'c@example.test', subject => 'chain' })->Attach({ file => "$work/report.bin", description => 'report' })->Body({ msg => "body\n" })->Close;
isa_ok($r, 'MailHelper', 'Close returns the object');
my @msgs = $sink->messages;
is(scalar @msgs, 3, 'three messages');
is_deeply([map { join ',', @{ $_->{to} } } @msgs], ['a@example.test', 'a@example.test,b@example.test', 'c@example.test'], 'envelopes');
like($msgs[0]{data}, qr/^Subject: =\?UTF-8\?B\?R3LDvMOfZQ==\?=\r$/m, 'a non-ASCII subject is MIME-encoded');
like($msgs[0]{data}, qr/^Message-ID: <[0-9a-f]{20}\@mailhelper>\r$/m, 'a Message-ID derived from the request');
my ($b64) = $msgs[1]{data} =~ /filename="report\.bin"\r\n\r\n(.*?)\r\n--/s;
like($msgs[1]{data}, qr{^Content-Type: multipart/mixed; boundary="[^"]+"\r$}m, 'MailFile without OpenMultipart: multipart/mixed');
is(MIME::Base64::decode_base64($b64 // ''), join('', map { chr($_ % 256) } 0 .. 70_000), 'the attachment arrives byte for byte');

is($m->MailMsg({ to => 'bad@example.test', msg => "x\n" }), -1, 'a refused recipient: -1');
like($MailHelper::Error, qr/550/, '$MailHelper::Error has the server reply');
is(MailHelper->GetError, $MailHelper::Error, 'GetError as a class method');
is($m->MailFile({ to => 'a@example.test', msg => "x\n", file => "$work/none.bin" }), -1, 'a missing file: -1');
like($m->GetError, qr/not found/, 'GetError says so');
my $down = MailHelper->new(smtp => '127.0.0.1', port => MailSink::free_port(), from => 'bot@example.test');
eval { $down->OpenMultipart({ to => 'a@example.test' })->Body("x")->Close };
like($@, qr/^MailHelper: /, 'Close croaks when the server is down');
eval { $m->Attach({}) };
like($@, qr/file is required/, 'Attach without file croaks');
is(scalar(my @all = $sink->messages), 3, 'nothing more was delivered');
$sink->stop;
done_testing;
