package DBI::db;

# DBI's catalog methods (table_info, column_info, primary_key_info,
# primary_key, tables) for the bridge's DBI::db. They are built here in Perl
# from SQL run over the bridge, as the drivers do: DBD::SQLite and DBD::Pg
# compute rows and hand them out through a sponge statement; DBD::Oracle
# returns its catalog query's own statement (CPANBridge/DBI/Catalog/Oracle.pm).
# A driver's implementation is DBI::db::_<method>_<driver>; _catalog()
# dispatches to it and answers IM001 for a driver without one.
# Loaded by CPANBridge/DBI.pm, never on its own: it calls DBI::db subs defined
# there (_nested, _fail, _new_sth, the select* methods).

use strict;
use warnings;

# A statement handle over rows computed here (DBI::Sponge's role): the catalog
# methods build their result in Perl, as DBD::SQLite and DBD::Pg do.
# It is a handle of its own, as DBI::Sponge's: the database handle's FetchHashKeyName is not
# inherited, unless the driver's method hands out a statement of the database handle ($inherit).
sub _sponge {
    my ($h, $stmt, $names, $rows, $inherit) = @_;
    my $i = tied %$h;
    my $sth = $h->_new_sth($i, $stmt, { sth => undef, num_params => 0, fields => $names }, $inherit ? undef : { FetchHashKeyName => 'NAME' });
    my $si = tied %$sth;
    @{$si}{qw(Active Executed _done _rows)} = (scalar(@$rows) ? 1 : 0, 1, 1, scalar @$rows);
    $si->{_buf} = [ map { [@$_] } @$rows ];
    return $sth;
}

