#!/usr/bin/perl
# DBI tracing, cancel and visit_handles on the bridge: level 0 (the default) answers as DBI does (the previous level, 0);
# a level that would print DBI's trace lines dies saying it is not supported, never a silent no-op.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI;

like $INC{'DBI.pm'}, qr{/perl/compat/DBI\.pm$}, 'DBI is the shim';
my $dbh = DBI->connect('dbi:SQLite:dbname=' . BridgeTest::work() . '/t.db', '', '', { RaiseError => 1, PrintError => 0 });
is(DBI->trace(0), 0, 'DBI->trace(0): the previous level, 0');
is($dbh->trace(0), 0, '$dbh->trace(0)');
is($dbh->trace, 0, '$dbh->trace() reads the level');
for my $level (1, 2, 'SQL', '1|SQL') {
    ok(!eval { $dbh->trace($level); 1 }, "\$dbh->trace('$level') dies");
    like($@, qr/^trace\(\Q$level\E\): DBI trace output is not supported by the bridge at \Q$0\E line/, '... saying so, at the caller');
}
ok(!eval { DBI->trace(1); 1 }, 'DBI->trace(1) dies');
like($@, qr/DBI->trace\(1\): DBI trace output is not supported/, '... saying so');
ok(!eval { $dbh->debug(1); 1 }, 'debug(1), the old name, dies too');
is($dbh->selectrow_array('SELECT 1'), 1, 'the handle still works');

# DBI_TRACE in the environment: the real DBI calls trace() with it as it loads
my $probe = q{use DBI; print "loaded\n"};
my $trace_file = BridgeTest::work() . '/dbitrace.log';
for my $v ('1', "2=$trace_file", 'SQL') {
    my ($out, $err, $rc) = BridgeTest::run_perl($probe, { DBI_TRACE => $v });
    isnt($rc, 0, "DBI_TRACE=$v: use DBI dies");
    like($err, qr/^DBI_TRACE=\Q$v\E: DBI trace output is not supported by the bridge/m, '... saying so');
    is($out, '', '... before the script runs');
}
for my $v ('0', '') {
    my ($out, $err, $rc) = BridgeTest::run_perl($probe, { DBI_TRACE => $v });
    is("$rc $out", "0 loaded\n", "DBI_TRACE='$v' (off): DBI loads") or diag $err;
}
ok(!-e $trace_file, 'no trace file was made');

# DBD::SQLite has no cancel: DBI answers undef without an error (checked against the real one below)
my $sth = $dbh->prepare('SELECT 1');
$sth->execute;
ok(!defined $sth->cancel, 'SQLite: cancel returns undef');
ok(!$sth->err, '... without an error');
if (BridgeTest::have_real_dbd_sqlite()) {
    my ($out) = BridgeTest::run_perl_real(q{use DBI; my $s = DBI->connect('dbi:SQLite::memory:')->prepare('SELECT 1'); $s->execute; my $r = $s->cancel; print defined $r ? "r=$r" : 'undef', ' ', $s->err // 'noerr'});
    is($out, 'undef noerr', 'the real DBD::SQLite answers the same');
}
ok(!eval { DBI->visit_handles(sub { 1 }); 1 }, 'DBI->visit_handles dies (no handle tree on the bridge)');
like($@, qr/^DBI->visit_handles is not supported by the bridge at \Q$0\E line/, '... saying so, at the caller');
done_testing;
