#!/usr/bin/perl -w
# Origin: devshed.com, "SQL and CGI with Perl and DBI" (page 2, "A More
# Complex Example"), showinstruments1.pl: find a musician's id, then the instruments he
# plays, with SQL built by interpolation, nested statement handles,
# 'die "prepare failed: " . $dbh->errstr()' and the old fetchrow() alias;
# DBI.pm POD "last_insert_id" ($dbh->last_insert_id(undef, undef, $table,
# $field)) and "quote" / "quote_identifier" (quote("Don't") and quote(undef),
# quote with a type, building an INSERT string from quoted values as older
# scripts do).
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; the musicians database is
# created here with last_insert_id linking the rows; the musician's name
# comes from the command line's second argument (default 'Lenny Kravitz')
# instead of STDIN.
use strict;
use DBI qw(:sql_types);

my $db = shift || $ENV{CORPUS_DB} || 'musicians.db';
my $who = shift || 'Lenny Kravitz';
my ($player_id, $inst_id);

my $dbh = DBI->connect("DBI:SQLite:dbname=$db", "musicfan", "CrimsonKing");
die "connect failed: " . DBI->errstr() unless $dbh;
$dbh->{RaiseError} = 0;

$dbh->do('CREATE TABLE musicians (player_id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(50), phone VARCHAR(20))')
    or die "create failed: " . $dbh->errstr();
$dbh->do('CREATE TABLE instruments (inst_id INTEGER PRIMARY KEY, instrument VARCHAR(20))')
    or die "create failed: " . $dbh->errstr();
$dbh->do('CREATE TABLE what_they_play (player_id INTEGER, inst_id INTEGER)')
    or die "create failed: " . $dbh->errstr();

my %inst;
for my $i ('guitar', 'bass', 'drums', 'keyboards', 'vocals') {
    $dbh->do("INSERT INTO instruments (instrument) VALUES (" . $dbh->quote($i) . ")")
        or die "insert failed: " . $dbh->errstr();
    $inst{$i} = $dbh->last_insert_id(undef, undef, 'instruments', 'inst_id');
    print "instrument $i has id $inst{$i}\n";
}

my $add = $dbh->prepare('INSERT INTO musicians (name, phone) VALUES (?, ?)')
    or die "prepare failed: " . $dbh->errstr();
my $plays = $dbh->prepare('INSERT INTO what_they_play (player_id, inst_id) VALUES (?, ?)')
    or die "prepare failed: " . $dbh->errstr();
for my $m (['Lenny Kravitz', '555-1212', qw(guitar bass drums vocals)],
           ["Sinead O'Connor", undef, qw(vocals)],
           ['Jaco Pastorius', '555-8080', qw(bass)]) {
    my ($name, $phone, @plays) = @$m;
    $add->execute($name, $phone) or die "execute failed: " . $add->errstr();
    my $id = $dbh->last_insert_id(undef, undef, 'musicians', 'player_id');
    print "added $name as player $id\n";
    $plays->execute($id, $inst{$_}) for @plays;
}
$dbh->do('DELETE FROM musicians WHERE player_id = 3');
$add->execute('Herbie Hancock', '555-4444');
print "AUTOINCREMENT gave ", $dbh->last_insert_id("", "", "musicians", ""), "\n";

print "quote: ", join(' ', $dbh->quote("Don't"), $dbh->quote(undef), $dbh->quote(''),
                           $dbh->quote(42), $dbh->quote(42, SQL_INTEGER), $dbh->quote('3.14', SQL_VARCHAR),
                           $dbh->quote("two\nlines")), "\n";
print "quote_identifier: ", join(' ', $dbh->quote_identifier('what_they_play'), $dbh->quote_identifier('odd "name"'),
                                      $dbh->quote_identifier(undef, undef, 'musicians')), "\n";

# first, grab the musicians player_id
my $sth = $dbh->prepare("SELECT player_id FROM musicians WHERE name = " . $dbh->quote($who))
    or die "prepare failed: " . $dbh->errstr();
$sth->execute() or die "execute failed: " . $sth->errstr();
($player_id) = $sth->fetchrow();
die "player_id not found" unless defined $player_id;
print "$who is player $player_id and plays:\n";

# given the player_id, grab their inst_ids from what_they_play
$sth = $dbh->prepare("SELECT inst_id FROM what_they_play
                      WHERE player_id = $player_id ORDER BY inst_id")
    or die "prepare failed: " . $dbh->errstr();
$sth->execute() or die "execute failed: " . $sth->errstr();

# foreach inst_id, grab the instrument name from the
# instruments table and print it
while (($inst_id) = $sth->fetchrow()) {
    my $sth = $dbh->prepare("SELECT instrument FROM instruments
                             WHERE inst_id = $inst_id")
        or die "prepare failed: " . $dbh->errstr();
    $sth->execute() or die "execute failed: " . $sth->errstr();
    my ($instrument) = $sth->fetchrow();
    print "  $instrument\n";
    $sth->finish();
}
$sth->finish();

# the same lookup for a name with a quote in it
my $name = "Sinead O'Connor";
my ($phone) = $dbh->selectrow_array("SELECT phone FROM musicians WHERE name = " . $dbh->quote($name));
print "$name: phone ", (defined $phone ? $phone : 'unknown'), "\n";

$dbh->disconnect();
