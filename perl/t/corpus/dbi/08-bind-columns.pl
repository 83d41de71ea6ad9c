#!/usr/bin/perl
# Origin: "Programming the Perl DBI", chapter 5, "Binding Output Columns"
# (the megaliths / site_types join fetched into bound variables);
# DBI.pm POD, "bind_columns" (sales_by_region with \$region, \$sales and
# the \(...) form; binding to the values inside a hash,
# \( @row{ @{$sth->{NAME_lc} } } ) "thanks to H.Merijn Brand"; binding to the
# elements of an array); bind_col per column with fetchrow_arrayref in the
# loop (MadMongers/04-2019-SQL-Tiny select.v1.pl); and the old
# "bind_columns(undef, \$id, ...)" form of the inpics.net MySQL tutorial
# (presidents list, middle name printed only when set).
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; tables created here.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'bind.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, AutoCommit => 1 });

$dbh->do($_) for split /;\n/, <<'SQL';
CREATE TABLE site_types (id INTEGER PRIMARY KEY, site_type VARCHAR(32));
CREATE TABLE megaliths (id INTEGER PRIMARY KEY, name VARCHAR(64), location VARCHAR(64), site_type_id INTEGER);
CREATE TABLE sales_by_region (region VARCHAR(16), sales NUMERIC);
CREATE TABLE presidents (id INTEGER PRIMARY KEY, first VARCHAR(20), middle VARCHAR(20), last VARCHAR(20))
SQL
$dbh->do('INSERT INTO site_types VALUES (?, ?)', undef, @$_) for [1, 'Stone Circle'], [2, 'Long Barrow'], [3, 'Henge'];
$dbh->do('INSERT INTO megaliths (name, location, site_type_id) VALUES (?, ?, ?)', undef, @$_)
    for ['Stonehenge', 'Wiltshire', 3], ['West Kennet', 'Wiltshire', 2], ['Castlerigg', 'Cumbria', 1], ['Avebury', 'Wiltshire', 3];
$dbh->do('INSERT INTO sales_by_region VALUES (?, ?)', undef, @$_) for ['North', 1200.5], ['South', 980], ['East', 0], ['West', undef];
$dbh->do('INSERT INTO presidents (first, middle, last) VALUES (?, ?, ?)', undef, @$_)
    for ['George', undef, 'Washington'], ['John', undef, 'Adams'], ['John', 'Quincy', 'Adams'], ['Ulysses', 'S.', 'Grant'];

### Perl variables to store the field data in
my ( $name, $location, $type );

### Prepare and execute the SQL statement
my $sth = $dbh->prepare( "
            SELECT meg.name, meg.location, st.site_type
            FROM megaliths meg, site_types st
            WHERE meg.site_type_id = st.id
            ORDER BY meg.name
          " );
$sth->execute( );

### Associate Perl variables with each output column
$sth->bind_col( 1, \$name );
$sth->bind_col( 2, \$location );
$sth->bind_col( 3, \$type );

### Fetch the data from the result set
while ( $sth->fetch ) {
    print "$name lies in $location and is a $type\n";
}

# DBI POD: bind_columns after execute
$sth = $dbh->prepare(q{ SELECT region, sales FROM sales_by_region ORDER BY region });
$sth->execute;
my ($region, $sales);
my $rv = $sth->bind_columns(\$region, \$sales);
print "bind_columns returned $rv\n";
while ($sth->fetch) {
    print "$region: ", (defined $sales ? $sales : '(none)'), "\n";
}

# you can also use Perl's \(...) syntax, and re-execute with the same binding
$sth->bind_columns(\($region, $sales));
$sth->execute;
my $total = 0;
while ($sth->fetch) { $total += $sales || 0 }
print "total sales: $total\n";

# binding to the values inside a hash
$sth->execute;
my %row;
$sth->bind_columns( \( @row{ @{$sth->{NAME_lc} } } ));
while ($sth->fetch) {
    print "$row{region}: ", ($row{sales} // 'n/a'), "\n";
}

# binding to the elements of an array
$sth->execute;
my @row = @{$sth->{NAME}}; # Or (undef) x $sth->{NUM_OF_FIELDS};
$sth->bind_columns( \(@row) );
while ($sth->fetch) {
    print "$row[0]: ", ($row[1] // 'n/a'), "\n";
}

# bind_col, then fetchrow_arrayref in the loop
my $sth2 = $dbh->prepare('SELECT id, name FROM megaliths WHERE location = ? ORDER BY id');
$sth2->execute('Wiltshire');
my ($sid, $sname);
$sth2->bind_col( 1, \$sid);
$sth2->bind_col( 2, \$sname);
while ($sth2->fetchrow_arrayref) {
    print "$sid--$sname\n";
}

# assign fields to variables (old style: the first argument is ignored)
$sth = $dbh->prepare('SELECT id, first, middle, last FROM presidents ORDER BY id');
$sth->execute;
my ($id, $first, $middle, $last);
$sth->bind_columns(undef, \$id, \$first, \$middle, \$last);

# output president's names listing
print "The presidents in order:\n";
while ($sth->fetch()) {
    print "$first ";
    print "$middle " if ($middle);
    print "$last\n";
}

# clean up
$sth->finish();

# disconnect from database
$dbh->disconnect;