# The rows of a query as hashes keyed by the column names as they are (not by FetchHashKeyName:
# the catalog's own lookups must not depend on the script's attribute).
sub _rows_by_name {
    my ($h, $sql, @bind) = @_;
    my $sth = $h->prepare($sql) or return undef;
    $sth->execute(@bind) or return undef;
    my $names = $sth->{NAME} || [];
    my $rows = $sth->fetchall_arrayref or return undef;
    return [ map { my $r = $_; +{ map { ($names->[$_] => $r->[$_]) } 0 .. $#$names } } @$rows ];
}

sub _like_re {
    my ($pat, $esc) = @_;
    my $re = '';
    my @c = split //, $pat;
    while (@c) {
        my $c = shift @c;
        if (defined $esc && $c eq $esc && @c) { $re .= quotemeta shift @c }
        elsif ($c eq '%') { $re .= '.*' }
        elsif ($c eq '_') { $re .= '.' }
        else { $re .= quotemeta $c }
    }
    return qr/\A$re\z/si;
}

my @TABLE_INFO_SQLITE = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS sqlite_sql);
my @COLUMN_INFO = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE
    BUFFER_LENGTH DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE REMARKS COLUMN_DEF SQL_DATA_TYPE SQL_DATETIME_SUB
    CHAR_OCTET_LENGTH ORDINAL_POSITION IS_NULLABLE);

sub _catalog {
    my ($h, $method, $code) = @_;
    my $i = tied %$h;
    my $drv = $i->{_driver} || '';
    my ($r) = _nested($h, $method, sub {
        my $f = $h->can("_${method}_$drv")
            or return _fail($h, $i, $method, $DBI::stderr, "$method is not supported by the bridge for DBD::$drv", 'IM001');
        return $code->($f);
    });
    return $r;
}

sub table_info {
    my ($h, @a) = @_;
    return _catalog($h, 'table_info', sub { $_[0]->($h, @a) });
}

sub _types_list {
    my ($type) = @_;
    return unless defined $type;
    (my $t = $type) =~ s/^\s+|\s+$//g;
    return map { s/^'(.*)'$/$1/r } map { uc } split /\s*,\s*/, $t;
}

sub _table_info_SQLite {
    my ($h, $cat, $schema, $table, $type, $attr) = @_;
    my $row = sub { [ @_[0 .. 4] ] };
    my $nul = sub { my @r = @_; $h->_sponge('table_info', [ @TABLE_INFO_SQLITE[0 .. 4] ], \@r, 1) };
    my $empty = sub { defined $_[0] && $_[0] eq '' };
    # DBI's special enumerations (catalogs, schemas, table types)
    return $nul->([ undef, undef, undef, undef, undef ])
        if defined $cat && $cat eq '%' && $empty->($schema) && $empty->($table);
    if ($empty->($cat) && defined $schema && $schema eq '%' && $empty->($table)) {
        my $dbs = $h->selectcol_arrayref('PRAGMA database_list', { Columns => [2] }) or return undef;
        my %s = map { $_ => 1 } 'main', 'temp', @$dbs;
        return $nul->(map { [ undef, $_, undef, undef, undef ] } sort keys %s);
    }
    if ($empty->($cat) && $empty->($schema) && $empty->($table) && defined $type && $type eq '%') {
        return $nul->(map { [ undef, undef, undef, $_, undef ] } 'LOCAL TEMPORARY', 'SYSTEM TABLE', 'TABLE', 'VIEW');
    }
    my $dbs = $h->selectall_arrayref('PRAGMA database_list') or return undef;
    my @parts = (q{SELECT 'main' AS s, tbl_name AS n, upper(type) AS t, sql AS q FROM sqlite_master},
                 q{SELECT 'temp', tbl_name, 'LOCAL TEMPORARY', sql FROM sqlite_temp_master});
    for my $d (@$dbs) {
        next if $d->[1] eq 'main' || $d->[1] eq 'temp';
        push @parts, 'SELECT ' . $h->quote($d->[1]) . ', tbl_name, upper(type), sql FROM ' . $h->quote_identifier($d->[1]) . '.sqlite_master';
    }
    push @parts, q{SELECT 'main', 'sqlite_master', 'SYSTEM TABLE', NULL}, q{SELECT 'temp', 'sqlite_temp_master', 'SYSTEM TABLE', NULL};
    my $rows = $h->selectall_arrayref(join(' UNION ALL ', @parts)) or return undef;
    my $esc = ref $attr eq 'HASH' ? $attr->{Escape} : undef;
    my $sre = defined $schema ? _like_re($schema, $esc) : undef;
    my $tre = defined $table ? _like_re($table, $esc) : undef;
    my %types = map { $_ => 1 } _types_list($type);
    my @out = grep {
        (!$sre || $_->[0] =~ $sre) && (!$tre || $_->[1] =~ $tre) && (!%types || $types{ $_->[2] })
    } @$rows;
    @out = sort { $a->[2] cmp $b->[2] || $a->[0] cmp $b->[0] || $a->[1] cmp $b->[1] } @out;
    # DBD::SQLite hands out its query's own statement: it has the handle's FetchHashKeyName
    return $h->_sponge('table_info', \@TABLE_INFO_SQLITE, [ map { [ undef, $_->[0], $_->[1], $_->[2], undef, $_->[3] ] } @out ], 1);
}

my %PG_RELKIND = (r => 'TABLE', v => 'VIEW', m => 'MATERIALIZED VIEW', p => 'TABLE', f => 'FOREIGN TABLE');

sub _table_info_Pg {
    my ($h, $cat, $schema, $table, $type, $attr) = @_;
    my @names = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS pg_tablespace_name pg_tablespace_location pg_schema pg_table);
    my $sql = q{SELECT current_database(), n.nspname, c.relname,
        CASE WHEN n.nspname ~ '^pg_' OR n.nspname = 'information_schema' THEN 'SYSTEM ' ELSE '' END ||
        CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                       WHEN 'f' THEN 'FOREIGN TABLE' END,
        d.description, t.spcname, pg_catalog.pg_tablespace_location(t.oid), n.nspname, c.relname
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = 'pg_catalog.pg_class'::regclass
      LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
      WHERE c.relkind IN ('r','p','v','m','f')};
    my @b;
    if (defined $schema && length $schema) { $sql .= ' AND n.nspname LIKE ?'; push @b, $schema }
    if (defined $table && length $table) { $sql .= ' AND c.relname LIKE ?'; push @b, $table }
    $sql .= ' ORDER BY 4, 2, 3';
    my $rows = $h->selectall_arrayref($sql, undef, @b) or return undef;
    my %types = map { $_ => 1 } _types_list($type);
    my @out = grep { !%types || $types{ $_->[3] } } @$rows;
    return $h->_sponge('table_info', \@names, \@out, 1);    # DBD::Pg's is its query's statement too
}

