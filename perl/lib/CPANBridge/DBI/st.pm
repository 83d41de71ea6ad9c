package DBI::st;

# Statement handle methods: binds, execute, the row buffer with its prefetch (rows are
# asked for in batches, the next batch sent ahead while the script works on this one).

use strict;
use warnings;
no warnings 'redefine';
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::DBI::common ();

our @ISA = ('CPANBridge::DBI::common');
BEGIN { *_rpc = \&CPANBridge::DBI::common::_rpc; *_fail = \&CPANBridge::DBI::common::_fail;
        *_clear = \&CPANBridge::DBI::common::_clear }

# The 1-based position of placeholder $pos: a number, or a name (`:name`; Oracle also takes it
# without the colon) of a statement written with named placeholders, whose binds travel in the
# order of the names the daemon reported at prepare. Undef after reporting the error.
sub _param_index {
    my ($sth, $i, $method, $pos) = @_;
    my $names = $i->{_param_names};
    my $drv = $i->{_driver} || '';
    if (defined $pos && !ref $pos && $pos =~ /^\d+$/) {
        # DBD::SQLite takes any position; execute binds the ones the statement has
        return $pos if $pos >= 1 && ($drv eq 'SQLite' || !defined $i->{NUM_OF_PARAMS} || $pos <= $i->{NUM_OF_PARAMS});
        return _fail($sth, $i, $method, 1, "Illegal parameter number $pos", 'S1000');
    }
    my $want = defined $pos ? "$pos" : '';
    $want = ":$want" if $drv eq 'Oracle' && $want ne '' && $want !~ /^:/;
    if ($names) {
        for my $k (0 .. $#$names) {
            return $k + 1 if $names->[$k] eq $want || ($drv eq 'Oracle' && lc $names->[$k] eq lc $want);
        }
    }
    return _fail($sth, $i, $method, 1, "Can't bind unknown placeholder '$want' ('$want')", 'S1000') if $drv eq 'Oracle';
    _fail($sth, $i, $method, -2, "Unknown named parameter: $want", 'S1000');
    return '';    # DBD::SQLite's false
}

