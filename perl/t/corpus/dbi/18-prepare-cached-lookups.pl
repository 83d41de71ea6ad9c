#!/usr/bin/perl
# Origin: DBI.pm POD, "prepare_cached" (the "sub insert_hash" example
# building an INSERT from a hash with prepare_cached and quote_identifier;
# the "still Active" warning when a cached SELECT was not fetched to the end
# or finished, and the $if_active = 1 / 3 arguments) and "connect_cached";
# the lookup-helper style of batch code (a sub that caches its statement and
# returns one value, called per input record), with $sth->{NUM_OF_PARAMS},
# $sth->{Statement}, $sth->{Active}, $dbh->{Active}, ping and $dbh->{Kids}.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a currency table filled by
# insert_hash and looked up per invoice.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'fx.db';
my $dsn = "dbi:SQLite:dbname=$db";

sub db { DBI->connect_cached($dsn, '', '', { RaiseError => 1, AutoCommit => 1 }) }

sub insert_hash {
    my ($table, $field_values) = @_;
    # sort to keep field order, and thus sql, stable for prepare_cached
    my @fields = sort keys %$field_values;
    my @values = @{$field_values}{@fields};
    my $sql = sprintf "insert into %s (%s) values (%s)",
        $table, join(",", @fields), join(",", ("?")x@fields);
    my $sth = db()->prepare_cached($sql);
    return $sth->execute(@values);
}

sub rate_for {
    my ($code) = @_;
    my $sth = db()->prepare_cached('SELECT rate FROM currency WHERE code = ?');
    $sth->execute($code);
    my ($rate) = $sth->fetchrow_array;   # one row wanted: no finish (a common slip)
    return $rate;
}

db()->do('CREATE TABLE currency (code CHAR(3) PRIMARY KEY, name TEXT, rate NUMERIC)');
db()->do('CREATE TABLE invoice (id INTEGER PRIMARY KEY, currency CHAR(3), amount NUMERIC)');
print "same handle from connect_cached: ", (db() == db() ? 'yes' : 'no'), "\n";

insert_hash(currency => { code => 'EUR', name => 'Euro', rate => 1 });
insert_hash(currency => { code => 'USD', name => 'US Dollar', rate => 0.92 });
insert_hash(currency => { code => 'GBP', name => 'Pound Sterling', rate => 1.17 });
insert_hash(currency => { code => 'JPY', rate => 0.0062, name => 'Yen' });
insert_hash(invoice => { currency => $_->[0], amount => $_->[1] })
    for ['USD', 100], ['GBP', 250.5], ['EUR', 80], ['CHF', 10], ['USD', 19.99];

my $inv = db()->prepare('SELECT id, currency, amount FROM invoice ORDER BY id');
print "NUM_OF_PARAMS=$inv->{NUM_OF_PARAMS} Statement=$inv->{Statement}\n";
$inv->execute;
my $total = 0;
while (my ($id, $cur, $amount) = $inv->fetchrow_array) {
    my $rate = rate_for($cur);
    if (!defined $rate) {
        warn "invoice $id: no rate for $cur, skipped\n";
        next;
    }
    my $eur = $amount * $rate;
    $total += $eur;
    printf "invoice %d: %8.2f %s = %8.2f EUR\n", $id, $amount, $cur, $eur;
}
printf "total: %.2f EUR\n", $total;

my $cached = db()->prepare_cached('SELECT rate FROM currency WHERE code = ?');
print "cached lookup still Active: ", ($cached->{Active} ? 'yes' : 'no'), "\n";
my $again = db()->prepare_cached('SELECT rate FROM currency WHERE code = ?', undef, 1);
print "with \$if_active = 1: same handle ", ($again == $cached ? 'yes' : 'no'), ", Active ", ($again->{Active} ? 'yes' : 'no'), "\n";
$again->execute('EUR');
my $fresh = db()->prepare_cached('SELECT rate FROM currency WHERE code = ?', undef, 3);
print "with \$if_active = 3: new handle ", ($fresh != $cached ? 'yes' : 'no'), "\n";
$again->finish;

my $dbh = db();
print "Active=", ($dbh->{Active} ? 1 : 0), " ping=", ($dbh->ping ? 1 : 0), " Kids=$dbh->{Kids} ActiveKids=$dbh->{ActiveKids}\n";
$dbh->disconnect;
print "after disconnect: Active=", ($dbh->{Active} ? 1 : 0), " ping=", ($dbh->ping ? 1 : 0), "\n";
my $new = db();
print "connect_cached after disconnect: new handle ", ($new != $dbh ? 'yes' : 'no'), "\n";
print "rate EUR: ", rate_for('EUR'), "\n";
$new->disconnect;
