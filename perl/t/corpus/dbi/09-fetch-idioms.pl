#!/usr/bin/perl
# Origin: the fetch idioms of DBI.pm POD: fetchrow_hashref('NAME_lc') (also
# szabgab/slides perl-programming/examples/dbi/select_hashref.pl), the
# FetchHashKeyName connect attribute, fetchall_arrayref({}),
# fetchall_arrayref({ foo=>1, BAR=>1 }), fetchall_arrayref(\{ 0 => 'k',
# 1 => 'v' }), fetchall_arrayref([0, -1]), the batch loop with
# fetchall_arrayref(undef, $max_rows) "assumes RaiseError is enabled",
# fetchall_hashref($key_field) and with two key fields, selectall_hashref,
# selectall_arrayref with Slice => {} and with MaxRows, selectall_array,
# selectcol_arrayref with Columns => [1,2] ("my %hash = @$ary_ref"),
# selectrow_array in scalar context and dump_results.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; an emp/dept schema created
# here; hashes printed in sorted key order.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'emp.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 1, FetchHashKeyName => 'NAME_lc' });

$dbh->do('CREATE TABLE Emp (EmpNo INTEGER PRIMARY KEY, EName VARCHAR(20), Job VARCHAR(12), DeptNo INTEGER, Sal NUMERIC, Comm NUMERIC)');
$dbh->do('CREATE TABLE dept (deptno INTEGER PRIMARY KEY, dname VARCHAR(20), loc VARCHAR(20))');
my $ins = $dbh->prepare('INSERT INTO Emp VALUES (?, ?, ?, ?, ?, ?)');
$ins->execute(@$_) for
    [7369, 'SMITH', 'CLERK', 20, 800, undef],
    [7499, 'ALLEN', 'SALESMAN', 30, 1600, 300],
    [7521, 'WARD', 'SALESMAN', 30, 1250, 500],
    [7566, 'JONES', 'MANAGER', 20, 2975, undef],
    [7654, 'MARTIN', 'SALESMAN', 30, 1250, 1400],
    [7698, 'BLAKE', 'MANAGER', 30, 2850, undef],
    [7782, 'CLARK', 'MANAGER', 10, 2450, undef],
    [7839, 'KING', 'PRESIDENT', 10, 5000, undef],
    [7844, 'TURNER', 'SALESMAN', 30, 1500, 0];
$dbh->do('INSERT INTO dept VALUES (?, ?, ?)', undef, @$_)
    for [10, 'ACCOUNTING', 'NEW YORK'], [20, 'RESEARCH', 'DALLAS'], [30, 'SALES', 'CHICAGO'], [40, 'OPERATIONS', 'BOSTON'];

sub show { my $h = shift; join ', ', map { "$_=" . (defined $h->{$_} ? $h->{$_} : 'NULL') } sort keys %$h }

print "-- fetchrow_hashref (FetchHashKeyName NAME_lc)\n";
my $sth = $dbh->prepare('SELECT EmpNo, EName FROM Emp WHERE DeptNo = ? ORDER BY EmpNo');
$sth->execute(10);
while (my $h = $sth->fetchrow_hashref) {
    print show($h), "\n";
}
print "-- fetchrow_hashref('NAME_uc')\n";
$sth->execute(20);
while (my $h = $sth->fetchrow_hashref('NAME_uc')) {
    print "$h->{EMPNO} $h->{ENAME}\n";
}

print "-- fetchall_arrayref({})\n";
$sth = $dbh->prepare('SELECT EName, Job, Sal FROM Emp WHERE Job = ? ORDER BY EName');
$sth->execute('MANAGER');
print show($_), "\n" for @{ $sth->fetchall_arrayref({}) };

print "-- fetchall_arrayref({ ename => 1, SAL => 1 })\n";
$sth->execute('MANAGER');
print show($_), "\n" for @{ $sth->fetchall_arrayref({ ename => 1, SAL => 1 }) };

