package DBI::db;

# Database handle methods. The catalog ones (table_info...) are in
# CPANBridge/DBI/Catalog.pm, loaded by CPANBridge/DBI.pm after this file.

use strict;
use warnings;
no warnings 'redefine';
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::DBI::common ();

our @ISA = ('CPANBridge::DBI::common');
BEGIN { *_rpc = \&CPANBridge::DBI::common::_rpc; *_fail = \&CPANBridge::DBI::common::_fail;
        *_clear = \&CPANBridge::DBI::common::_clear }

sub _active_or_fail {
    my ($h, $i, $method) = @_;
    # DBD::Pg during a COPY (dies whatever RaiseError says)
    Carp::croak($i->{_copy} eq 'in' ? 'Must call pg_putcopyend before issuing more commands'
                                     : 'Must call pg_getcopydata until no more rows before issuing more commands') if $i->{_copy} && $i->{Active};
    return 1 if $i->{Active};
    # DBD::SQLite's err for it is -2
    my $d = $i->{_driver} || '';
    if ($d eq 'Pg') { _fail($h, $i, $method, 7, 'Database handle has been disconnected', 'S1000'); return 0 }
    _fail($h, $i, $method, ($d eq 'SQLite' ? -2 : $DBI::stderr), "attempt to $method on inactive database handle", 'S1000');
    return 0;
}

sub prepare {
    my ($h, $sql, $attr) = @_;
    my $i = tied %$h;
    _clear($i);
    return undef unless _active_or_fail($h, $i, 'prepare');
    $i->{Statement} = $sql;
    my $r = _rpc($h, $i, 'prepare', 'prepare', { dbh => $i->{_id}, sql => $sql });
    return undef unless $r;
    return $h->_new_sth($i, $sql, $r, $attr);
}

sub _new_sth {
    my ($h, $i, $sql, $r, $attr) = @_;
    my %f = (
        Type => 'st', _id => $r->{sth}, _driver => $i->{_driver}, Database => $h, _dbh_inner => $i,
        Statement => $sql, NUM_OF_PARAMS => $r->{num_params}, _param_names => $r->{param_names},
        # DBD::SQLite knows the columns at prepare (0 for a statement without any)
        NUM_OF_FIELDS => ($r->{fields} ? scalar @{ $r->{fields} } : ($i->{_driver} || '') eq 'SQLite' ? 0 : undef),
        NAME => ($r->{fields} && @{ $r->{fields} } ? [ @{ $r->{fields} } ] : undef),
        Active => 0, Executed => 0, _buf => [], _done => 1, _rows => -1, _fetched => 0, _binds => undef,
        _bound => [], _row => [], _pid => $$, _interp => CPANBridge::Shim::thread_tag(),
        map({ ($_ => $i->{$_}) } qw(RaiseError PrintError PrintWarn HandleError ShowErrorStatement
             FetchHashKeyName ChopBlanks LongReadLen LongTruncOk RowCacheSize sqlite_unicode pg_enable_utf8 TaintIn TaintOut)),
        _bytes => CPANBridge::DBI::_wants_bytes($i),
    );
    if (ref $attr eq 'HASH') { $f{$_} = $attr->{$_} for keys %$attr }
    # DBD::Oracle fixes a statement's LongReadLen when it describes it: at prepare, or at the first
    # execute under ora_check_sql => 0 (CPANBridge::DBI::st::execute sends it)
    $f{_long_read_len} = $f{LongReadLen} // 80 if ($i->{_driver} || '') eq 'Oracle' && ($f{ora_check_sql} // 1);
    my ($sth, $si) = CPANBridge::DBI::common::_new_handle($i->{_st_class} || 'DBI::st', \%f);
    $i->{_kids}{ Scalar::Util::refaddr($sth) } = $sth;
    Scalar::Util::weaken($i->{_kids}{ Scalar::Util::refaddr($sth) });
    return $sth;
}

sub prepare_cached {
    my ($h, $sql, $attr, $if_active) = @_;
    my $i = tied %$h;
    my $cache = $i->{CachedKids} ||= {};
    my $key = $sql;
    if (ref $attr eq 'HASH' && %$attr) {
        $key .= "\0" . join "\0", map { "$_=" . (defined $attr->{$_} ? $attr->{$_} : '') } sort keys %$attr;
    }
    my $sth = $cache->{$key};
    if ($sth && (tied %$sth)->{_id}) {
        if ((tied %$sth)->{Active}) {
            $if_active ||= 0;
            if ($if_active == 3) { $sth = undef }
            else {
                Carp::carp("prepare_cached($sql) statement handle $sth still Active") unless $if_active;
                $sth->finish;
            }
        }
        return $sth if $sth;
    }
    $sth = $h->prepare($sql, $attr) or return undef;
    $cache->{$key} = $sth;
    return $sth;
}

