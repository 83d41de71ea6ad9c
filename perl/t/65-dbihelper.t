#!/usr/bin/perl
# The predecessor's DBIHelper (PREDECESSOR_API.md 1.2) on the bridge, run as a
# migrated script would run it (PERL5LIB=perl/lib only): its observable
# behaviour where scripts depend on it (`!$dbh || $dbh == 1` and `$dbh == 1`
# failure checks, DBIHelper->errstr, $DBIHelper::errstr, the (\%attr, $dsn)
# argument order), DBI's behaviour everywhere else.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $db = "$work/helper.db";
BridgeTest::start_daemon();

my ($out, $err, $rc) = BridgeTest::run_perl(<<"EOS", { PERL5LIB => "$BridgeTest::TLIB:$BridgeTest::LIB" });
use strict; use warnings;
use DBIHelper;
my \@w; \$SIG{__WARN__} = sub { push \@w, \$_[0] };
my \$dbh = DBIHelper->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 0, PrintError => 0 });
print "ok-connect\\n" unless !\$dbh || \$dbh == 1;
print "ref=", ref(\$dbh), " isa_db=", (\$dbh->isa('DBI::db') ? 1 : 0), "\\n";
print "create=", \$dbh->do('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)'), "\\n";
print "none=", \$dbh->do('DELETE FROM t WHERE id < 0'), "\\n";
my \$sth = \$dbh->prepare('INSERT INTO t (name) VALUES (?)');
print "sref=", ref(\$sth), " exec=", \$sth->execute('a'), "\\n";
my \$r = \$sth->execute('a');
print "dup=", (defined \$r ? \$r : 'undef'), " classerr=", (DBIHelper->errstr // 'undef'), " var=", (\$DBIHelper::errstr // 'undef'), "\\n";
my \$s = \$dbh->prepare('SELECT id, name FROM t');
\$s->execute;
my \$h = \$s->fetchrow_hashref;
print "row=\$h->{id}/\$h->{name}\\n";
my \$bad = DBIHelper->connect('dbi:SQLite:dbname=$work/no/such/x.db', '', '', { PrintError => 0 });
print "bad-or=", (!\$bad || \$bad == 1 ? 'failed' : 'ok'), " bad-eq=", (\$bad == 1 ? 'failed' : 'ok'),
      " bad-bool=", (\$bad ? 'true' : 'false'), " errstr=", (DBIHelper->errstr ? 'set' : 'unset'), "\\n";
my \$bad2 = DBIHelper->connect({ PrintError => 0 }, 'dbi:SQLite:dbname=$work/no/such/x.db', '', '');
print "attr-first=", (\$bad2 == 1 ? 'failed' : 'ok'), "\\n";
my \$ok2 = DBIHelper->connect({ PrintError => 0, RaiseError => 1 }, 'dbi:SQLite:dbname=$db', '', '');
print "attr-first-ok=", (ref \$ok2), " raise=", \$ok2->{RaiseError}, "\\n";
print "second-is-new=", (\$ok2 != \$dbh ? 1 : 0), "\\n";
print "warnings=", scalar(\@w), "\\n";
print "inc=\$INC{'DBI.pm'}\\n";
EOS
is $rc, 0, 'migrated script ran' or diag $err;
like $out, qr/^ok-connect$/m, '`!$dbh || $dbh == 1` passes for a good handle';
like $out, qr/^ref=DBIHelper isa_db=1$/m, 'handle class';
like $out, qr/^create=0E0$/m, 'do returns DBI values ("0E0", not the predecessor\'s 0)';
like $out, qr/^none=0E0$/m, 'zero rows: "0E0"';
like $out, qr/^sref=DBIHelper::StatementHandle exec=1$/m, 'statement handle class, execute';
like $out, qr/^dup=undef classerr=UNIQUE constraint failed: t\.name var=UNIQUE constraint failed: t\.name$/m,
    'DBIHelper->errstr and $DBIHelper::errstr follow the last failure';
like $out, qr{^row=1/a$}m, 'fetchrow_hashref';
like $out, qr/^bad-or=failed bad-eq=failed bad-bool=false errstr=set$/m, 'failed connect: false, == 1, errstr set';
like $out, qr/^attr-first=failed$/m, '(\%attr, $dsn) argument order';
like $out, qr/^attr-first-ok=DBIHelper raise=1$/m, '(\%attr, $dsn) with a good DSN';
like $out, qr/^second-is-new=1$/m, 'no connection singleton (a second connect is its own handle)';
like $out, qr/^warnings=0$/m, 'no warnings (no "uninitialized" from $dbh == 1)';
like $out, qr{^inc=\S+/CPANBridge/DBI\.pm$}m, 'DBI comes from the bridge';

done_testing;
