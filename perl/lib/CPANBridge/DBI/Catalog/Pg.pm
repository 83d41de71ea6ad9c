package DBI::db;

# Catalog methods of DBD::Pg 3.16 that Catalog.pm does not hold: foreign_key_info (its own
# column names, lower-cased under FetchHashKeyName NAME_lc, rows handed out as DBI::Sponge's),
# statistics_info (a statement of the database handle, as DBD::Pg's query is) and type_info_all
# (its table of types). Queries on the system catalogs, written for PostgreSQL 10 and later.
# Loaded by CPANBridge/DBI/Catalog.pm.

use strict;
use warnings;

my @PG_FOREIGN_KEY_INFO = qw(UK_TABLE_CAT UK_TABLE_SCHEM UK_TABLE_NAME UK_COLUMN_NAME FK_TABLE_CAT FK_TABLE_SCHEM
    FK_TABLE_NAME FK_COLUMN_NAME ORDINAL_POSITION UPDATE_RULE DELETE_RULE FK_NAME UK_NAME DEFERABILITY
    UNIQUE_OR_PRIMARY UK_DATA_TYPE FK_DATA_TYPE);

# A foreign key's referential actions as DBI codes (confupdtype / confdeltype)
my $PG_RULE = q{CASE %s WHEN 'c' THEN 0 WHEN 'r' THEN 1 WHEN 'n' THEN 2 WHEN 'a' THEN 3 WHEN 'd' THEN 4 ELSE -1 END};