print "-- fetchall_arrayref(\\{ 0 => 'k', 1 => 'v' })\n";
$sth->execute('SALESMAN');
print show($_), "\n" for @{ $sth->fetchall_arrayref(\{ 0 => 'k', 1 => 'v' }) };

print "-- fetchall_arrayref([0, -1])\n";
$sth->execute('SALESMAN');
print join(' ', @$_), "\n" for @{ $sth->fetchall_arrayref([0, -1]) };

print "-- batches of 4\n";
$sth = $dbh->prepare('SELECT EmpNo, EName FROM Emp ORDER BY EmpNo');
$sth->execute;
my $rows = []; # cache for batches of rows
my $batches = 0;
while( my $row = ( shift(@$rows) || # get row from cache, or reload cache:
                   do { $batches++; shift(@{$rows=$sth->fetchall_arrayref(undef,4)||[]}) } )
) {
    print "$row->[0] $row->[1]\n";
}
print "batches fetched: $batches\n";

print "-- fetchall_hashref('empno')\n";
$sth = $dbh->prepare('SELECT EmpNo, EName, Comm FROM Emp WHERE DeptNo = 30');
$sth->execute;
my $by_no = $sth->fetchall_hashref('empno');
print "$_: ", show($by_no->{$_}), "\n" for sort keys %$by_no;

print "-- fetchall_hashref([qw(deptno job)])\n";
$sth = $dbh->prepare('SELECT DeptNo, Job, COUNT(*) AS n FROM Emp GROUP BY DeptNo, Job');
$sth->execute;
my $tree = $sth->fetchall_hashref([qw(deptno job)]);
for my $d (sort keys %$tree) {
    print "$d: ", join(', ', map { "$_ x $tree->{$d}{$_}{n}" } sort keys %{ $tree->{$d} }), "\n";
}

print "-- selectall_hashref\n";
my $depts = $dbh->selectall_hashref('SELECT deptno, dname, loc FROM dept', 'deptno');
print "$_ => $depts->{$_}{dname} ($depts->{$_}{loc})\n" for sort { $a <=> $b } keys %$depts;

print "-- selectall_arrayref Slice => {}\n";
my $emps = $dbh->selectall_arrayref(
    "SELECT ename FROM emp ORDER BY ename",
    { Slice => {} }
);
foreach my $emp ( @$emps ) {
    print "Employee: $emp->{ename}\n";
}

print "-- selectall_arrayref MaxRows => 3\n";
my $top = $dbh->selectall_arrayref('SELECT EName, Sal FROM Emp ORDER BY Sal DESC, EName', { MaxRows => 3 });
print "$_->[0] $_->[1]\n" for @$top;

print "-- selectall_array with bind values\n";
my @list = $dbh->selectall_array('SELECT EName FROM Emp WHERE Sal BETWEEN ? AND ? ORDER BY EName', undef, 1000, 2000);
print join(',', map { $_->[0] } @list), "\n";

print "-- selectcol_arrayref Columns => [1,2]\n";
my $ary_ref = $dbh->selectcol_arrayref("select deptno, dname from dept", { Columns=>[1,2] });
my %hash = @$ary_ref; # build hash from key-value pairs so $hash{$id} => name
print "$_ => $hash{$_}\n" for sort keys %hash;
my $names = $dbh->selectcol_arrayref('SELECT EName FROM Emp WHERE Comm IS NULL ORDER BY 1');
print "no commission: @$names\n";

print "-- selectrow_array in scalar context\n";
my $count = $dbh->selectrow_array('SELECT COUNT(*) FROM Emp');
my $max = $dbh->selectrow_array('SELECT MAX(Sal), MIN(Sal) FROM Emp');
print "count=$count max=$max\n";

print "-- dump_results\n";
$sth = $dbh->prepare('SELECT EmpNo, EName, Comm FROM Emp WHERE DeptNo = 30 ORDER BY EmpNo');
$sth->execute;
my $dumped = $sth->dump_results;
print "dump_results returned $dumped\n";

$dbh->disconnect;
