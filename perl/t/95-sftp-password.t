#!/usr/bin/perl
# Net::SFTP::Foreign password logins on the bridge against the real module on the same sshd: a
# login, a transfer over it, a wrong password and a user whose logins take keys only. The test
# sshd has a password user only when the tests run as root (they create it).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use SftpTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Net::SFTP::Foreign 1.93; use IO::Pty; print 1;\n"))[0];
plan skip_all => 'the real Net::SFTP::Foreign (with IO::Pty) is not installed (libnet-sftp-foreign-perl)' unless $real_ok;
plan skip_all => 'no OpenSSH sshd (openssh-server)' unless SftpTest::available();
plan skip_all => 'password logins need a user the tests create as root' unless $> == 0;

my $sshd = SftpTest::start();
my $info = do { open my $j, '<', "$sshd->{dir}/sshd.json" or die; local $/; <$j> };
my ($user) = $info =~ /"passwordUser":"([^"]+)"/ or BAIL_OUT("the test sshd has no password user: $info");
my ($password) = $info =~ /"password":"([^"]+)"/;
my @args = (args => [$sshd->{port}, $sshd->{dir}, $user, $password], timeout => 120);
my ($rout, $rerr, $rrc) = BridgeTest::run_script("$FindBin::Bin/sftp/password.pl", { PERL5LIB => undef, PERL5OPT => undef }, @args);
my ($bout, $berr, $brc) = BridgeTest::run_script("$FindBin::Bin/sftp/password.pl", {}, @args);
is $brc, $rrc, 'exit code';
like $rout, qr/^right password: error 0\|/m, 'the real module logged in with the password';
like $rout, qr/^get_content: by password$/m, 'and transferred over it';
is $bout, $rout, 'the bridge prints the same, line for line' or diag "real:\n$rout\nbridge:\n$bout\nstderr:\n$berr";
# ssh's own lines on stderr: the methods the server takes, as ssh prints them
my $lines = sub { join "\n", sort grep { /\S/ } split /\r?\n/, $_[0] };
is $lines->($berr), $lines->($rerr), "ssh's stderr lines";
unlike "$bout$berr", qr/\Q$password\E/, 'the password appears nowhere in the output';
SftpTest::stop($sshd);
done_testing;
