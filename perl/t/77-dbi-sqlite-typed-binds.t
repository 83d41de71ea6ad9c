#!/usr/bin/perl
# Values bound with an SQL type on SQLite, as DBD::SQLite binds them (its sqlite_type_from_odbc_type
# and sqlite_is_number): integer types as int64 when the text is an integer (exactly, past 2^53),
# float types as an integer or a float written as "%.Nf" writes it, a "datatype mismatch" warning
# (under PrintWarn) and text otherwise; SQL_BIT and binary types as blobs; NUMERIC, DECIMAL and
# VARCHAR as text. The same script runs on the bridge and on the real DBI + DBD::SQLite.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $script = <<'EOF_SCRIPT';
use strict; use warnings; use DBI qw(:sql_types);
$SIG{__WARN__} = sub { my $w = shift; $w =~ s/ at (\S+) line (\d+)\.\n//; print "WARN: $w (line $2)\n" };
my $dbh = DBI->connect('dbi:SQLite:dbname=:memory:', '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE t (k, a)');
my $sth = $dbh->prepare('INSERT INTO t VALUES (?, ?)');
my $k = 0;
for my $type (SQL_INTEGER, SQL_BIGINT, SQL_SMALLINT, SQL_TINYINT, SQL_BOOLEAN, SQL_BIT, SQL_DOUBLE, SQL_FLOAT, SQL_REAL,
              SQL_NUMERIC, SQL_DECIMAL, SQL_VARCHAR, SQL_BLOB) {
    for my $v ('12', ' 12', '-7', '+5', '1.5', '1.50', '0.1', '1e3', 'abc', '12 ', '9223372036854775807',
               '-9223372036854775808', '.5', '007', '123456789012345678') {
        $sth->bind_param(1, ++$k);
        $sth->bind_param(2, $v, $type);
        $sth->execute;
        my ($a, $t) = $dbh->selectrow_array('SELECT quote(a), typeof(a) FROM t WHERE k = ?', undef, $k);
        print "$type [$v] -> $t $a\n";
    }
}
$dbh->{PrintWarn} = 0;
$sth = $dbh->prepare('INSERT INTO t VALUES (?, ?)');
$sth->bind_param(1, 'quiet');
$sth->bind_param(2, 'abc', SQL_INTEGER);
$sth->execute;
print "PrintWarn off: ", $dbh->selectrow_array("SELECT typeof(a) FROM t WHERE k = 'quiet'"), "\n";
EOF_SCRIPT

my ($out, $err, $rc) = BridgeTest::run_perl($script);
is($rc, 0, 'the script runs on the bridge') or diag $err;
like($out, qr/^4 \[1\.5\] -> text '1\.5'$/m, 'SQL_INTEGER 1.5: text');
like($out, qr/^WARN: datatype mismatch: bind param \(1\) 1\.5 as integer \(line \d+\)$/m, '... with the warning, at the script line');
like($out, qr/^-5 \[9223372036854775807\] -> integer 9223372036854775807$/m, 'SQL_BIGINT past 2^53: exact');
like($out, qr/^8 \[1\.50\] -> real 1\.5$/m, 'SQL_DOUBLE 1.50: a float');
like($out, qr/^8 \[1e3\] -> text '1e3'$/m, 'SQL_DOUBLE 1e3: text (not written as %.Nf writes it)');
like($out, qr/^2 \[12\] -> text '12'$/m, 'SQL_NUMERIC: text');
like($out, qr/^-7 \[12\] -> blob X'3132'$/m, 'SQL_BIT: a blob');
like($out, qr/^PrintWarn off: text$/m, 'PrintWarn off: no warning, still text');
unlike($out, qr/WARN: .*abc as integer \(line \d+\)\nPrintWarn/, '... and no warning there');
SKIP: {
    skip 'the real DBD::SQLite is not installed', 1 unless BridgeTest::have_real_dbd_sqlite();
    my ($rout, $rerr, $rrc) = BridgeTest::run_perl_real($script);
    is("$rrc\n$out", "0\n$rout", 'the same output as the real DBI + DBD::SQLite, warnings included') or diag $rerr;
}
done_testing;