sub _zero_e_zero { my $n = shift; defined $n && $n == 0 ? '0E0' : $n }

sub do {
    my ($h, $sql, $attr, @binds) = @_;
    my $i = tied %$h;
    _clear($i);
    $i->{Executed} = 1;    # DBI sets it before the call (and commit/rollback clear it)
    return undef unless _active_or_fail($h, $i, 'do');
    $i->{Statement} = $sql;
    $i->{_binds} = @binds ? [@binds] : undef;
    my %p = (dbh => $i->{_id}, sql => $sql);
    my $num = ($i->{_driver} || "") eq "SQLite" && $i->{sqlite_see_if_its_a_number};
    my $text = CPANBridge::DBI::_text_binds($i);
    $p{binds} = [ map { CPANBridge::DBI::_bind_value($_, undef, $num, $text) } @binds ] if @binds;
    my $r = _rpc($h, $i, 'do', 'do', \%p);
    return undef unless $r;
    $i->{_copy} = $r->{copy} if $r->{copy};    # COPY ... FROM STDIN / TO STDOUT (DBD::Pg)
    my $rows = defined $r->{rows} ? $r->{rows} : -1;
    return _zero_e_zero($rows);
}

sub _sth_from {
    my ($h, $stmt, $attr, $method) = @_;
    return $stmt if ref $stmt;
    return $h->prepare($stmt, $attr);
}

# An outer DBI method made of inner calls (selectrow_array = prepare + execute
# + fetch): inner failures are recorded, and reported once by the outer method
# under its own name ("DBD::SQLite::db selectrow_array failed: ..."), as DBI does.
sub _nested {
    my ($h, $method, $code) = @_;
    my $i = tied %$h;
    _clear($i);
    my @r;
    {
        local $CPANBridge::DBI::common::NESTED = 1;
        @r = $code->();
    }
    if ($DBI::err) {
        # a HandleError that returns true may have supplied the return value ($_[2])
        my $rv = _fail($h, $i, $method, $DBI::err, $DBI::errstr, $DBI::state);
        return defined $rv ? ($rv) : ();
    }
    return @r;
}

sub selectall_arrayref {
    my ($h, $stmt, $attr, @binds) = @_;
    my ($r) = _nested($h, 'selectall_arrayref', sub {
        my $sth = _sth_from($h, $stmt, $attr) or return undef;
        local $sth->{_prefetch} = $attr && $attr->{MaxRows} ? $attr->{MaxRows} : undef;
        # without Slice/Columns the drivers' XS selectall_arrayref (Driver.xst) executes
        # outside DBI's dispatch: the database handle's Executed is left as it was
        my $di = tied %$h;
        my $ex = $di->{Executed};
        my $ok = $sth->execute(@binds);
        $di->{Executed} = $ex unless $attr && ($attr->{Slice} || $attr->{Columns});
        return undef unless $ok;
        my $slice = $attr ? $attr->{Slice} : undef;
        if (!defined $slice && $attr && $attr->{Columns}) {
            $slice = ref $attr->{Columns} eq 'HASH' ? $attr->{Columns} : [ map { $_ - 1 } @{ $attr->{Columns} } ];
        }
        my $rows = $sth->fetchall_arrayref($slice, $attr ? $attr->{MaxRows} : undef);
        $sth->finish if $attr && $attr->{MaxRows};
        return $rows;
    });
    return $r;
}

sub selectall_array {
    my ($h, @a) = @_;
    my ($r) = _nested($h, 'selectall_array', sub { selectall_arrayref($h, @a) });
    return $r ? @$r : ();
}

sub selectall_hashref {
    my ($h, $stmt, $key, $attr, @binds) = @_;
    my ($r) = _nested($h, 'selectall_hashref', sub {
        my $sth = _sth_from($h, $stmt, $attr) or return undef;
        $sth->execute(@binds) or return undef;
        return $sth->fetchall_hashref($key);
    });
    return $r;
}

