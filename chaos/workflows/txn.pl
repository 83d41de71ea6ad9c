#!/usr/bin/perl
# A transactional job: AutoCommit off, inserts, updates, a read inside the transaction, commits.
# Usage: txn.pl DSN USER TABLE_PREFIX   (CHAOS_STOP_AFTER=k stops after the k-th commit: the
# runner records the database after each commit to judge an in-doubt outcome)
use strict;
use warnings;
use FindBin;
use DBI;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm');

my ($dsn, $user, $p) = @ARGV;
my $stop = $ENV{CHAOS_STOP_AFTER};
my $dbh = DBI->connect($dsn, $user, '', { RaiseError => 1, PrintError => 0, AutoCommit => 0 })
    or die "connect: $DBI::errstr\n";
my $commits = 0;
sub commit_step {
    my ($name) = @_;
    chaos_step("commit $name", sub { $dbh->commit });
    $commits++;
    print "committed $name\n";
    if (defined $stop && $commits >= $stop) { $dbh->disconnect; exit 0 }
}

# 1: open 40 accounts
my $ins = $dbh->prepare("INSERT INTO ${p}accounts (id, owner, balance) VALUES (?, ?, ?)");
$ins->execute($_, "owner $_", 100 * $_) for 1 .. 40;
commit_step('accounts');

# 2: 25 transfers, each two updates and a ledger row; a read inside the transaction
my $debit  = $dbh->prepare("UPDATE ${p}accounts SET balance = balance - ? WHERE id = ?");
my $credit = $dbh->prepare("UPDATE ${p}accounts SET balance = balance + ? WHERE id = ?");
my $led    = $dbh->prepare("INSERT INTO ${p}ledger (id, src, dst, amount) VALUES (?, ?, ?, ?)");
for my $t (1 .. 25) {
    my ($src, $dst, $amt) = (($t * 7) % 40 + 1, ($t * 11) % 40 + 1, 5 * $t);
    my $a = $debit->execute($amt, $src);
    my $b = $credit->execute($amt, $dst);
    die "transfer $t: rows $a/$b\n" unless $a == 1 && $b == 1;
    $led->execute($t, $src, $dst, $amt);
}
my ($sum) = $dbh->selectrow_array("SELECT SUM(balance) FROM ${p}accounts");
my ($cnt) = $dbh->selectrow_array("SELECT COUNT(*) FROM ${p}ledger");
print "in-transaction sum=$sum ledger=$cnt\n";
commit_step('transfers');

# 3: interest (not idempotent: done twice would show), a rollback, a delete
my $n = $dbh->do("UPDATE ${p}accounts SET balance = balance * 2 WHERE id % 5 = 0");
print "interest rows=$n\n";
$dbh->do("UPDATE ${p}accounts SET balance = 0");    # a mistake ...
$dbh->rollback;                                     # ... undone
$dbh->do("UPDATE ${p}accounts SET balance = balance * 2 WHERE id % 5 = 0");
my $d = $dbh->do("DELETE FROM ${p}ledger WHERE amount > ?", undef, 100);
print "deleted=$d\n";
commit_step('interest');

my $rows = $dbh->selectall_arrayref("SELECT id, balance FROM ${p}accounts ORDER BY id");
my $total = 0;
$total += $_->[1] for @$rows;
print "final accounts=", scalar(@$rows), " total=$total\n";
$dbh->disconnect;
exit 0;
