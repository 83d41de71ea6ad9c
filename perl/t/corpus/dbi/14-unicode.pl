#!/usr/bin/perl
# Origin: DBD::SQLite POD, "sqlite_unicode" ("If truthy ... strings coming
# from the database are decoded as UTF-8"; the connect attribute as used in
# e.g. MadMongers/04-2019-SQL-Tiny select.v1.pl: { sqlite_unicode => 1,
# AutoCommit => 1, PrintWarn => 1, PrintError => 0, RaiseError => 1,
# ShowErrorStatement => 1 }) and the usual "use utf8; binmode STDOUT,
# ':encoding(UTF-8)'" script; a second connection without the attribute
# gets the UTF-8 bytes, as older scripts that encode/decode themselves do.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a city table with names in
# several scripts.
use strict;
use warnings;
use utf8;
use DBI;
use Encode ();

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';

my $db = shift || $ENV{CORPUS_DB} || 'cities.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '',
    { sqlite_unicode => 1, AutoCommit => 1, PrintWarn => 1,
      PrintError => 0, RaiseError => 1, ShowErrorStatement => 1, })
    or die "failed to connect: " . DBI->errstr();

$dbh->do('CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, country TEXT, note TEXT)');
my $sth = $dbh->prepare('INSERT INTO city (name, country, note) VALUES (?, ?, ?)');
$sth->execute(@$_) for
    ['Zürich', 'Schweiz', 'Größte Stadt'],
    ['København', 'Danmark', undef],
    ['Москва', 'Россия', 'столица'],
    ['東京', '日本', '首都'],
    ['São Paulo', 'Brasil', 'maior cidade'],
    ['Reykjavík', 'Ísland', '🌋 volcanoes'];

my $rows = $dbh->selectall_arrayref('SELECT name, country, note, length(name) FROM city ORDER BY id');
for my $r (@$rows) {
    printf "%-12s %-10s chars=%d sqlite_length=%d note=%s\n",
        $r->[0], $r->[1], length($r->[0]), $r->[3], (defined $r->[2] ? $r->[2] : '-');
}

my ($found) = $dbh->selectrow_array('SELECT country FROM city WHERE name = ?', undef, 'Zürich');
print "Zürich is in $found\n";
my $like = $dbh->selectcol_arrayref(q{SELECT name FROM city WHERE name LIKE ? ORDER BY name}, undef, '%ø%');
print "LIKE %ø%: @$like\n";
my $upper = $dbh->selectrow_array('SELECT upper(name) FROM city WHERE id = 1');
print "SQLite upper(): $upper; Perl uc(): ", uc($rows->[0][0]), "\n";
my ($rev) = $dbh->selectrow_array('SELECT ? || ?', undef, 'Ω', 'mega');
print "concat: $rev (", length($rev), " chars)\n";

eval { $sth->execute('Zürich', 'Schweiz', 'again') };
print "duplicate: $@" if $@;

# hash keys and NAME with non-ASCII column aliases
my $h = $dbh->selectrow_hashref('SELECT name AS "städte", country AS "land" FROM city WHERE id = 4');
print join(', ', map { "$_=$h->{$_}" } sort keys %$h), "\n";
$dbh->disconnect;

# without sqlite_unicode: UTF-8 bytes come back, the script decodes them
my $raw = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1 });
my $bytes = $raw->selectcol_arrayref('SELECT name FROM city ORDER BY id');
for my $b (@$bytes) {
    my $chars = Encode::decode('UTF-8', $b);
    printf "bytes=%2d chars=%d %s\n", length($b), length($chars), $chars;
}
my $enc = Encode::encode('UTF-8', 'Genève');
$raw->do('INSERT INTO city (name, country) VALUES (?, ?)', undef, $enc, Encode::encode('UTF-8', 'Suisse'));
my ($n) = $raw->selectrow_array('SELECT COUNT(*) FROM city WHERE country = ?', undef, Encode::encode('UTF-8', 'Suisse'));
print "Suisse rows: $n\n";
$raw->disconnect;