sub selectrow_arrayref {
    my ($h, $stmt, $attr, @binds) = @_;
    my ($r) = _nested($h, 'selectrow_arrayref', sub { _selectrow($h, $stmt, $attr, @binds) });
    return $r;
}

sub _selectrow {
    my ($h, $stmt, $attr, @binds) = @_;
    my $sth = _sth_from($h, $stmt, $attr) or return undef;
    local $sth->{_prefetch} = 1;
    # the drivers' XS selectrow_* (Driver.xst) execute outside DBI's dispatch: the
    # database handle's Executed is left as it was
    my $di = tied %$h;
    my $ex = $di->{Executed};
    my $ok = $sth->execute(@binds);
    $di->{Executed} = $ex;
    return undef unless $ok;
    my $row = $sth->fetchrow_arrayref;
    my $copy = $row ? [@$row] : undef;
    $sth->finish;
    return $copy;
}

sub selectrow_array {
    my ($h, $stmt, $attr, @binds) = @_;
    my ($row) = _nested($h, 'selectrow_array', sub { _selectrow($h, $stmt, $attr, @binds) });
    return unless $row;
    return wantarray ? @$row : $row->[0];
}

sub selectrow_hashref {
    my ($h, $stmt, $attr, @binds) = @_;
    my ($r) = _nested($h, 'selectrow_hashref', sub {
        my $sth = _sth_from($h, $stmt, $attr) or return undef;
        local $sth->{_prefetch} = 1;
        $sth->execute(@binds) or return undef;
        my $row = $sth->fetchrow_hashref;
        $sth->finish;
        return $row;
    });
    return $r;
}

sub selectcol_arrayref {
    my ($h, $stmt, $attr, @binds) = @_;
    my ($r) = _nested($h, 'selectcol_arrayref', sub {
        my $sth = _sth_from($h, $stmt, $attr) or return undef;
        $sth->execute(@binds) or return undef;
        my @cols = $attr && $attr->{Columns} ? map { $_ - 1 } @{ $attr->{Columns} } : (0);
        my $max = $attr ? $attr->{MaxRows} : undef;
        my @out;
        while (my $row = $sth->fetchrow_arrayref) {
            push @out, @{$row}[@cols];
            last if defined $max && @out / @cols >= $max;
        }
        $sth->finish if defined $max;
        return (tied %$sth)->{err} ? undef : \@out;
    });
    return $r;
}

sub begin_work {
    my ($h) = @_;
    my $i = tied %$h;
    _clear($i);
    return undef unless _active_or_fail($h, $i, 'begin_work');
    if (!$i->{AutoCommit}) {
        return _fail($h, $i, 'begin_work', $DBI::stderr, 'Already in a transaction', 'S1000');
    }
    _rpc($h, $i, 'begin_work', 'begin_work', { dbh => $i->{_id} }) or return undef;
    $i->{AutoCommit} = 0;
    $i->{BegunWork}  = 1;
    return 1;
}

sub _end_tx {
    my ($h, $what) = @_;
    my $i = tied %$h;
    _clear($i);
    $i->{Executed} = 0;    # DBI: cleared by commit and rollback, even if they fail
    return undef unless _active_or_fail($h, $i, $what);
    if ($i->{AutoCommit}) {
        warn "$what ineffective with AutoCommit enabled" . CPANBridge::DBI::common::_where() if $i->{PrintWarn} // 1;
        return 1;
    }
    _rpc($h, $i, $what, $what, { dbh => $i->{_id} }) or return undef;
    if ($i->{BegunWork}) { $i->{AutoCommit} = 1; $i->{BegunWork} = 0 }
    return 1;
}

sub commit   { _end_tx($_[0], 'commit') }
sub rollback { _end_tx($_[0], 'rollback') }

