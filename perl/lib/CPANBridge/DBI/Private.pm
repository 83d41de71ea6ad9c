package DBI::db;

# DBD-private database handle methods scripts call ($dbh->sqlite_..., pg_ attributes). The ones
# that hand the driver a Perl code ref (functions, collations, hooks) cannot work: the driver runs
# in the daemon, not in this script. They fail as DBI reports what a driver lacks (IM001), never
# pretending. Loaded by CPANBridge/DBI.pm.

use strict;
use warnings;
use Carp ();
use CPANBridge ();
use CPANBridge::Codec ();
use CPANBridge::Shim::Batch ();

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

# DBD::Pg's COPY: pg_putcopydata packs what it is given into large chunks (a bulk load calls it
# per row) sent pipelined; pg_putcopyend sends the rest and returns the server's verdict.
sub _copy_batch {
    my ($h, $i) = @_;
    return $i->{_copy_batch} ||= CPANBridge::Shim::Batch->new(
        module => 'database', function => 'copy_data', params => { dbh => $i->{_id} }, field => 'data',
        sep => '', records => 1_000_000, bytes => 256 * 1024);
}

sub pg_putcopydata {
    my ($h, $data) = @_;
    my $i = tied %$h;
    die "pg_putcopydata can only be called directly after issuing a COPY FROM command\n" unless ($i->{_copy} // '') eq 'in';
    $data = '' unless defined $data;
    # DBD::Pg sends the characters, UTF-8 encoded (a byte string's bytes are Latin-1 characters)
    utf8::upgrade($data);
    utf8::encode($data);
    _copy_batch($h, $i)->add($data);
    return 1;
}

sub pg_putcopyend {
    my ($h) = @_;
    my $i = tied %$h;
    Carp::croak('pg_putcopyend cannot be called until a COPY is issued') unless ($i->{_copy} // '') eq 'in';
    my $b = delete $i->{_copy_batch};
    delete $i->{_copy};
    my $e;
    if ($b) {
        $b->flush;
        eval { CPANBridge::flush(); 1 } or $e = $@;    # a chunk the daemon refused
    }
    CPANBridge::DBI::common::_clear($i);
    if ($e) {
        eval { CPANBridge::call('database', 'copy_end', { dbh => $i->{_id} }) };    # ends the COPY, its error is $e's
        my ($err, $errstr, $state) = CPANBridge::DBI::common::_err_fields($e);
        _fail($h, $i, 'pg_putcopyend', $err, $errstr, $state);
        return 0;
    }
    my $r = _rpc($h, $i, 'pg_putcopyend', 'copy_end', { dbh => $i->{_id} }) or return 0;
    return 1;
}

# ($line) -> its length, -1 after the last row (the COPY is over)
sub pg_getcopydata {
    my $h = $_[0];
    my $i = tied %$h;
    die "pg_getcopydata can only be called directly after issuing a COPY TO command\n" unless ($i->{_copy} // '') eq 'out';
    my $q = $i->{_copy_rows} ||= [];
    if (!@$q && !$i->{_copy_done}) {
        my $r = _rpc($h, $i, 'pg_getcopydata', 'copy_get', { dbh => $i->{_id}, max => 1000 }) or return -2;
        push @$q, @{ $r->{rows} || [] };
        $i->{_copy_done} = 1 if $r->{done};
    }
    if (!@$q) {
        delete @{$i}{qw(_copy _copy_rows _copy_done)};
        return -1;
    }
    my $row = shift @$q;
    my $bytes = length $row;    # DBD::Pg returns the length in bytes
    utf8::decode($row) if $i->{pg_enable_utf8} // 1 and !utf8::is_utf8($row);
    $_[1] = $row;
    return $bytes;
}

# DBD::Pg's $dbh->{pg_server_version} (e.g. 150020), asked of the server the first time it is read
$CPANBridge::DBI::Attr::DYN_FETCH{pg_server_version} = sub {
    my ($i) = @_;
    return undef unless ($i->{Type} // '') eq 'db' && ($i->{_driver} // '') eq 'Pg' && $i->{Active};
    my ($v) = $i->{_outer}->selectrow_array('SHOW server_version_num');
    return $i->{pg_server_version} = defined $v ? $v + 0 : undef;
};

1;
