#!/usr/bin/perl
# A password never shows in clear: not in a failed connect's message (DBI quotes the DSN), not in
# the argv of a process-mode call (readable by every user), not in the state directory.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $secret = 'Pw-' . join('', map { ('a' .. 'z')[rand 26] } 1 .. 16);

# a CLI that records its argv, then runs the real one
my $argv_log = "$home/argv.log";
my $wrapper = BridgeTest::write_file("$home/cli.sh", <<"EOS");
#!/bin/sh
printf '%s\\n' "\$*" >> '$argv_log'
exec @{[ BridgeTest::cli() ]} "\$@"
EOS
chmod 0755, $wrapper;

my $code = <<'EOP';
use strict; use warnings; use DBI;
my ($db, $secret) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db;password=$secret", '', $secret, { RaiseError => 1, PrintError => 0, Password => $secret });
print "connected\n" if $dbh;
$dbh->do('CREATE TABLE t (x)');
eval { DBI->connect("dbi:NoSuchDriverXYZ:dbname=x;password=$secret", '', '', { RaiseError => 1, PrintError => 0 }) };
print "error: $@";
EOP
my $script = BridgeTest::write_file("$home/job.pl", $code);
my ($out, $err, $rc) = BridgeTest::run_script($script,
    { CPAN_BRIDGE_DAEMON => 0, CPAN_BRIDGE_CLI => $wrapper }, args => [ "$work/s.db", $secret ], timeout => 120);
like $out, qr/connected/, 'process-mode connect works' or diag "$out\n$err";
like $out, qr/error: .*password=\*\*\*/s, 'the failed connect quotes the DSN with its password masked';
unlike "$out$err", qr/\Q$secret\E/, 'the password is not in any message';

open my $fh, '<', $argv_log or die "no argv log: $!";
my $argv = do { local $/; <$fh> };
ok length $argv, 'process mode ran the CLI';
unlike $argv, qr/\Q$secret\E/, 'the password is not in any argv';

my $all = '';
for my $f (glob "$home/*") {
    next if $f eq $argv_log || $f =~ /\.(?:pl|sh)$/ || !-f $f;
    open my $in, '<:raw', $f or next;
    local $/;
    $all .= <$in> // '';
}
unlike $all, qr/\Q$secret\E/, 'the password is not in clear in the state directory';
done_testing;
