package DBIHelper;

# The predecessor's entry point (PREDECESSOR_API.md 1.2), on the bridge's DBI:
#
#   use DBIHelper;
#   my $dbh = DBIHelper->connect($dsn, $user, $pass, \%attr);   # also (\%attr, $dsn, ...)
#   die "failed" if !$dbh || $dbh == 1;
#
# Connect failure: the predecessor returned the scalar 1, so migrated scripts
# test `$dbh == 1` (often alone); DBI returns undef and scripts test `!$dbh` or
# `or die`. The failure value here is a dualvar, numerically 1 and '' as a
# string: false for `!$dbh` / `or die` / `unless $dbh`, and `== 1` for the
# predecessor's check (without an "uninitialized" warning). Only `defined $dbh`
# sees it as defined, as it did with the predecessor.
# $DBIHelper::err / $errstr / $state are aliases of $DBI::err / $errstr / $state
# (they follow the last handle used, not only connect).
#
# Handles behave like DBI's (DBIHelper isa DBI::db, DBIHelper::StatementHandle isa
# DBI::st), with DBI's return values ("0E0" for zero rows, undef on error).
# Deliberately not kept from the predecessor: the connection singleton (a second
# connect returned the first handle whatever the DSN), `do` returning 0 for
# zero rows, err always 1. `DBI->connect` works after `use DBIHelper`.

use strict;
use warnings;
use CPANBridge::DBI ();
use Scalar::Util ();

our $VERSION = '0.1.0';
our @ISA = ('DBI::db');
our ($err, $errstr, $state);
*err = \$DBI::err;
*errstr = \$DBI::errstr;
*state = \$DBI::state;

# What connect returns on failure: false, and == 1 like the predecessor's 1.
sub FAILED () { Scalar::Util::dualvar(1, '') }

sub _args {
    my ($class, @a) = @_;
    # (\%attr, $dsn, $user, $pass) form
    if (ref $a[0] eq 'HASH') { my $attr = shift @a; @a = (@a[0 .. 2], $attr) }
    my ($dsn, $user, $pass, $attr) = @a;
    # "dbi:Oracle:" with "user@TNS": DBD::Oracle understands it, keep as is.
    return ($dsn, $user, $pass, $attr);
}


sub connect {
    my $class = shift;
    my @a = _args($class, @_);
    my $h = DBI->connect(@a, db_class => (ref $class || $class), st_class => 'DBIHelper::StatementHandle');
    return $h || FAILED;
}

sub connect_cached {
    my $class = shift;
    my @a = _args($class, @_);
    my $h = DBI->connect_cached(@a, db_class => (ref $class || $class), st_class => 'DBIHelper::StatementHandle');
    return FAILED unless $h;
    (tied %$h)->{cached} = 1;
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
