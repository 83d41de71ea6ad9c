#!/usr/bin/perl
# Net::SFTP::Foreign on the bridge against the real Net::SFTP::Foreign 1.93 on the same OpenSSH
# sshd (127.0.0.1, throwaway keys): perl/t/sftp/cases.pl runs with each; output lines (return
# values, error and status dualvars, croak texts, ssh's stderr lines), the remote tree and the
# local files must be the same.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use SftpTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Net::SFTP::Foreign 1.93; print 1;\n"))[0];
plan skip_all => 'the real Net::SFTP::Foreign is not installed (libnet-sftp-foreign-perl)' unless $real_ok;
plan skip_all => 'no OpenSSH sshd (openssh-server)' unless SftpTest::available();

my $sshd = SftpTest::start();
my $work = BridgeTest::work() . '/local';

# "cleanup NAME" warnings name the real module's random temporary file and its own source line
sub norm { my $s = shift; $s =~ s/^(warn: cleanup \S+?)(?:\(\d+\)\.tmp)? at \S+ line \d+\.$/$1/mg; $s }

sub run_one {
    my ($env) = @_;
    SftpTest::reset_tree($sshd);
    system('rm', '-rf', $work);
    mkdir $work or die "mkdir $work: $!";
    my @r = BridgeTest::run_script("$FindBin::Bin/sftp/cases.pl", $env, timeout => 120,
                                   args => [$sshd->{port}, $sshd->{dir}, $work]);
    return (@r, SftpTest::tree($sshd->{root}), SftpTest::tree($work));
}

my ($rout, $rerr, $rrc, $rtree, $rlocal) = run_one({ PERL5LIB => undef, PERL5OPT => undef });
my ($bout, $berr, $brc, $btree, $blocal) = run_one({});
is($brc, $rrc, 'exit code');
my @r = split /\n/, norm($rout);
my @b = split /\n/, norm($bout);
cmp_ok(scalar @r, '>', 100, 'the real module ran the cases');
is(scalar @b, scalar @r, 'as many lines as the real module');
my @diff = grep { ($r[$_] // '') ne ($b[$_] // '') } 0 .. $#r;
is(scalar @diff, 0, 'every line equal') or diag(join "\n", map { "real:   $r[$_]\nbridge: " . ($b[$_] // '(none)') } @diff);
# ssh's stderr lines come from a child process in the real module: compare them as a set
{
    my (%r, %b);
    # ssh ends its lines with \r\n when it writes them itself
    $r{$_}++ for split /\r?\n/, $rerr;
    $b{$_}++ for split /\r?\n/, $berr;
    my @only = ((map { "real only: $_" } grep { ($r{$_} || 0) != ($b{$_} || 0) } sort keys %r),
                (map { "bridge only: $_" } grep { !exists $r{$_} } sort keys %b));
    diag explain [$rerr, $berr] if @only;
    is(scalar @only, 0, 'stderr: the same lines (ssh messages, warnings)') or diag join "\n", @only;
}
is_deeply($btree, $rtree, 'remote tree (names, types, modes, sizes, checksums)') or diag explain [$rtree, $btree];
is_deeply($blocal, $rlocal, 'local files');
diag 'fidelity: ' . (scalar(@r) - scalar(@diff)) . ' of ' . scalar(@r) . ' lines equal';

SftpTest::stop($sshd);
done_testing;
