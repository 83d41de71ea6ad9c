#!/usr/bin/perl
# Net::SFTP::Foreign on the bridge with a 200 MiB file: put with the daemon SIGKILLed midway (no
# partial file at the target at any moment, the upload completes after the resend), get back,
# checksums equal, the script's memory bounded (the file is streamed in chunks, never whole).
# Then the predecessor's SFTPHelper on the same server: its return values and ls entries.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use SftpTest;
use Digest::SHA ();
BEGIN { BridgeTest::need_daemon() }

plan skip_all => 'no OpenSSH sshd (openssh-server)' unless SftpTest::available();
my $sshd = SftpTest::start();
SftpTest::reset_tree($sshd);
my $work = BridgeTest::work();
my $sd = $sshd->{dir};

# 200 MiB of varied bytes
my $big = "$work/big.bin";
{
    open my $f, '>:raw', $big or die;
    my $block = join '', map { pack 'N', ($_ * 2654435761) % 4294967296 } 1 .. 262144;    # 1 MiB
    for my $i (0 .. 199) { print $f substr($block, $i) . substr($block, 0, $i) or die }
    close $f or die;
}
my $want = Digest::SHA->new(256)->addfile($big)->hexdigest;

my $code = <<'EOP';
use strict; use warnings;
use Net::SFTP::Foreign;
use POSIX ();
my ($port, $sd, $work, $home) = @ARGV;
my $s = Net::SFTP::Foreign->new('127.0.0.1', port => $port, user => ($> == 0 ? 'nobody' : scalar getpwuid($>)),
    more => [-i => "$sd/user_key", -o => "UserKnownHostsFile=$sd/known_hosts"]);
$s->die_on_error('connect');
# a watcher: kills the daemon once a quarter of the file is up, and checks the target is never partial
my $root = "$sd/root";
my $watcher = fork // die;
if (!$watcher) {
    my ($killed, $partial) = (0, 0);
    for (1 .. 6000) {
        select undef, undef, undef, 0.01;
        $partial++ if -e "$root/big.bin" and -s "$root/big.bin" < 200 * 1048576;
        my ($tmp) = glob("$root/.big.bin.cb-*.tmp");
        if (!$killed and $tmp and (-s $tmp || 0) > 50 * 1048576) {
            open my $p, '<', "$home/daemon.pid" or next;
            my $pid = <$p>;
            $killed = kill 'KILL', 0 + $pid;
        }
        last if -e "$work/put.done";
    }
    open my $o, '>', "$work/watch.out"; print $o "killed=$killed partial=$partial\n"; close $o;
    POSIX::_exit(0);
}
my $ok = $s->put("$work/big.bin", 'big.bin', copy_time => 0);
open my $d, '>', "$work/put.done"; close $d;
waitpid $watcher, 0;
print 'put: ', ($ok ? 1 : 0), ' ', $s->error, "\n";
print 'get: ', ($s->get('big.bin', "$work/back.bin") ? 1 : 0), ' ', $s->error, "\n";
open my $st, '<', '/proc/self/status'; my ($hwm) = map { /VmHWM:\s+(\d+)/ ? $1 : () } <$st>;
print "hwm_kb: $hwm\n";
EOP
my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => [$sshd->{port}, $sd, $work, $BridgeTest::HOME], timeout => 120);
is($rc, 0, 'the 200 MiB script ran') or diag $err;
like($out, qr/^put: 1 0$/m, 'put returned true, no error');
like($out, qr/^get: 1 0$/m, 'get returned true, no error');
my $watch = BridgeTest::read_file("$work/watch.out");
like($watch, qr/killed=1/, 'the daemon was SIGKILLed during the upload');
like($watch, qr/partial=0/, 'never a partial file at the target');
is(Digest::SHA->new(256)->addfile("$sshd->{root}/big.bin")->hexdigest, $want, 'remote checksum');
is(Digest::SHA->new(256)->addfile("$work/back.bin")->hexdigest, $want, 'downloaded checksum');
my @names = map { s{.*/}{}r } glob("$sshd->{root}/.* $sshd->{root}/*");
is_deeply([grep { /\.tmp$|\.cb-/ } @names], [], 'no temporary file left');
ok((grep { $_ eq 'big.bin' } @names), 'the target is there');
my ($hwm) = $out =~ /hwm_kb: (\d+)/;
cmp_ok($hwm, '<', 100 * 1024, "the script's peak memory (${\ int(($hwm||0)/1024)} MiB) is far below the file's 200 MiB");
diag "200 MiB put+get through the shim: script peak RSS " . int(($hwm || 0) / 1024) . ' MiB';
unlink $big, "$work/back.bin", "$sshd->{root}/big.bin";