sub _foreign_key_info_Pg {
    my ($h, $uk_cat, $uk_schema, $uk_table, $fk_cat, $fk_schema, $fk_table) = @_;
    my @names = @PG_FOREIGN_KEY_INFO;
    @names = map { lc } @names if ((tied %$h)->{FetchHashKeyName} // '') eq 'NAME_lc';
    $_ = defined && length ? $_ : undef for $uk_schema, $uk_table, $fk_schema, $fk_table;
    # at least one table must be named (an empty result otherwise)
    return $h->_sponge('foreign_key_info', \@names, []) unless defined $uk_table || defined $fk_table;
    my (@where, @b);
    for ([ uc => $uk_table, $uk_schema ], [ fc => $fk_table, $fk_schema ]) {
        my ($t, $table, $schema) = @$_;
        next unless defined $table;
        push @where, "$t.relname = ?";
        push @b, $table;
        # no schema: the table the search_path finds
        if (defined $schema) { push @where, ($t eq 'uc' ? 'un' : 'fn') . '.nspname = ?'; push @b, $schema }
        else { push @where, "pg_catalog.pg_table_is_visible($t.oid)" }
    }
    # conindid of a foreign key is the unique index it references; the constraint that index
    # implements (if any) names the key and tells PRIMARY from UNIQUE
    my $sql = 'SELECT ' . join(', ',
        (map { "pg_catalog.quote_ident($_)" } qw(pg_catalog.current_database() un.nspname uc.relname ua.attname
            pg_catalog.current_database() fn.nspname fc.relname fa.attname)),
        'k.n', sprintf($PG_RULE, 'f.confupdtype'), sprintf($PG_RULE, 'f.confdeltype'),
        'pg_catalog.quote_ident(f.conname)', 'pg_catalog.quote_ident(u.conname)',
        'CASE WHEN NOT f.condeferrable THEN 7 WHEN f.condeferred THEN 6 ELSE 5 END',
        q{CASE WHEN u.contype = 'p' THEN 'PRIMARY' ELSE 'UNIQUE' END},
        'pg_catalog.quote_ident(ut.typname)', 'pg_catalog.quote_ident(ft.typname)') . q{
      FROM pg_catalog.pg_constraint f
      JOIN pg_catalog.pg_class fc ON fc.oid = f.conrelid
      JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
      JOIN pg_catalog.pg_class uc ON uc.oid = f.confrelid
      JOIN pg_catalog.pg_namespace un ON un.oid = uc.relnamespace
      CROSS JOIN LATERAL unnest(f.conkey, f.confkey) WITH ORDINALITY AS k(fk_att, uk_att, n)
      JOIN pg_catalog.pg_attribute fa ON fa.attrelid = f.conrelid AND fa.attnum = k.fk_att
      JOIN pg_catalog.pg_type ft ON ft.oid = fa.atttypid
      JOIN pg_catalog.pg_attribute ua ON ua.attrelid = f.confrelid AND ua.attnum = k.uk_att
      JOIN pg_catalog.pg_type ut ON ut.oid = ua.atttypid
      LEFT JOIN pg_catalog.pg_constraint u ON u.conindid = f.conindid AND u.conrelid = f.confrelid AND u.contype IN ('p', 'u')
      WHERE f.contype = 'f' AND fc.relkind IN ('r', 'p') AND uc.relkind IN ('r', 'p') AND } . join(' AND ', @where) . q{
      ORDER BY f.conname, k.n};
    my $rows = $h->selectall_arrayref($sql, undef, @b) or return undef;
    return $h->_sponge('foreign_key_info', \@names, $rows);
}

sub _statistics_info_Pg {
    my ($h, $cat, $schema, $table, $unique_only, $quick) = @_;
    # DBD::Pg needs a table (undef without one)
    return undef unless defined $table && length $table;
    my $has_schema = defined $schema && length $schema;
    my $where = 't.relname = ?' . ($has_schema ? ' AND n.nspname = ?' : '');
    my @b = ($table, $has_schema ? $schema : ());
    my $prop = sub { "pg_catalog.pg_index_column_has_property(ic.oid, k.n, '$_[0]')" };
    my @parts;
    # the table's own row (TYPE 'table'), unless only unique indexes are asked for
    push @parts, qq{SELECT pg_catalog.current_database() AS "TABLE_CAT", n.nspname AS "TABLE_SCHEM", t.relname AS "TABLE_NAME",
        NULL::boolean AS "NON_UNIQUE", NULL::text AS "INDEX_QUALIFIER", NULL::name AS "INDEX_NAME", 'table'::text AS "TYPE",
        NULL::integer AS "ORDINAL_POSITION", NULL::name AS "COLUMN_NAME", NULL::text AS "ASC_OR_DESC",
        t.reltuples AS "CARDINALITY", t.relpages AS "PAGES", NULL::text AS "FILTER_CONDITION", NULL::text AS "pg_expression",
        NULL::boolean AS "pg_is_key_column", NULL::text AS "pg_null_ordering"
      FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace WHERE $where} unless $unique_only;
    push @parts, qq{SELECT pg_catalog.current_database() AS "TABLE_CAT", n.nspname AS "TABLE_SCHEM", t.relname AS "TABLE_NAME",
        NOT i.indisunique AS "NON_UNIQUE", NULL AS "INDEX_QUALIFIER", ic.relname AS "INDEX_NAME",
        CASE WHEN i.indisclustered THEN 'clustered' WHEN am.amname IN ('btree', 'hash') THEN replace(am.amname, 'hash', 'hashed') ELSE 'other' END AS "TYPE",
        k.n::integer AS "ORDINAL_POSITION", a.attname AS "COLUMN_NAME",
        CASE WHEN @{[ $prop->('asc') ]} THEN 'A' WHEN @{[ $prop->('desc') ]} THEN 'D' END AS "ASC_OR_DESC",
        ic.reltuples AS "CARDINALITY", ic.relpages AS "PAGES", pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS "FILTER_CONDITION",
        pg_catalog.pg_get_indexdef(i.indexrelid, k.n::integer, true) AS "pg_expression", k.n <= i.indnkeyatts AS "pg_is_key_column",
        CASE WHEN @{[ $prop->('nulls_first') ]} THEN 'first' WHEN @{[ $prop->('nulls_last') ]} THEN 'last' END AS "pg_null_ordering"
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_catalog.pg_am am ON am.oid = ic.relam
      CROSS JOIN LATERAL pg_catalog.generate_series(1, i.indnatts) AS k(n)
      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[k.n - 1]
      WHERE $where} . ($unique_only ? ' AND i.indisunique' : '');
    @b = (@b) x @parts;
    my $sth = $h->prepare(join(' UNION ALL ', @parts) . ' ORDER BY 4, 7, 5, 6, 8') or return undef;
    $sth->execute(@b) or return undef;
    return $sth;
}

# DBD::Pg 3.16's types: name, DBI code, size, quoted ('), create params, case sensitive,
# searchable, unsigned, local name, min / max scale (SQL_DATA_TYPE is the code; NULLABLE 1)
my $GIG = 1073741824;
my @PG_TYPES = (
    [ 'unknown', 0, 0, 0, undef, 0, 0, undef, 'UNKNOWN' ],
    [ 'bytea', -3, $GIG, 1, undef, 0, 3, undef, 'BYTEA' ],
    [ 'bpchar', 1, $GIG, 1, 'length', 1, 3, undef, 'CHARACTER' ],
    [ 'numeric', 3, 1000, 0, 'precision/scale', 0, 2, 0, 'FLOAT', 0, 1000 ],
    [ 'numeric', 2, 1000, 0, 'precision/scale', 0, 2, 0, 'FLOAT', 0, 1000 ],
    [ 'int4', 4, 10, 0, undef, 0, 2, 0, 'INTEGER', 0, 0 ],
    [ 'int2', 5, 5, 0, undef, 0, 2, 0, 'SMALLINT', 0, 0 ],
    [ 'float4', 6, 6, 0, 'precision/scale', 0, 2, 0, 'FLOAT', 0, 6 ],
    [ 'float8', 7, 15, 0, 'precision/scale', 0, 2, 0, 'REAL', 0, 15 ],
    [ 'int8', -5, 20, 0, undef, 0, 2, 0, 'INT8', 0, 0 ],
    [ 'date', 9, 10, 1, undef, 0, 2, undef, 'DATE', 0, 0 ],
    [ 'tinterval', 10, 18, 1, undef, 0, 2, undef, 'TINTERVAL', 0, 6 ],
    [ 'timestamp', 11, 29, 1, undef, 0, 2, undef, 'TIMESTAMP', 0, 6 ],
    [ 'text', -1, $GIG, 1, 'length', 1, 3, undef, 'TEXT' ],
    [ 'bool', 16, 1, 1, undef, 0, 2, undef, 'BOOLEAN' ],
    [ 'array', 50, 1, 1, undef, 0, 2, undef, 'ARRAY' ],
    [ 'date', 91, 10, 1, undef, 0, 2, undef, 'DATE', 0, 0 ],
    [ 'time', 92, 18, 1, undef, 0, 2, undef, 'TIME', 0, 6 ],
    [ 'timestamp', 93, 29, 1, undef, 0, 2, undef, 'TIMESTAMP', 0, 6 ],
    [ 'timetz', 94, 29, 1, undef, 0, 2, undef, 'TIMETZ', 0, 6 ],
    [ 'timestamptz', 95, 29, 1, undef, 0, 2, undef, 'TIMESTAMPTZ', 0, 6 ],
);

sub _type_info_all_Pg {
    my @rows = map {
        my ($name, $code, $size, $quoted, $create, $case, $search, $unsigned, $local, $min, $max) = @$_;
        [ $name, $code, $size, ($quoted ? ("'", "'") : (undef, undef)), $create, 1, $case, $search, $unsigned, 0, 0,
          $local, $min, $max, $code, undef, undef, undef ];
    } @PG_TYPES;
    return [ _type_info_index(), @rows ];
}

1;
