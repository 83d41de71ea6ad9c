#!/usr/bin/perl
# Origin: no single source -- the usual nightly-report shape: a
# while/fetchrow_array loop printing formatted columns with NULLs shown via
# "defined" (as in "Programming the Perl DBI", chapter 5, and the DBI POD's
# "Outline Usage"); the data source from the environment as DBI POD
# "connect" describes ("If $data_source is undefined or empty, the DBI will
# use the environment variable DBI_DSN") and as the book's ch04/error/ex1
# does by passing undef. Output: a CSV-ish extract (header from $sth->{NAME}) then a
# printf summary per region with subtotals and a grand total.
# Adapted: DBD::SQLite; the DSN from $DBI_DSN, else built from $ARGV[0] /
# $CORPUS_DB; the sales data is loaded first.
use strict;
use warnings;
use DBI;

my $file = shift || $ENV{CORPUS_DB} || 'sales.db';
$ENV{DBI_DSN} ||= "dbi:SQLite:dbname=$file";
my $dbh = DBI->connect(undef, undef, undef, { RaiseError => 1, AutoCommit => 1 });

$dbh->do(<<'SQL');
CREATE TABLE sales (
    sale_id   INTEGER PRIMARY KEY,
    region    VARCHAR(10),
    rep       VARCHAR(20),
    sold_on   DATE,
    amount    DECIMAL(10,2),
    discount  REAL
)
SQL
my $ins = $dbh->prepare('INSERT INTO sales (region, rep, sold_on, amount, discount) VALUES (?,?,?,?,?)');
$dbh->begin_work;
while (my $line = <DATA>) {
    chomp $line;
    next if $line =~ /^#/ || $line !~ /\S/;
    my @f = map { $_ eq '' ? undef : $_ } split /;/, $line, -1;
    $ins->execute(@f);
}
$dbh->commit;

# --- extract
my $sth = $dbh->prepare(q{
    SELECT sale_id, region, rep, sold_on, amount, discount
    FROM sales
    WHERE sold_on BETWEEN ? AND ?
    ORDER BY sold_on, sale_id
});
$sth->execute('2024-01-01', '2024-01-31');
print join(',', @{ $sth->{NAME_uc} }), "\n";
while (my @row = $sth->fetchrow_array) {
    print join(',', map { !defined $_ ? '' : /[,"]/ ? do { (my $q = $_) =~ s/"/""/g; qq{"$q"} } : $_ } @row), "\n";
}
printf "# %d rows extracted\n\n", $sth->rows;

# --- summary
my $sum = $dbh->prepare(q{
    SELECT region, rep, COUNT(*), SUM(amount), AVG(discount), MAX(amount)
    FROM sales
    GROUP BY region, rep
    ORDER BY region, rep
});
$sum->execute;
printf "%-8s %-12s %5s %12s %8s %10s\n", 'Region', 'Rep', 'Count', 'Total', 'AvgDisc', 'Largest';
print '-' x 60, "\n";
my ($last_region, $sub, $grand) = (undef, 0, 0);
while (my ($region, $rep, $count, $total, $avgdisc, $max) = $sum->fetchrow_array) {
    $region = '(none)' unless defined $region;
    if (defined $last_region && $region ne $last_region) {
        printf "%-8s %-12s %5s %12.2f\n", '', 'subtotal', '', $sub;
        $sub = 0;
    }
    printf "%-8s %-12s %5d %12.2f %8s %10s\n", $region, (defined $rep ? $rep : 'n/a'), $count,
        (defined $total ? $total : 0), (defined $avgdisc ? sprintf('%.3f', $avgdisc) : 'n/a'),
        (defined $max ? $max : 'n/a');
    $sub   += $total || 0;
    $grand += $total || 0;
    $last_region = $region;
}
printf "%-8s %-12s %5s %12.2f\n", '', 'subtotal', '', $sub;
print '=' x 60, "\n";
printf "%-8s %-12s %5s %12.2f\n", 'TOTAL', '', '', $grand;

my ($best_rep, $best_total) = $dbh->selectrow_array(
    'SELECT rep, SUM(amount) AS t FROM sales WHERE rep IS NOT NULL GROUP BY rep ORDER BY t DESC LIMIT 1');
print "Top rep: $best_rep ($best_total)\n";

$dbh->disconnect;

__DATA__
# region;rep;sold_on;amount;discount
North;Alice;2024-01-03;1200.50;0.05
North;Bob;2024-01-04;310;
South;Carol;2024-01-04;99.99;0.1
South;Carol;2024-01-17;1500;0.15
East;Dan, Jr.;2024-01-20;42.42;0
West;"Eve";2024-01-31;0.01;
North;Alice;2024-02-01;700;0.05
;;2024-01-15;5;
South;;2024-01-22;;0.2