# DBI's own (positional, whatever FetchHashKeyName), with DBD::Pg's override
sub tables {
    my ($h, @args) = @_;
    my $sth = $h->table_info(@args[0 .. 4]) or return;
    my $rows = $sth->fetchall_arrayref or return;
    return map { $_->[3] } @$rows if defined $args[3] && $args[3] eq '%' && grep { defined && $_ eq '' } @args[0 .. 2];
    my $drv = (tied %$h)->{_driver} || '';
    return map { join('.', map { _pg_ident($_) } grep { defined } @$_[1, 2]) } @$rows if $drv eq 'Pg';
    return map { $h->quote_identifier(@$_[0 .. 2]) } @$rows;
}

sub _pg_ident { my $x = shift; return $x if $x =~ /^[a-z_][a-z0-9_]*\z/; $x =~ s/"/""/g; qq{"$x"} }

sub column_info {
    my ($h, @a) = @_;
    return _catalog($h, 'column_info', sub { $_[0]->($h, @a) });
}

sub _column_info_SQLite {
    my ($h, $cat, $schema, $table, $column) = @_;
    my $ti = _table_info_SQLite($h, undef, $schema, $table, undef) or return undef;
    my %seen;
    my @tables = grep { !$seen{"$_->[0]\0$_->[1]"}++ } map { [ $_->[1], $_->[2] ] }
        grep { $_->[3] ne 'INDEX' && $_->[3] ne 'TRIGGER' } @{ $ti->fetchall_arrayref };
    @tables = sort { $a->[0] cmp $b->[0] || $a->[1] cmp $b->[1] } @tables;
    my $cre = defined $column ? _like_re($column) : undef;
    my @rows;
    for my $t (@tables) {
        my $cols = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($t->[0]) . '.table_info(' . $h->quote_identifier($t->[1]) . ')')
            or return undef;
        my $pos = 0;
        for my $c (@$cols) {
            $pos++;
            next if $cre && $c->{name} !~ $cre;
            my %r = (TABLE_SCHEM => $t->[0], TABLE_NAME => $t->[1], COLUMN_NAME => $c->{name}, ORDINAL_POSITION => $pos);
            my $type = $c->{type};
            if ($type =~ s/(\w+)\s*\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\)/$1/) { @r{qw(COLUMN_SIZE DECIMAL_DIGITS)} = ($2, $3) }
            $r{TYPE_NAME} = $type;
            $r{COLUMN_DEF} = $c->{dflt_value} if defined $c->{dflt_value};
            @r{qw(NULLABLE IS_NULLABLE)} = $c->{notnull} ? (0, 'NO') : (1, 'YES');
            push @rows, [ @r{@COLUMN_INFO} ];
        }
    }
    return $h->_sponge('column_info', \@COLUMN_INFO, \@rows);
}

