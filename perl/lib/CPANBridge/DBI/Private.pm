package DBI::db;

# DBD-private database handle methods scripts call ($dbh->sqlite_..., pg_ attributes). The ones
# that hand the driver a Perl code ref (functions, collations, hooks) cannot work: the driver runs
# in the daemon, not in this script. They fail as DBI reports what a driver lacks (IM001), never
# pretending. Loaded by CPANBridge/DBI.pm.

use strict;
use warnings;
use Carp ();

sub _sqlite_only {
    my ($h, $method) = @_;
    my $i = tied %$h;
    return $i if ($i->{_driver} || '') eq 'SQLite';
    # DBI knows the method only once DBD::SQLite is loaded; before, Perl itself does not find it
    Carp::croak($CPANBridge::DBI::DRIVER_LOADED{SQLite} ? "Can't locate DBI object method \"$method\" via package \"DBD::$i->{_driver}::db\""
                                                         : "Can't locate object method \"$method\" via package \"DBI::db\"");
}

# ($ms) sets how long a statement waits for another connection's lock; () returns it
sub sqlite_busy_timeout {
    my ($h, $ms) = @_;
    my $i = _sqlite_only($h, 'sqlite_busy_timeout') or return undef;
    return $i->{sqlite_busy_timeout} // 30000 unless defined $ms;
    _rpc($h, $i, 'sqlite_busy_timeout', 'set_busy_timeout', { dbh => $i->{_id}, ms => int($ms) }) or return undef;
    return $i->{sqlite_busy_timeout} = int($ms);
}

sub sqlite_last_insert_rowid {
    my ($h) = @_;
    _sqlite_only($h, 'sqlite_last_insert_rowid') or return undef;
    return ($h->selectrow_array('SELECT last_insert_rowid()'))[0];
}

sub sqlite_db_filename {
    my ($h) = @_;
    _sqlite_only($h, 'sqlite_db_filename') or return undef;
    my $dbs = $h->selectall_arrayref('PRAGMA database_list') or return undef;
    my ($main) = grep { $_->[1] eq 'main' } @$dbs;
    return $main ? $main->[2] : undef;
}

# Perl callbacks the driver would call back into
for my $m (qw(sqlite_create_function sqlite_create_aggregate sqlite_create_collation sqlite_collation_needed
              sqlite_progress_handler sqlite_commit_hook sqlite_rollback_hook sqlite_update_hook sqlite_set_authorizer
              sqlite_enable_load_extension sqlite_load_extension sqlite_register_fts3_perl_tokenizer sqlite_create_module)) {
    no strict 'refs';
    *{"DBI::db::$m"} = sub {
        my ($h) = @_;
        my $i = _sqlite_only($h, $m) or return undef;
        return _fail($h, $i, $m, 1, "$m is not supported by the bridge: DBD::SQLite runs in the bridge's daemon, where a Perl callback or extension of this script cannot run", 'IM001');
    };
}

# DBD::Pg's $dbh->{pg_server_version} (e.g. 150020), asked of the server the first time it is read
$CPANBridge::DBI::Attr::DYN_FETCH{pg_server_version} = sub {
    my ($i) = @_;
    return undef unless ($i->{Type} // '') eq 'db' && ($i->{_driver} // '') eq 'Pg' && $i->{Active};
    my ($v) = $i->{_outer}->selectrow_array('SHOW server_version_num');
    return $i->{pg_server_version} = defined $v ? $v + 0 : undef;
};

1;