sub disconnect {
    my ($h) = @_;
    my $i = tied %$h;
    _clear($i);
    return 1 unless $i->{Active};
    # DBI's warning (Driver.xst) for statements still Active (not fetched to the end, no finish)
    my $active = grep { $_ && (tied %$_)->{Active} } values %{ $i->{_kids} || {} };
    warn "$h->disconnect invalidates $active active statement handle" . ($active == 1 ? '' : 's')
        . ' (either destroy statement handles or call finish on them before disconnecting)'
        . CPANBridge::DBI::common::_where()
        if $active && ($i->{Warn} // 1) && ${^GLOBAL_PHASE} ne 'DESTRUCT';
    for my $k (values %{ $i->{_kids} || {} }) {
        next unless $k;
        my $ki = tied %$k;
        $ki->{Active} = 0;
        $ki->{_buf} = [];
    }
    $i->{Active} = 0;
    _rpc($h, $i, 'disconnect', 'disconnect', { dbh => $i->{_id} }) or return undef;
    return 1;
}

sub ping {
    my ($h) = @_;
    my $i = tied %$h;
    return 0 unless $i->{Active};
    my $r = eval { CPANBridge::call('database', 'ping', { dbh => $i->{_id} }) };
    return $r->{alive} ? 1 : 0 if $r && exists $r->{alive};
    my $sql = ($i->{_driver} || '') eq 'Oracle' ? 'SELECT 1 FROM DUAL' : 'SELECT 1';
    local $i->{RaiseError} = 0;
    local $i->{PrintError} = 0;
    local $i->{HandleError};
    my @r = $h->selectrow_array($sql);
    return @r ? 1 : 0;
}

sub quote {
    my ($h, $str, $type) = @_;
    # a DBI method call: it clears err (but not inside an outer method that checks it after)
    _clear(tied %$h) unless $CPANBridge::DBI::common::NESTED;
    return 'NULL' unless defined $str;
    # DBD::SQLite quotes every type (it has no type_info saying otherwise)
    if (defined $type && ((tied %$h)->{_driver} || '') ne 'SQLite') {
        my $t = ref $type eq 'HASH' ? $type->{TYPE} : $type;
        if (defined $t && grep { $t == $_ } DBI::SQL_INTEGER(), DBI::SQL_SMALLINT(), DBI::SQL_BIGINT(),
            DBI::SQL_TINYINT(), DBI::SQL_NUMERIC(), DBI::SQL_DECIMAL(), DBI::SQL_FLOAT(), DBI::SQL_REAL(),
            DBI::SQL_DOUBLE(), DBI::SQL_BIT(), DBI::SQL_BOOLEAN()) {
            return $str;
        }
    }
    $str =~ s/'/''/g;
    return "'$str'";
}

sub quote_identifier {
    my ($h, @id) = @_;
    pop @id if @id > 1 && ref $id[-1];
    @id = grep { defined && length } @id;
    return join '.', map { my $x = $_; $x =~ s/"/""/g; qq{"$x"} } @id;
}

sub last_insert_id {
    my ($h, $cat, $schema, $table, $field, $attr) = @_;
    my $i = tied %$h;
    my $drv = $i->{_driver} || '';
    my @r;
    if (!$attr || !$attr->{sequence}) {
        _clear($i);
        my $r = _rpc($h, $i, 'last_insert_id', 'last_insert_id', { dbh => $i->{_id} }) or return undef;
        return $r->{id};
    }
    if ($drv eq 'SQLite') { @r = $h->selectrow_array('SELECT last_insert_rowid()') }
    elsif ($drv eq 'Pg') {
        if ($attr && $attr->{sequence}) { @r = $h->selectrow_array('SELECT currval(?)', undef, $attr->{sequence}) }
        else { @r = $h->selectrow_array('SELECT lastval()') }
    }
    else { return _fail($h, $i, 'last_insert_id', 1, "last_insert_id is not supported by DBD::$drv", 'IM001') }
    return $r[0];
}

sub clone {
    my ($h, $attr) = @_;
    my $i = tied %$h;
    return _fail($h, $i, 'clone', 1, 'clone is not supported by the bridge', 'IM001');
}

sub DESTROY {
    my ($h) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';
    my $i = tied %$h or return;
    return unless $i->{Active} && $i->{_pid} == $$ && !$i->{InactiveDestroy} && CPANBridge::DBI::_own_thread($i);
    $i->{Active} = 0;
    # DBI's warning (Driver.xst) when work since the last commit/rollback is rolled back
    warn "Issuing rollback() due to DESTROY without explicit disconnect() of $i->{ImplementorClass} handle "
        . ($i->{Name} // '') . CPANBridge::DBI::common::_where()
        if !$i->{AutoCommit} && $i->{Executed} && ($i->{Warn} // 1);
    # Real DBI disconnects a handle that goes out of scope; no reply needed.
    eval { CPANBridge::send_async('database', 'disconnect', { dbh => $i->{_id} }, sub { }) };
}

1;