sub _column_info_Pg {
    my ($h, $cat, $schema, $table, $column) = @_;
    my @names = (@COLUMN_INFO, qw(pg_type pg_constraint pg_schema pg_table pg_column pg_enum_values));
    my $sql = q{SELECT current_database(), n.nspname, c.relname, a.attname,
        t.typname, pg_catalog.format_type(a.atttypid, NULL),
        CASE WHEN a.atttypmod > 0 AND t.typname IN ('varchar','bpchar') THEN a.atttypmod - 4
             WHEN a.atttypmod > 0 AND t.typname = 'numeric' THEN ((a.atttypmod - 4) >> 16) & 65535 END,
        CASE WHEN a.atttypmod > 0 AND t.typname = 'numeric' THEN (a.atttypmod - 4) & 65535 END,
        CASE WHEN a.attnotnull OR t.typtype = 'd' AND t.typnotnull THEN 0 ELSE 1 END,
        d.description, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attnum,
        pg_catalog.format_type(a.atttypid, a.atttypmod), n.nspname, c.relname, a.attname,
        (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum AND d.classoid = 'pg_catalog.pg_class'::regclass
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')};
    my @b;
    if (defined $schema && length $schema) { $sql .= ' AND n.nspname LIKE ?'; push @b, $schema }
    if (defined $table && length $table) { $sql .= ' AND c.relname LIKE ?'; push @b, $table }
    if (defined $column && length $column) { $sql .= ' AND a.attname LIKE ?'; push @b, $column }
    $sql .= ' ORDER BY n.nspname, c.relname, a.attnum';
    my $rows = $h->selectall_arrayref($sql, undef, @b) or return undef;
    my %code = (int2 => 5, int4 => 4, int8 => -5, float4 => 7, float8 => 8, numeric => 3, varchar => 12, bpchar => 1,
        text => -1, bytea => -3, bool => 16, date => 91, time => 92, timestamp => 93, timestamptz => 95, char => 1, name => 12, oid => 4);
    my @out;
    for my $r (@$rows) {
        my ($cat_, $sch, $tab, $col, $typname, $tname, $size, $digits, $nullable, $remarks, $def, $pos, $pgtype, @pg) = @$r;
        push @out, [ $cat_, $sch, $tab, $col, $code{$typname}, $tname, $size, undef, $digits, undef, $nullable, $remarks,
            $def, undef, undef, undef, $pos, ($nullable ? 'YES' : 'NO'), $pgtype, undef, @pg ];
    }
    return $h->_sponge('column_info', \@names, \@out);
}

sub primary_key_info {
    my ($h, @a) = @_;
    return _catalog($h, 'primary_key_info', sub { $_[0]->($h, @a) });
}

sub _primary_key_info_SQLite {
    my ($h, $cat, $schema, $table) = @_;
    my @names = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME KEY_SEQ PK_NAME);
    my $dbs = $h->selectall_arrayref('PRAGMA database_list') or return undef;
    my @rows;
    for my $d (@$dbs) {
        my $db = $d->[1];
        next if defined $schema && $schema ne '%' && $schema ne $db;
        my $master = $db eq 'main' ? 'sqlite_master' : $db eq 'temp' ? 'sqlite_temp_master' : $h->quote_identifier($db) . '.sqlite_master';
        my $tabs = $h->selectall_arrayref("SELECT name, sql FROM $master WHERE type = 'table'") or return undef;
        for my $t (@$tabs) {
            next if defined $table && $table ne '%' && $table ne $t->[0];
            my $cols = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($db) . '.table_info(' . $h->quote_identifier($t->[0]) . ')')
                or return undef;
            my @pk = sort { $a->{pk} <=> $b->{pk} } grep { $_->{pk} } @$cols;
            my $name = ($t->[1] // '') =~ /\bCONSTRAINT\s+(\S+|"[^"]+")\s+PRIMARY\s+KEY\s*\(/i ? $1 : 'PRIMARY KEY';
            my $seq = 0;
            push @rows, [ undef, $db, $t->[0], $_->{name}, ++$seq, $name ] for @pk;
        }
    }
    return $h->_sponge('primary_key_info', \@names, \@rows);
}

sub _primary_key_info_Pg {
    my ($h, $cat, $schema, $table) = @_;
    my @names = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME KEY_SEQ PK_NAME DATA_TYPE pg_tablespace_name pg_tablespace_location pg_schema pg_table pg_column);
    my $sql = q{SELECT current_database(), n.nspname, c.relname, a.attname, k.n::text, ci.relname, t.typname,
        ts.spcname, pg_catalog.pg_tablespace_location(ts.oid), n.nspname, c.relname, ci.relname
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
      JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = ci.reltablespace
      WHERE i.indisprimary};
    my @b;
    if (defined $schema && length $schema) { $sql .= ' AND n.nspname = ?'; push @b, $schema }
    else { $sql .= ' AND pg_catalog.pg_table_is_visible(c.oid)' }
    if (defined $table && length $table) { $sql .= ' AND c.relname = ?'; push @b, $table }
    $sql .= ' ORDER BY n.nspname, c.relname, k.n';
    my $rows = $h->selectall_arrayref($sql, undef, @b) or return undef;
    return $h->_sponge('primary_key_info', \@names, $rows);
}