sub bind_param {
    my ($sth, $pos, $value, $attr) = @_;
    my $i = tied %$sth;
    _clear($i);
    # DBD::Oracle can pass a REF CURSOR handle back into a statement; the bridge's cursors stay in the daemon
    return _fail($sth, $i, 'bind_param', 1, 'binding a REF CURSOR (ORA_RSET) as an IN parameter is not supported by the bridge', 'IM001')
        if ref $attr eq 'HASH' && ($attr->{ora_type} // 0) == 116;
    my $n = _param_index($sth, $i, 'bind_param', $pos);
    return $n unless $n;
    $i->{_bind_values}[ $n - 1 ] = $value;
    delete $i->{_inout}{$n} if $i->{_inout};
    if (defined $attr) {
        $i->{_bind_types}[ $n - 1 ] = ref $attr eq 'HASH' ? ($attr->{TYPE} // $attr) : $attr;
    }
    return 1;
}

# An in/out bind (a procedure's OUT or IN OUT parameter): the variable's value is read at each
# execute, and the value the procedure gives back is stored in it (as DBD::Oracle does, text of
# at most $maxlen characters).
sub bind_param_inout {
    my ($sth, $pos, $ref, $maxlen, $attr) = @_;
    my $i = tied %$sth;
    _clear($i);
    my $drv = $i->{_driver} || '';
    if ($drv eq 'SQLite') {
        _fail($sth, $i, 'bind_param_inout', -2, 'InOut bind params not implemented', 'S1000');
        return '';
    }
    return _fail($sth, $i, 'bind_param_inout', 1, "bind_param_inout is not supported by DBD::$drv on the bridge", 'IM001') if $drv ne 'Oracle';
    return _fail($sth, $i, 'bind_param_inout', 1, 'bind_param_inout needs a reference to a scalar', 'S1000')
        unless ref $ref eq 'SCALAR' || ref $ref eq 'REF';
    my $n = _param_index($sth, $i, 'bind_param_inout', $pos);
    return $n unless $n;
    # { ora_type => ORA_RSET }: a REF CURSOR, the variable becomes a statement handle (_ref_cursor)
    my $cursor = ref $attr eq 'HASH' && ($attr->{ora_type} // 0) == 116;
    $i->{_inout}{$n} = [ $ref, ($maxlen && $maxlen > 0 ? int $maxlen : 4000), $cursor ];
    if (defined $attr) {
        $i->{_bind_types}[ $n - 1 ] = ref $attr eq 'HASH' ? ($attr->{TYPE} // $attr) : $attr;
    }
    return 1;
}

sub execute {
    my ($sth, @binds) = @_;
    my $i = tied %$sth;
    _clear($i);
    my $di = $i->{Database} ? tied %{ $i->{Database} } : undef;
    if (!$di || !$di->{Active}) {
        return _fail($sth, $i, 'execute', 1, 'attempt to execute on inactive database handle', 'S1000');
    }
    my $types = $i->{_bind_types};
    my $inout = $i->{_inout} && %{ $i->{_inout} } ? $i->{_inout} : undef;
    if (@binds) {
        # as DBI's execute(@values) does, they become the bound values (kept for the next execute)
        @{ $i->{_bind_values} ||= [] }[ 0 .. $#binds ] = @binds;
    }
    elsif ($i->{_bind_values} || $inout) {
        @binds = @{ $i->{_bind_values} || [] };
        # in/out binds are read now, at execute, from the variables they were bound to
        $binds[ $_ - 1 ] = $inout->{$_}[2] ? undef : ${ $inout->{$_}[0] } for $inout ? keys %$inout : ();
        # positions beyond the statement's (DBD::SQLite accepts them) are not sent
        $#binds = $i->{NUM_OF_PARAMS} - 1 if defined $i->{NUM_OF_PARAMS} && @binds > $i->{NUM_OF_PARAMS};
    }
    my $need = $i->{NUM_OF_PARAMS};
    if (defined $need && @binds != $need) {
        $i->{_binds} = [@binds];
        return _fail($sth, $i, 'execute', -1, sprintf('called with %d bind variables when %d are needed', scalar @binds, $need), 'S1000');
    }
    $i->{_binds} = [@binds];
    my $n = 0;
    # DBD::SQLite's sqlite_see_if_its_a_number: an untyped value that looks like a number is bound as one
    my $sqlite = ($i->{_driver} || '') eq 'SQLite';
    my $num = $sqlite && $di->{sqlite_see_if_its_a_number};
    my $text = CPANBridge::DBI::_text_binds($di);
    my @send = map {
        my $at = $n++;
        my $type = $types ? $types->[$at] : undef;
        # DBD::SQLite binds typed values its own way (_sqlite_bind_value)
        $sqlite && defined $type
            ? CPANBridge::DBI::_sqlite_bind_value($_, $type, $at, $di->{PrintWarn}, $text)
            : CPANBridge::DBI::_bind_value($_, $type, $num, $text);
    } @binds;
    my $max = $i->{RowCacheSize} || $CPANBridge::PREFETCH || 1000;
    my $prefetch = $i->{_prefetch} || $max;
    _forget_prefetch($i);
    $i->{_buf} = [];
    $i->{_fetched} = 0;
    $i->{Active} = 0;
    # Read ahead (double buffering) when the buffer is half empty, unless the caller wants a
    # bounded number of rows (selectrow_*, MaxRows) or prefetching cannot overlap (process mode).
    $i->{_low} = !$i->{_prefetch} && $max >= 2 && CPANBridge::mode() eq 'daemon' ? int($max / 2) : 0;
    my %params = (sth => $i->{_id}, binds => \@send, prefetch => $prefetch + 0);
    my @out = $inout ? sort { $a <=> $b } keys %$inout : ();
    $params{out} = [ map { +{ at => $_ + 0, max_len => $inout->{$_}[1] + 0, ($inout->{$_}[2] ? (cursor => \1) : ()) } } @out ] if @out;
    # DBD::Oracle reads LOBs with the statement's LongReadLen as it was when described (_new_sth)
    # and its LongTruncOk as it is
    if (($i->{_driver} || '') eq 'Oracle') {
        $i->{_long_read_len} //= $i->{LongReadLen} // 80;
        $params{long_read} = { len => int($i->{_long_read_len}), trunc_ok => $i->{LongTruncOk} ? \1 : \0 };
    }
    my $r = _rows_rpc($sth, $i, 'execute', 'execute', \%params);
    return undef unless $r;
    if (@out && $r->{out}) {
        for my $k (0 .. $#out) {
            my $o = $inout->{ $out[$k] };
            ${ $o->[0] } = $o->[2] ? _ref_cursor($sth, $i, $r->{out}[$k]) : $r->{out}[$k];
        }
    }
    $i->{Executed} = 1;
    my $fields = $r->{fields};
    my $rows = defined $r->{rows} ? $r->{rows} : -1;
    if ($fields) {
        $i->{NAME} = $fields;
        $i->{NUM_OF_FIELDS} = scalar @$fields;
        $i->{TYPE} = $r->{types} if $r->{types};
        if (($i->{_driver} || '') eq 'Pg') { delete $i->{NULLABLE}; $i->{_nullable_lazy} = 1 }
        elsif ($r->{nullable}) { $i->{NULLABLE} = [ map { defined $_ ? $_ : 2 } @{ $r->{nullable} } ] }
        $i->{_buf} = CPANBridge::DBI::_reply_rows($r, $i->{_bytes});
        $i->{_done} = $r->{done} ? 1 : 0;
        # DBD::SQLite and DBD::Pg: Active after any SELECT, even an empty one, until a fetch finds the end
        $i->{Active} = 1;
        $i->{_rows} = ($i->{_driver} || '') eq 'SQLite' ? 0 : $rows;
        return '0E0' if ($i->{_driver} || '') eq 'SQLite';
        return $rows == 0 ? '0E0' : $rows;
    }
    $i->{NUM_OF_FIELDS} = 0 unless defined $i->{NUM_OF_FIELDS} && $i->{NUM_OF_FIELDS} > 0 && $i->{NAME};
    $i->{_done} = 1;
    $i->{_rows} = $rows;
    return $rows == 0 ? '0E0' : $rows;
}

# A REF CURSOR the call opened ({ sth, fields, types, nullable } from the daemon) as DBD::Oracle
# gives it: an executed, Active statement handle of the same database handle, fetched as a query's.
sub _ref_cursor {
    my ($sth, $i, $c) = @_;
    return undef unless ref $c eq 'HASH' && defined $c->{sth};
    my $dbh = $i->{Database};
    my $cur = $dbh->_new_sth(tied(%$dbh), $i->{Statement}, { sth => $c->{sth}, num_params => 0, fields => $c->{fields} });
    my $ci = tied %$cur;
    @{$ci}{qw(Executed Active _done TYPE)} = (1, 1, 0, $c->{types});
    $ci->{NULLABLE} = [ map { defined $_ ? $_ : 2 } @{ $c->{nullable} || [] } ];
    $ci->{NUM_OF_FIELDS} = scalar @{ $c->{fields} || [] };
    return $cur;
}

# The rows of a statement travel in batches of RowCacheSize (default $CPANBridge::PREFETCH) rows:
# the first with the execute reply, the next ones by `fetch`. Once the buffer is down to half a
# batch, the next fetch is sent ahead (send_async) so that the daemon reads and encodes it while
# the script works on the rows it has (double buffering); at most one is outstanding per
# statement. Each fetch is an ordinary request with its own id, so the client's resend after a
# daemon restart covers it; its reply is applied only if the statement was not re-executed or
# finished meanwhile (_gen). An error of a fetch sent ahead is reported when the rows before it
# have been fetched, as the synchronous fetch would have reported it.

# Calls execute/fetch asking for the compact row format when it is in use; applies the error
# policy like _rpc. A daemon that does not know `format` (older version) is asked again without.
sub _rows_rpc {
    my ($sth, $i, $method, $function, $params) = @_;
    # DBI: an execute sets Executed on the parent database handle too (before the call)
    $i->{_dbh_inner}{Executed} = 1 if $method eq 'execute' && $i->{_dbh_inner};
    my $fmt = CPANBridge::DBI::_row_format();
    $params->{format} = 'sep' if $fmt eq 'sep';
    my $r = eval { CPANBridge::call('database', $function, $params) };
    if (!defined $r && $fmt eq 'sep') {
        my $e = $@;
        if (ref $e && eval { $e->isa('CPANBridge::Error') } && ($e->{code} || '') eq 'bad_params'
            && ($e->{message} || '') =~ /additional propert|format/) {
            $CPANBridge::DBI::ROW_FORMAT = 'json';
            delete $params->{format};
            $r = eval { CPANBridge::call('database', $function, $params) };
        }
        else { $@ = $e }
    }
    return $r if defined $r;
    my $e = $@;
    return {} if !$e;
    my ($err, $errstr, $state) = CPANBridge::DBI::common::_err_fields($e);
    _fail($sth, $i, $method, $err, $errstr, $state);
    return undef;
}

# A fetch sent ahead is no longer wanted (execute, finish): its reply will be dropped.
sub _forget_prefetch {
    my ($i) = @_;
    $i->{_gen}++;
    $i->{_pf} = 0;
    delete $i->{_pf_err};
}

sub _prefetch {
    my ($sth, $i) = @_;
    my $max = $i->{RowCacheSize} || $CPANBridge::PREFETCH || 1000;
    my %p = (sth => $i->{_id}, max => $max + 0);
    $p{format} = 'sep' if CPANBridge::DBI::_row_format() eq 'sep';
    my $gen = $i->{_gen};
    my $w = $i;
    Scalar::Util::weaken($w);
    my $cb = sub {
        my ($ok, $res) = @_;
        return unless $w && $w->{_pf} && $w->{_gen} == $gen;
        $w->{_pf} = 0;
        if ($ok) {
            my $rows = CPANBridge::DBI::_reply_rows($res, $w->{_bytes});
            push @{ $w->{_buf} }, @$rows;
            $w->{_done} = $res->{done} ? 1 : 0;
        }
        else {
            $w->{_pf_err} = $res;
            $w->{_done} = 1;
        }
    };
    $i->{_pf} = 1;    # before sending: the reply may be read (and applied) inside send_async
    my $ok = eval {
        CPANBridge::send_async('database', 'fetch', \%p, $cb);
        CPANBridge::send_now();
        1;
    };
    if (!$ok && $i->{_pf} && $i->{_gen} == $gen) {
        $i->{_pf} = 0;
        $i->{_pf_err} = $@;
        $i->{_done} = 1;
    }
}

# Refill the row buffer. Returns true if rows are there.
sub _more {
    my ($sth, $i) = @_;
    if ($i->{_pf}) {
        # the fetch sent ahead: its reply may be there already (replies that have arrived are
        # read without waiting); else wait for it (and for the requests sent since)
        CPANBridge::read_arrived();
        return scalar @{ $i->{_buf} } if !$i->{_pf} && @{ $i->{_buf} };
        my $ok = $i->{_pf} ? eval { CPANBridge::flush(); 1 } : 1;
        my $e = $@;
        if ($i->{_pf}) {
            # no reply will come (the daemon could not be had): the fetch is lost, as a
            # synchronous one would be
            $i->{_pf} = 0;
            $i->{_pf_err} = $e || 'fetch: no reply';
            $i->{_done} = 1;
        }
        elsif (!$ok) {
            # an error of another asynchronous request, reported here as a synchronous call would
            my ($err, $errstr, $state) = CPANBridge::DBI::common::_err_fields($e);
            _fail($sth, $i, 'fetch', $err, $errstr, $state);
            return 0;
        }
        return scalar @{ $i->{_buf} } if @{ $i->{_buf} };
    }
    if (my $e = delete $i->{_pf_err}) {
        my ($err, $errstr, $state) = CPANBridge::DBI::common::_err_fields($e);
        $i->{_done} = 1;
        $i->{Active} = 0;
        _fail($sth, $i, 'fetch', $err, $errstr, $state);
        return 0;
    }
    return 0 if $i->{_done};
    my $max = $i->{RowCacheSize} || $CPANBridge::PREFETCH || 1000;
    my $r = _rows_rpc($sth, $i, 'fetch', 'fetch', { sth => $i->{_id}, max => $max + 0 });
    if (!$r) { $i->{_done} = 1; $i->{Active} = 0; return 0 }
    push @{ $i->{_buf} }, @{ CPANBridge::DBI::_reply_rows($r, $i->{_bytes}) };
    $i->{_done} = $r->{done} ? 1 : 0;
    return scalar @{ $i->{_buf} };
}

sub fetchrow_arrayref {
    my $sth = $_[0];
    my $i = tied %$sth;
    _clear($i) if defined $i->{err} || defined $DBI::err;
    Scalar::Util::weaken($DBI::lasth = $sth);
    my $row = shift @{ $i->{_buf} };
    if (!$row) {
        if (!$i->{Active} || !_more($sth, $i) || !($row = shift @{ $i->{_buf} })) {
            $i->{Active} = 0;
            return undef;
        }
    }
    _prefetch($sth, $i) if $i->{_low} && @{ $i->{_buf} } < $i->{_low} && !$i->{_done} && !$i->{_pf} && $i->{Active};
    $i->{_fetched}++;
    $i->{_rows} = $i->{_fetched} if ($i->{_driver} || '') eq 'SQLite';
    if ($i->{ChopBlanks}) { defined && !ref && s/ +\z// for @$row }
    my $buf = $i->{_row};
    @$buf = @$row;
    if (my $b = $i->{_bound_cols}) {
        for my $k (0 .. $#$b) { ${ $b->[$k] } = $buf->[$k] if $b->[$k] }
    }
    if (!@{ $i->{_buf} } && $i->{_done}) {
        # Last row delivered: like DBD::SQLite the handle stays Active until the
        # next fetch returns undef.
    }
    return $buf;
}
*fetch = \&fetchrow_arrayref;

sub fetchrow_array {
    my $row = fetchrow_arrayref($_[0]) or return;
    # scalar context: the last column, as with DBI's XS drivers
    return wantarray ? @$row : $row->[-1];
}
*fetchrow = \&fetchrow_array;    # DBI's old alias, still in old scripts

sub fetchrow_hashref {
    my ($sth, $name) = @_;
    my $i = tied %$sth;
    my $row = fetchrow_arrayref($sth) or return undef;
    $name ||= $i->{FetchHashKeyName} || 'NAME';
    my $names = $sth->{$name} || $i->{NAME};
    my %h;
    @h{@$names} = @$row;
    return \%h;
}

sub fetchall_arrayref {
    my ($sth, $slice, $max) = @_;
    my $i = tied %$sth;
    my @out;
    return undef if !$i->{Executed} && !$i->{Active} && !@{ $i->{_buf} } && $i->{err};
    if (!defined $slice) {
        while ((!defined $max || @out < $max) && (my $r = fetchrow_arrayref($sth))) { push @out, [@$r] }
    }
    elsif (ref $slice eq 'ARRAY') {
        my @idx = @$slice;
        while ((!defined $max || @out < $max) && (my $r = fetchrow_arrayref($sth))) {
            push @out, @idx ? [ @{$r}[@idx] ] : [@$r];
        }
    }
    elsif (ref $slice eq 'HASH') {
        my $names = $sth->{ $i->{FetchHashKeyName} || 'NAME' } || [];
        my @keys = @$names;
        my @pick = (0 .. $#keys);
        if (%$slice) {
            my %want = map { lc($_) => $_ } keys %$slice;
            my %byname;
            for my $k (0 .. $#keys) { $byname{ lc $keys[$k] } = $k }
            @pick = grep { defined } map { $byname{$_} } sort keys %want;
            @keys = map { $want{ lc $names->[$_] } } @pick;
        }
        while ((!defined $max || @out < $max) && (my $r = fetchrow_arrayref($sth))) {
            my %h;
            @h{@keys} = @{$r}[@pick];
            push @out, \%h;
        }
    }
    elsif (ref $slice eq 'REF' && ref $$slice eq 'HASH') {
        # \{ $index => $name }: columns by 0-based index, renamed
        my @pick = sort { $a <=> $b } keys %$$slice;
        my @keys = @{$$slice}{@pick};
        while ((!defined $max || @out < $max) && (my $r = fetchrow_arrayref($sth))) {
            my %h;
            @h{@keys} = @{$r}[@pick];
            push @out, \%h;
        }
    }
    elsif (ref $slice eq 'REF' || ref $slice eq 'SCALAR') {
        return fetchall_arrayref($sth, $$slice, $max);
    }
    return undef if $i->{err};
    return \@out;
}

sub fetchall_hashref {
    my ($sth, $key) = @_;
    my $i = tied %$sth;
    my $hkn = $i->{FetchHashKeyName} || 'NAME';
    my $names = $sth->{$hkn} || [];
    my %pos;
    for my $k (0 .. $#$names) { $pos{ $names->[$k] } = $k }
    my @idx;
    for my $k (ref $key ? @$key : ($key)) {
        my $x = $pos{$k};
        $x = $k - 1 if !defined $x && DBI::looks_like_number($k) && $k >= 1 && $k <= @$names;
        return _fail($sth, $i, 'fetchall_hashref', $DBI::stderr, "Field '$k' does not exist (not one of @{[ keys %pos ]})", 'S1000')
            unless defined $x;
        push @idx, $x;
    }
    my %out;
    while (my $r = fetchrow_arrayref($sth)) {
        my %h;
        @h{@$names} = @$r;
        my $node = \%out;
        for my $x (@idx[0 .. $#idx - 1]) {
            my $v = $r->[$x];
            $node = $node->{ defined $v ? $v : '' } ||= {};
        }
        my $v = $r->[ $idx[-1] ];
        $node->{ defined $v ? $v : '' } = \%h;
    }
    return $i->{err} ? undef : \%out;
}

sub bind_col {
    my ($sth, $col, $ref, $attr) = @_;
    my $i = tied %$sth;
    _clear($i);
    return _fail($sth, $i, 'bind_col', 1, "bind_col: column $col is not a valid column (1..)", 'S1000')
        unless $col =~ /^\d+$/ && $col >= 1;
    return 1 unless ref $ref;
    $i->{_bound_cols}[ $col - 1 ] = $ref;
    return 1;
}

sub bind_columns {
    my ($sth, @refs) = @_;
    shift @refs if @refs && (!defined $refs[0] || ref $refs[0] eq 'HASH');
    my $i = tied %$sth;
    _clear($i);
    if (defined $i->{NUM_OF_FIELDS} && $i->{NUM_OF_FIELDS} && @refs != $i->{NUM_OF_FIELDS}) {
        return _fail($sth, $i, 'bind_columns', $DBI::stderr,
            sprintf('bind_columns called with %d values but %d are needed', scalar @refs, $i->{NUM_OF_FIELDS}), 'S1000');
    }
    my $n = 0;
    bind_col($sth, ++$n, $_) or return undef for @refs;
    return 1;
}

sub execute_array {
    my ($sth, $attr, @cols) = @_;
    my $i = tied %$sth;
    my $status = $attr && $attr->{ArrayTupleStatus};
    my $fetch = $attr && $attr->{ArrayTupleFetch};
    if (@cols) { $i->{ParamArrays} = { map { ($_ + 1 => $cols[$_]) } 0 .. $#cols } }
    elsif (!$fetch) {
        # values from bind_param_array (DBI's ParamArrays), else from bind_param
        my $pa = $i->{ParamArrays};
        @cols = $pa && %$pa ? map { $pa->{$_} } sort { $a <=> $b } keys %$pa
                            : map { [ $_ ] } @{ $i->{_bind_values} || [] };
    }
    my ($n, $arrays) = (0, 0);
    for (@cols) { next unless ref $_ eq 'ARRAY'; $arrays++; $n = @$_ if @$_ > $n }
    $n = 1 if @cols && !$arrays;    # DBI: scalars only execute one tuple
    @$status = () if ref $status eq 'ARRAY';
    my ($tuples, $errors, $rows) = (0, 0, 0);
    {
        local $i->{RaiseError} = 0;
        local $i->{PrintError} = 0;
        local $i->{HandleError};
        my $k = 0;
        while (1) {
            my @tuple;
            if ($fetch) {
                my $t = ref $fetch eq 'CODE' ? $fetch->() : $fetch->fetchrow_arrayref;
                last unless $t;
                @tuple = @$t;
            }
            else {
                last if $k >= $n;
                @tuple = map { ref $_ eq 'ARRAY' ? $_->[$k] : $_ } @cols;
            }
            $k++;
            $tuples++;
            my $rv = $sth->execute(@tuple);
            if (defined $rv) {
                push @$status, $rv if ref $status eq 'ARRAY';
                $rows += $rv if $rv > 0 && $rows >= 0;
                $rows = -1 if $rv < 0;
            }
            else {
                $errors++;
                push @$status, [ $i->{err}, $i->{errstr}, $i->{state} ] if ref $status eq 'ARRAY';
            }
        }
    }
    if ($errors) {
        local $i->{_hide_params} = 1;
        return _fail($sth, $i, 'execute_array', $DBI::stderr, "executing $tuples generated $errors errors", 'S1000');
    }
    return wantarray ? ($tuples, $rows) : ($tuples || '0E0');
}

# DBI's default bind_param_array (DBI.pm): values kept in ParamArrays for execute_array;
# with attributes, a bind_param sets the type for every tuple.
sub bind_param_array {
    my ($sth, $p, $values, $attr) = @_;
    my $i = tied %$sth;
    _clear($i);
    return _fail($sth, $i, 'bind_param_array', $DBI::stderr, "Value for parameter $p must be a scalar or an arrayref, not a " . ref($values), 'S1000')
        if defined $values && ref $values && ref $values ne 'ARRAY';
    return _fail($sth, $i, 'bind_param_array', $DBI::stderr, "Can't use named placeholder '$p' for non-driver supported bind_param_array", 'S1000')
        unless DBI::looks_like_number($p);
    return _fail($sth, $i, 'bind_param_array', $DBI::stderr, "Placeholder '$p' is out of range", 'S1000') if $p <= 0;
    ($i->{ParamArrays} ||= {})->{$p} = $values;
    return $sth->bind_param($p, undef, $attr) if $attr;
    return 1;
}

sub execute_for_fetch {
    my ($sth, $fetch, $status) = @_;
    return execute_array($sth, { ArrayTupleFetch => $fetch, ArrayTupleStatus => $status });
}

sub finish {
    my ($sth) = @_;
    my $i = tied %$sth;
    my $was = $i->{Active} && !$i->{_done};
    _forget_prefetch($i);
    $i->{Active} = 0;
    $i->{_buf} = [];
    if ($was) {
        $i->{_done} = 1;
        # The reply is not needed: pipelined with the next call.
        eval { CPANBridge::send_async('database', 'finish', { sth => $i->{_id} }, sub { }, droppable => 1) };
    }
    return 1;
}

sub rows {
    my $i = tied %{ $_[0] };
    return defined $i->{_rows} ? $i->{_rows} : -1;
}

sub dump_results {
    my ($sth, $maxlen, $lsep, $fsep, $fh) = @_;
    $maxlen ||= 35;
    $lsep = "\n" unless defined $lsep;
    $fsep = ', ' unless defined $fsep;
    $fh ||= \*STDOUT;
    my $n = 0;
    while (my $r = $sth->fetchrow_arrayref) {
        print {$fh} join($fsep, map { DBI::neat($_, $maxlen) } @$r), $lsep;
        $n++;
    }
    print {$fh} "$n rows" . ($sth->err ? ' (' . $sth->err . ': ' . $sth->errstr . ')' : '') . "\n";
    return $n;
}

# DBD::SQLite has no cancel: DBI answers undef, no error. DBD::Pg and DBD::Oracle cancel the running
# statement from another thread or a signal handler, which the bridge's one connection cannot do.
sub cancel {
    my ($sth) = @_;
    my $i = tied %$sth;
    my $drv = $i->{_driver} || '';
    return undef if $drv eq 'SQLite';
    return _fail($sth, $i, 'cancel', 1, "cancel is not supported by DBD::$drv on the bridge", 'IM001');
}

sub DESTROY {
    my ($sth) = @_;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';
    my $i = tied %$sth or return;
    return unless $i->{_pid} == $$ && defined $i->{_id} && CPANBridge::DBI::_own_thread($i);
    my $di = $i->{_dbh_inner};
    return unless $di && $di->{Active};
    # Real DBI frees the statement when the handle goes away; no reply needed.
    eval { CPANBridge::send_async('database', 'free', { sth => $i->{_id} }, sub { }, droppable => 1) };
}

1;
