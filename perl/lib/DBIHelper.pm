package DBIHelper;

# The predecessor's entry point (PREDECESSOR_API.md 1.2), on the bridge's DBI:
#
#   use DBIHelper;
#   my $dbh = DBIHelper->connect($dsn, $user, $pass, \%attr);   # also (\%attr, $dsn, ...)
#   die unless $dbh && $dbh != 1;     # failure returns undef (the predecessor returned 1)
#
# Handles behave like DBI's (DBIHelper isa DBI::db, DBIHelper::StatementHandle isa
# DBI::st), with DBI's return values ("0E0" for zero rows, undef on error).
# Deliberately not kept from the predecessor: the connection singleton (a second
# connect returned the first handle whatever the DSN), `do` returning 0 for
# zero rows, err always 1. `DBI->connect` works after `use DBIHelper`.

use strict;
use warnings;
use CPANBridge::DBI ();

our $VERSION = '0.1.0';
our @ISA = ('DBI::db');
our ($err, $errstr, $state);

sub _args {
    my ($class, @a) = @_;
    # (\%attr, $dsn, $user, $pass) form
    if (ref $a[0] eq 'HASH') { my $attr = shift @a; @a = (@a[0 .. 2], $attr) }
    my ($dsn, $user, $pass, $attr) = @a;
    # "dbi:Oracle:" with "user@TNS": DBD::Oracle understands it, keep as is.
    return ($dsn, $user, $pass, $attr);
}

sub _mirror { ($err, $errstr, $state) = ($DBI::err, $DBI::errstr, $DBI::state) }

sub connect {
    my $class = shift;
    my @a = _args($class, @_);
    my $h = DBI->connect(@a, db_class => (ref $class || $class), st_class => 'DBIHelper::StatementHandle');
    _mirror();
    return $h;
}

sub connect_cached {
    my $class = shift;
    my @a = _args($class, @_);
    my $h = DBI->connect_cached(@a, db_class => (ref $class || $class), st_class => 'DBIHelper::StatementHandle');
    _mirror();
    if ($h) { (tied %$h)->{cached} = 1 }
    return $h;
}

# err/errstr/state work on the class too (DBIHelper->errstr).
for my $m (qw(err errstr state)) {
    no strict 'refs';
    *{"DBIHelper::$m"} = sub {
        my $s = shift;
        return ref $s ? CPANBridge::DBI::common->can($m)->($s) : ${"DBI::$m"};
    };
}

sub trace { 1 }

package DBIHelper::StatementHandle;
our @ISA = ('DBI::st');

1;