# DBI's own: the fourth column of primary_key_info's rows, in their order
sub primary_key {
    my ($h, @a) = @_;
    my $sth = $h->primary_key_info(@a) or return;
    my ($row, @col);
    push @col, $row->[3] while ($row = $sth->fetch);
    Carp::croak('primary_key method not called in list context') unless wantarray;
    return @col;
}

sub foreign_key_info {
    my ($h, @a) = @_;
    return _catalog($h, 'foreign_key_info', sub { $_[0]->($h, @a) });
}

sub statistics_info {
    my ($h, @a) = @_;
    return _catalog($h, 'statistics_info', sub { $_[0]->($h, @a) });
}

sub type_info_all {
    my ($h) = @_;
    return _catalog($h, 'type_info_all', sub { $_[0]->($h) });
}

# DBI's own: the rows of type_info_all for one type code (or several, the first that has any;
# SQL_ALL_TYPES (0): every row), as hashes; in scalar context the first.
sub type_info {
    my ($h, $type) = @_;
    $type = 0 unless defined $type;
    my $all = $h->type_info_all or return;
    my @all = @$all;
    my $idx = shift @all;
    my @rows;
    for my $t (ref $type eq 'ARRAY' ? @$type : $type) {
        @rows = $t == 0 ? @all : grep { defined $_->[ $idx->{DATA_TYPE} ] && $_->[ $idx->{DATA_TYPE} ] == $t } @all;
        last if @rows;
    }
    my @out = map { my $r = $_; +{ map { ($_ => $r->[ $idx->{$_} ]) } keys %$idx } } @rows;
    return wantarray ? @out : $out[0];
}

# undef for an info type the driver does not answer, as DBI's drivers do; IM001 for a driver
# whose answers the bridge does not have
sub get_info {
    my ($h, $type) = @_;
    return _catalog($h, 'get_info', sub { $_[0]->($h, $type) });
}

# DBD::Pg 3.16's answers for the info types scripts ask (code refs: computed on the handle)
my %PG_INFO = (
    2 => sub { 'dbi:Pg:' . ($_[0]{Name} // '') }, 6 => 'DBD::Pg', 7 => '03.16.0000', 14 => '\\', 17 => 'PostgreSQL', 28 => 2, 29 => '"', 41 => '',
    13 => sub { ($_[0]->selectrow_array('SELECT current_database()'))[0] },
    16 => sub { ($_[0]->selectrow_array('SELECT current_database()'))[0] },
    47 => sub { ($_[0]->selectrow_array('SELECT current_user'))[0] },
    18 => sub {
        my ($v) = $_[0]->selectrow_array('SHOW server_version_num');
        return '00.00.0000' unless defined $v && $v =~ /^([0-9][0-9]?)([0-9][0-9])([0-9][0-9])$/;
        return sprintf '%02d.%02d.%.2d00', $1, $2, $3;
    },
);

# A driver's get_info answer from its table (info type => value, or code computing it on the handle)
sub _info_from {
    my ($table, $h, $type) = @_;
    my $v = $table->{ int($type // 0) };
    return ref $v eq 'CODE' ? $v->($h) : $v;
}

sub _get_info_Pg { _info_from(\%PG_INFO, @_) }

# type_info_all's first element: the index of its columns
my @TYPE_INFO_KEYS = qw(TYPE_NAME DATA_TYPE COLUMN_SIZE LITERAL_PREFIX LITERAL_SUFFIX CREATE_PARAMS NULLABLE
    CASE_SENSITIVE SEARCHABLE UNSIGNED_ATTRIBUTE FIXED_PREC_SCALE AUTO_UNIQUE_VALUE LOCAL_TYPE_NAME MINIMUM_SCALE
    MAXIMUM_SCALE SQL_DATA_TYPE SQL_DATETIME_SUB NUM_PREC_RADIX INTERVAL_PRECISION);

sub _type_info_index {
    my $n = 0;
    return { map { ($_ => $n++) } @TYPE_INFO_KEYS };
}

require CPANBridge::DBI::Catalog::SQLite;
require CPANBridge::DBI::Catalog::Pg;
require CPANBridge::DBI::Catalog::Oracle;
require CPANBridge::DBI::Catalog::OracleInfo;

1;
