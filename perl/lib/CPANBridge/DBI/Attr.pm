package CPANBridge::DBI::Attr;

# The tied hash that stores every handle's attributes (CPANBridge::DBI::_new_handle
# ties it): dynamic attributes in %DYN_FETCH, side effects of a store in %DYN_STORE.

use strict;
use warnings;
no warnings 'redefine';

# key => sub ($inner) -> value
our %DYN_FETCH = (
    NAME_lc      => sub { $_[0]{NAME} ? [ map { lc } @{ $_[0]{NAME} } ] : undef },
    NAME_uc      => sub { $_[0]{NAME} ? [ map { uc } @{ $_[0]{NAME} } ] : undef },
    NAME_hash    => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { $_ => $i++ } @$n } },
    NAME_lc_hash => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { lc($_) => $i++ } @$n } },
    NAME_uc_hash => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { uc($_) => $i++ } @$n } },
    ParamValues  => sub { my $b = $_[0]{_binds} || []; my $n = $_[0]{_param_names}; my $i = 0; +{ map { ($n ? $n->[ $i++ ] : ++$i) => $_ } @$b } },
    Kids         => sub { scalar grep { defined } values %{ $_[0]{_kids} || {} } },
    ActiveKids   => sub { scalar grep { defined && (tied %$_)->{Active} } values %{ $_[0]{_kids} || {} } },
    Driver       => sub { +{ Name => $_[0]{_driver} } },
    Err          => sub { $_[0]{err} },
    Errstr       => sub { $_[0]{errstr} },
    State        => sub { $_[0]{state} },
    # DBD::Pg looks NULLABLE up in the catalog when it is asked for, not at every execute
    NULLABLE     => sub {
        my ($i) = @_;
        return undef unless delete $i->{_nullable_lazy};
        my $r = DBI::st::_rpc($i->{_outer}, $i, 'FETCH', 'nullable', { sth => $i->{_id} }) or return undef;
        return $i->{NULLABLE} = $r->{nullable};
    },
);

# LongReadLen / LongTruncOk stored on an Oracle database handle: the daemon fetches LOBs with them
sub _long_read {
    my ($k) = @_;
    return sub {
        my ($i, $v, $h) = @_;
        $i->{$k} = $k eq 'LongTruncOk' ? ($v ? 1 : 0) : $v;
        return 1 unless $i->{Type} eq 'db' && ($i->{_driver} // '') eq 'Oracle' && $i->{Active} && defined $i->{_id};
        DBI::db::_rpc($h, $i, 'STORE', 'set_long_read',
            { dbh => $i->{_id}, len => int($i->{LongReadLen} // 80), trunc_ok => $i->{LongTruncOk} ? \1 : \0 });
        return 1;
    };
}

# key => sub ($inner, $value, $outer) -> 1 if handled (stored)
our %DYN_STORE = (
    LongReadLen => _long_read('LongReadLen'),
    LongTruncOk => _long_read('LongTruncOk'),
    AutoCommit => sub {
        my ($i, $v, $h) = @_;
        return 0 unless $i->{Type} eq 'db';
        $v = $v ? 1 : 0;
        return 1 if defined $i->{AutoCommit} && $i->{AutoCommit} == $v;
        if ($i->{Active} && defined $i->{_id}) {
            DBI::db::_rpc($h, $i, 'STORE', 'set_autocommit', { dbh => $i->{_id}, on => $v ? \1 : \0 })
                or return 1;
        }
        $i->{AutoCommit} = $v;
        $i->{BegunWork} = 0;
        return 1;
    },
);

# Flag attributes: DBI keeps them as bits and reads them back as 1 or ''.
our %FLAG = map { $_ => 1 } qw(Active Executed Warn CompatMode InactiveDestroy AutoInactiveDestroy
    PrintWarn PrintError RaiseError RaiseWarn ShowErrorStatement ChopBlanks LongTruncOk TaintIn TaintOut
    Taint AutoCommit BegunWork);

sub TIEHASH  { my ($class, $inner) = @_; bless $inner, $class }
sub FETCH    {
    my ($i, $k) = @_;
    return $i->{$k} ? 1 : '' if $FLAG{$k} && !($k eq 'AutoCommit' && !defined $i->{$k});
    my $d = $DYN_FETCH{$k};
    $d && !exists $i->{$k} ? $d->($i) : $i->{$k};
}
sub STORE    {
    my ($i, $k, $v) = @_;
    my $d = $DYN_STORE{$k};
    return if $d && $d->($i, $v, $i->{_outer});
    $i->{$k} = $v;
}
sub EXISTS   { exists $_[0]{ $_[1] } || exists $DYN_FETCH{ $_[1] } }
sub DELETE   { delete $_[0]{ $_[1] } }
sub CLEAR    { }
sub FIRSTKEY { my @k = sort grep { !/^_/ } keys %{ $_[0] }; $_[0]{__keys} = \@k; shift @k }
sub NEXTKEY  { my $k = $_[0]{__keys} or return; shift @$k }
sub SCALAR   { 1 }

1;
