#!/usr/bin/perl -w
#
# Origin: "Programming the Perl DBI" (Descartes & Bunce, O'Reilly 2000),
# chapter 4, "Error Handling": ch04/error/ex1 (manual error checking with
# PrintError and RaiseError off: every call followed by
# 'or die "...: $DBI::errstr\n"', 'warn "Data fetching terminated early by
# error: $DBI::errstr\n" if $DBI::err', 'disconnect or warn'), connect(undef,
# ...) taking the data source from $DBI_DSN, and the section's reconnect loop
# (a failed connect warns and the job tries again). Plus the error methods
# of the same chapter: $h->err, $h->errstr, $h->state, $DBI::err, $DBI::state.
# Adapted: DBD::SQLite instead of DBD::Informix (the first connect fails on a
# file in a missing directory, the retry uses $DBI_DSN); megaliths is created
# here; failures that the book shows as fatal are reported and the job goes
# on, as a batch job that expects them would.
use DBI;            # Load the DBI module
use strict;

my $dbfile = shift || $ENV{CORPUS_DB} || 'megaliths.db';
$ENV{DBI_DSN} ||= "dbi:SQLite:dbname=$dbfile";

### Attributes to pass to DBI->connect() to disable automatic error checking
my %attr = (
    PrintError => 0,
    RaiseError => 0,
);

### The first attempt goes to a database that cannot be opened
my $dbh;
for my $dsn ("dbi:SQLite:dbname=./no/such/dir/megaliths.db", undef) {
    $dbh = DBI->connect( $dsn, "stones", "stones", \%attr )
        and last;
    warn "Can't connect to the database: $DBI::errstr\n";
    print "connect failed: err=$DBI::err state=$DBI::state\n";
}
die "giving up\n" unless $dbh;
print "connected to $dbh->{Name}\n";
print "after a good connect: DBI::err is ", (defined $DBI::err ? $DBI::err : 'undef'), "\n";

$dbh->do( q{
    CREATE TABLE megaliths (
        id          INTEGER PRIMARY KEY,
        name        VARCHAR(64) NOT NULL UNIQUE,
        location    VARCHAR(64),
        site_type   VARCHAR(32)
    )
} ) or die "Can't create table: $DBI::errstr\n";

my $ins = $dbh->prepare( "INSERT INTO megaliths (name, location, site_type) VALUES (?, ?, ?)" )
    or die "Can't prepare SQL statement: $DBI::errstr\n";
for my $m (['Stonehenge', 'Wiltshire', 'Stone Circle'],
           ['Avebury', 'Wiltshire', 'Stone Circle'],
           ['Callanish I', 'Isle of Lewis', 'Stone Circle and Rows'],
           ['Avebury', 'Wiltshire', 'Henge'],
           ['Sunhoney', 'Aberdeenshire', 'Recumbent Stone Circle']) {
    my $rv = $ins->execute( @$m );
    if ( !$rv ) {
        print "insert of $m->[0] failed\n";
        print "  \$ins->err    = ", $ins->err, "\n";
        print "  \$ins->errstr = ", $ins->errstr, "\n";
        print "  \$ins->state  = ", $ins->state, "\n";
        print "  \$DBI::errstr = $DBI::errstr\n";
        print "  \$dbh->err    = ", (defined $dbh->err ? $dbh->err : 'undef'), "\n";
        next;
    }
    print "inserted $m->[0] ($rv)\n";
}

### A typo in a table name: prepare fails
my $bad = $dbh->prepare( "SELECT * FROM megalith" );
if ( !$bad ) {
    print "Can't prepare SQL statement: $DBI::errstr\n";
    print "  \$dbh->err = ", $dbh->err, ", \$dbh->state = ", $dbh->state, "\n";
}

### selectrow_array with RaiseError off: an empty list and $DBI::err set
my @none = $dbh->selectrow_array( "SELECT nosuchcolumn FROM megaliths" );
print "selectrow_array returned ", scalar(@none), " values; err=$DBI::err: $DBI::errstr\n";

### Prepare a SQL statement for execution
my $sth = $dbh->prepare( "SELECT * FROM megaliths ORDER BY id" )
    or die "Can't prepare SQL statement: $DBI::errstr\n";

### Execute the statement in the database
$sth->execute
    or die "Can't execute SQL statement: $DBI::errstr\n";

### Retrieve the returned rows of data
my @row;
while ( @row = $sth->fetchrow_array(  ) ) {
    print "Row: @row\n";
}
warn "Data fetching terminated early by error: $DBI::errstr\n"
    if $DBI::err;
print "after the fetch loop: err is ", (defined $sth->err ? $sth->err : 'undef'), "\n";

### Disconnect from the database
$dbh->disconnect
    or warn "Error disconnecting: $DBI::errstr\n";

### Using the handle after disconnect
my $gone = $dbh->prepare( "SELECT 1" );
print "prepare after disconnect: ", (defined $gone ? 'a handle' : 'undef'), "; $DBI::errstr\n";

exit;
