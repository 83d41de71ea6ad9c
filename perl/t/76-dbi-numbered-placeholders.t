#!/usr/bin/perl
# SQLite's numbered placeholders (?NNN): NUM_OF_PARAMS is the largest index, ?NNN is bind NNN
# wherever it appears (repeated, out of order, mixed with bare ?), byte strings bound to them are
# TEXT. The same script runs on the bridge and on the real DBI + DBD::SQLite; outputs compared.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $db = BridgeTest::work() . '/np.db';
my $script = <<"EOF_SCRIPT";
use strict; use warnings; use DBI;
unlink '$db';
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1, PrintError => 0 });
sub show { print join(',', map { defined \$_ ? \$_ : 'undef' } \@_), "\\n" }
for my \$sql ('SELECT ?1 + ?2 * 10, ?2', 'SELECT ?2, ?1', 'SELECT ?3', 'SELECT ?2, ?', 'SELECT ?, ?1', 'SELECT ?1 || ?1') {
    my \$sth = \$dbh->prepare(\$sql);
    my \$n = \$sth->{NUM_OF_PARAMS};
    \$sth->execute(map { \$_ * 3 } 1 .. \$n);
    show(\$sql, \$n, \$sth->fetchrow_array);
    \$sth->bind_param(\$_, "b\$_") for 1 .. \$n;
    \$sth->execute;
    show(\$sql, 'bound', \$sth->fetchrow_array);
    eval { \$sth->execute((1) x (\$n + 1)); 1 } or show(\$sql, 'extra', \$DBI::err ? 'err' : 'none');
}
\$dbh->do('CREATE TABLE b (x, y)');
\$dbh->do('INSERT INTO b VALUES (?2, ?1)', undef, "Zo\\xEB", 7);
show(\$dbh->selectrow_array('SELECT typeof(x), typeof(y), hex(y) FROM b'));
EOF_SCRIPT

my ($out, $err, $rc) = BridgeTest::run_perl($script);
is($rc, 0, 'the script runs on the bridge') or diag $err;
like($out, qr/^SELECT \?1 \+ \?2 \* 10, \?2,2,63,6$/m, '?1 + ?2 * 10, ?2: two binds, each where its number says');
like($out, qr/^SELECT \?3,3,9$/m, '?3 alone: three binds, the third used');
like($out, qr/^SELECT \?2, \?,3,6,9$/m, 'a bare ? after ?2 is ?3');
like($out, qr/^text,text,5A6FEB$/m, 'a byte string bound to ?1 is stored as TEXT with its bytes');
SKIP: {
    skip 'the real DBD::SQLite is not installed', 1 unless BridgeTest::have_real_dbd_sqlite();
    my ($rout, $rerr, $rrc) = BridgeTest::run_perl_real($script);
    is("$rrc\n$out", "0\n$rout", 'the same output as the real DBI + DBD::SQLite') or diag $rerr;
}
done_testing;
