#!/usr/bin/perl
# A script that dies by SIGKILL inside an open transaction on SQLite (real DBI:
# its connection closes and the transaction rolls back). On the bridge the
# daemon sees the client's connection drop and its pid gone, rolls back the
# transaction and releases the handles; a second script started right after
# writes the same table and succeeds, and none of the first one's changes
# survive.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI;

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $db = "$work/killed.db";
BridgeTest::start_daemon();

{
    my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
    $dbh->do('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    $dbh->do("INSERT INTO t (id, v) VALUES (1, 'before')");
    $dbh->disconnect;
}

for my $mode ('AutoCommit => 0', 'begin_work') {
    my $begin = $mode eq 'begin_work' ? '$dbh->begin_work;' : '';
    my $ac = $mode eq 'begin_work' ? 1 : 0;
    my $victim = BridgeTest::write_file("$home/victim.pl", <<"EOS");
use strict; use warnings;
use DBI;
\$| = 1;
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1, PrintError => 0, AutoCommit => $ac });
$begin
\$dbh->do("INSERT INTO t (v) VALUES ('victim')") for 1 .. 5;
\$dbh->do("UPDATE t SET v = 'changed' WHERE id = 1");
my \$n = \$dbh->selectrow_array("SELECT count(*) FROM t WHERE v = 'victim'");
print "inside \$n\\n";
kill 'KILL', \$\$;
sleep 30;
print "not reached\\n";
EOS
    my ($out, $err, $rc) = BridgeTest::run_script($victim, {}, timeout => 60);
    like $out, qr/^inside 5$/m, "$mode: victim wrote inside its transaction" or diag $err;
    unlike $out, qr/not reached/, "$mode: victim killed itself";

    my $second = BridgeTest::write_file("$home/second.pl", <<"EOS");
use strict; use warnings;
use DBI;
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1, PrintError => 0 });
my \$rv = \$dbh->do("INSERT INTO t (v) VALUES ('second')");
my (\$victims) = \$dbh->selectrow_array("SELECT count(*) FROM t WHERE v = 'victim'");
my (\$v1) = \$dbh->selectrow_array('SELECT v FROM t WHERE id = 1');
\$dbh->disconnect;
print "rv=\$rv victims=\$victims v1=\$v1\\n";
EOS
    my ($out2, $err2, $rc2) = BridgeTest::run_script($second, {}, timeout => 90);
    is $rc2, 0, "$mode: second script succeeded" or diag $err2;
    like $out2, qr/^rv=1 victims=0 v1=before$/m, "$mode: it wrote the table and the victim's changes are gone" or diag $out2;
}

# the end state, seen from a fresh connection
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
is_deeply $dbh->selectcol_arrayref('SELECT v FROM t ORDER BY id'), [qw(before second second)], 'final table';
$dbh->disconnect;

done_testing;
