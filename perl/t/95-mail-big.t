#!/usr/bin/perl
# A 20 MiB attachment through Mail::Sender's MailFile on the bridge: it arrives whole (the sink's
# copy decodes to the file's bytes), and memory stays bounded on both sides (the script streams
# the file in chunks, the daemon spools it to disk): peak resident sizes measured from /proc.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
use MIME::Base64 ();
use Digest::SHA ();
BEGIN { BridgeTest::need_daemon() }
plan skip_all => 'needs /proc' unless -r '/proc/self/status';

my $work = BridgeTest::work();
my $file = "$work/big.bin";
open my $f, '>:raw', $file or die;
my $block = join '', map { chr(($_ * 31 + 7) % 256) } 0 .. 65535;
print $f $block for 1 .. 320;    # 20 MiB
close $f;
my $sha = Digest::SHA->new(256)->addfile($file, 'b')->hexdigest;

my $sink = MailSink->start({}, BridgeTest::repo());
my $code = <<'EOP';
use strict; use warnings; use Mail::Sender;
my ($port, $file) = @ARGV;
my $s = Mail::Sender->new({ smtp => '127.0.0.1', port => $port, from => 'bot@example.test', tls_allowed => 0 });
my $r = $s->MailFile({ to => 'a@example.test', subject => 'big', msg => "20 MiB attached\n", file => $file });
open my $st, '<', '/proc/self/status'; my ($hwm) = map { /^VmHWM:\s+(\d+)/ ? $1 : () } <$st>;
print ref $r ? "ok" : "failed $r $Mail::Sender::Error", " $hwm ", CPANBridge::daemon_pid() // 0, "\n";
EOP
my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => [$sink->port, $file], timeout => 120);
my ($status, $script_kb, $dpid) = split ' ', $out // '';
is($status, 'ok', 'MailFile with a 20 MiB attachment') or diag $err;
my @m = $sink->messages;
is(scalar @m, 1, 'one message');
my ($b64) = $m[0]{data} =~ /Content-Disposition: attachment; filename="big\.bin"\r\n\r\n(.*?)\r\n--/s;
is(Digest::SHA::sha256_hex(MIME::Base64::decode_base64($b64 // '')), $sha, 'the attachment arrives byte for byte');
cmp_ok($script_kb, '<', 80 * 1024, "the script's peak resident size stays under 80 MiB ($script_kb KiB)");
SKIP: {
    skip 'no daemon pid', 1 unless $dpid and -r "/proc/$dpid/status";
    open my $st, '<', "/proc/$dpid/status" or die;
    my ($hwm) = map { /^VmHWM:\s+(\d+)/ ? $1 : () } <$st>;
    cmp_ok($hwm, '<', 150 * 1024, "the daemon's peak resident size stays under 150 MiB ($hwm KiB; the message is 27 MiB encoded)");
}
$sink->stop;
done_testing;