# --- SFTPHelper (the predecessor's API)
my $helper = <<'EOP';
use strict; use warnings;
use SFTPHelper;
my ($port, $sd, $work) = @ARGV;
my $user = $> == 0 ? 'nobody' : scalar getpwuid($>);
my $bad = SFTPHelper->new(host => '127.0.0.1', user => $user, port => 1, more => ['-o', "UserKnownHostsFile=$sd/known_hosts"]);
print 'bad: ', ref($bad), ' ', $bad->is_connected, ' ', ($bad->error =~ /^SFTP connection failed: / ? 'prefixed' : $bad->error), "\n";
eval { SFTPHelper->new(host => '127.0.0.1') }; print 'no user: ', ($@ =~ /user is required/ ? 'croaked' : "no: $@"), "\n";
my $s = SFTPHelper->new(host => '127.0.0.1', user => $user, port => $port, more => ['-i', "$sd/user_key", '-o', "UserKnownHostsFile=$sd/known_hosts"]);
print 'connected: ', $s->is_connected, "\n";
open my $f, '>', "$work/h.txt"; print $f "helper\n"; close $f;
print 'put: ', $s->put("$work/h.txt", 'h.txt'), "\n";
print 'put missing: ', $s->put("$work/none", 'x.txt'), ' ', ($s->error // ''), "\n";
print 'mkdir: ', $s->mkdir('sub'), ' again: ', $s->mkdir('sub'), "\n";
print 'setcwd: ', $s->setcwd('sub'), ' cwd ends: ', ($s->cwd =~ m{/sub$} ? 1 : 0), ' missing: ', $s->setcwd('nope'), "\n";
print 'put under cwd: ', $s->put("$work/h.txt", 'in.txt'), "\n";
my $ls = $s->ls;
print 'ls: ', join(',', map { "$_->{filename}:$_->{size}:$_->{is_dir}" } @$ls), "\n";
print 'ls regex: ', scalar(@{ $s->ls(qr/^in/) }), ' missing: ', scalar(@{ $s->ls('/nope') }), "\n";
print 'rename: ', $s->rename('in.txt', 'out.txt'), ' onto existing: ', $s->rename('out.txt', '../h.txt'), ' overwrite: ', $s->rename('out.txt', '../h.txt', overwrite => 1), "\n";
print 'get: ', $s->get('../h.txt', "$work/h.back"), ' remove: ', $s->remove('../h.txt'), ' again: ', $s->remove('../h.txt'), "\n";
print 'disconnect: ', $s->disconnect, ' connected: ', $s->is_connected, "\n";
EOP
($out, $err, $rc) = BridgeTest::run_perl($helper, { PERL5LIB => "$BridgeTest::LIB:$BridgeTest::TLIB" }, args => [$sshd->{port}, $sd, $work]);
is($rc, 0, 'SFTPHelper script ran with PERL5LIB=perl/lib only') or diag $err;
(my $exp = <<'EXP') =~ s/__WORK__/$work/;
bad: SFTPHelper 0 prefixed
no user: croaked
connected: 1
put: 1
put missing: 0 Unable to open local file '__WORK__/none': No such file or directory
mkdir: 1 again: 0
setcwd: 1 cwd ends: 1 missing: 0
put under cwd: 1
ls: in.txt:7:0
ls regex: 1 missing: 0
rename: 1 onto existing: 0 overwrite: 1
get: 1 remove: 1 again: 0
disconnect: 1 connected: 0
EXP
is($out, $exp, 'SFTPHelper: return values, errors, ls entries');
SftpTest::stop($sshd);
done_testing;
