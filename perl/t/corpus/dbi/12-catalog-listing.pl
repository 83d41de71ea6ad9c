#!/usr/bin/perl
# Origin: a "describe the schema" utility as written from the DBI.pm POD
# ("table_info": "then $sth->fetchall_arrayref or $sth->fetchall_hashref
# etc", the TABLE_TYPE filter "'TABLE','VIEW'"; "tables"; "column_info":
# COLUMN_NAME, TYPE_NAME, COLUMN_SIZE, NULLABLE/IS_NULLABLE, COLUMN_DEF,
# ORDINAL_POSITION; "primary_key") and DBD::SQLite POD "table_info" (schema
# 'main' and 'temp', LIKE patterns) and "primary_key, primary_key_info"
# (undef catalog). Such listings are common in migration and audit jobs.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a small schema with a view,
# a composite key and a temporary table is created first.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'schema.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });

$dbh->do($_) for
    q{CREATE TABLE customer (cust_id INTEGER PRIMARY KEY, name VARCHAR(60) NOT NULL, email TEXT UNIQUE, created DATE DEFAULT CURRENT_DATE)},
    q{CREATE TABLE order_line (order_no INTEGER NOT NULL, line_no INTEGER NOT NULL, sku CHAR(12), qty INT DEFAULT 1, price DECIMAL(10,2), PRIMARY KEY (order_no, line_no))},
    q{CREATE VIEW big_orders AS SELECT order_no, SUM(qty * price) AS total FROM order_line GROUP BY order_no HAVING total > 100},
    q{CREATE INDEX order_line_sku ON order_line (sku)},
    q{CREATE TEMP TABLE work_queue (id INTEGER PRIMARY KEY, payload BLOB)};

print "== tables and views (table_info, type 'TABLE','VIEW')\n";
my $sth = $dbh->table_info(undef, undef, '%', "'TABLE','VIEW'");
for my $t (sort { $a->{TABLE_SCHEM} cmp $b->{TABLE_SCHEM} || $a->{TABLE_NAME} cmp $b->{TABLE_NAME} }
           @{ $sth->fetchall_arrayref({}) }) {
    printf "%-6s %-12s %s\n", $t->{TABLE_SCHEM}, $t->{TABLE_NAME}, $t->{TABLE_TYPE};
}

print "== main tables only (table_info(undef, 'main', '%', 'TABLE'))\n";
$sth = $dbh->table_info(undef, 'main', '%', 'TABLE');
my @names;
while (my $row = $sth->fetchrow_hashref) {
    push @names, $row->{TABLE_NAME};
}
print join(', ', sort @names), "\n";

print "== names matching 'order%'\n";
$sth = $dbh->table_info(undef, undef, 'order%', undef);
print join(', ', sort map { "$_->[2] ($_->[3])" } @{ $sth->fetchall_arrayref }), "\n";

print "== tables()\n";
print "$_\n" for sort $dbh->tables(undef, undef, '%', 'TABLE');

for my $table (qw(customer order_line)) {
    print "== columns of $table\n";
    my $ci = $dbh->column_info(undef, undef, $table, '%');
    my $cols = $ci->fetchall_arrayref({});
    for my $c (sort { $a->{ORDINAL_POSITION} <=> $b->{ORDINAL_POSITION} } @$cols) {
        printf "%2d %-10s %-12s size=%-5s nullable=%s is_nullable=%-3s default=%s\n",
            $c->{ORDINAL_POSITION}, $c->{COLUMN_NAME}, $c->{TYPE_NAME},
            (defined $c->{COLUMN_SIZE} ? $c->{COLUMN_SIZE} : '-'),
            $c->{NULLABLE}, $c->{IS_NULLABLE},
            (defined $c->{COLUMN_DEF} ? $c->{COLUMN_DEF} : 'NULL');
    }
    my @pk = $dbh->primary_key(undef, undef, $table);
    print "primary key: @pk\n";
}

print "== primary_key_info(undef, 'temp', 'work_queue')\n";
$sth = $dbh->primary_key_info(undef, 'temp', 'work_queue');
while (my $r = $sth->fetchrow_hashref) {
    print "$r->{TABLE_SCHEM}.$r->{TABLE_NAME}: $r->{COLUMN_NAME} (seq $r->{KEY_SEQ})\n";
}

$dbh->disconnect;
