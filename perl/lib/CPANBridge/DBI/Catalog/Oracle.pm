package DBI::db;

# Catalog methods on Oracle, as DBD::Oracle implements them: one query over
# the ALL_* dictionary views, whose executed statement handle is the result
# (so NAME, column order and values are the server's, as with DBD::Oracle).
# The SQL and its bind values come from pure functions (_oracle_*_sql) that
# the tests check without a server. Differences from DBD::Oracle, all about
# how arguments reach the SQL, not what it returns:
#   * names and patterns are bound (`?`, numbered :1.. by the daemon), where
#     DBD::Oracle pastes table_info's arguments into the SQL text;
#   * column_info's filters come in a fixed order (DBD::Oracle walks a hash);
#   * the server is taken to be 12c or later (node-oracledb's thin mode needs
#     it), i.e. DBD::Oracle's newest variant of column_info's SQL.
# Loaded by CPANBridge/DBI/Catalog.pm.

use strict;
use warnings;

# DBD::Oracle's LIKE escape character for the catalog patterns.
my $LIKE = q{LIKE ? ESCAPE '\'};

sub _oracle_blank { !defined $_[0] || $_[0] eq '' }

# TABLE_TYPE argument -> list of types: "TABLE, 'VIEW'" -> (TABLE, VIEW).
# DBD::Oracle quotes each bare item into the SQL; a quoted item stays as is.
sub _oracle_types {
    my ($type) = @_;
    return () unless defined $type;
    (my $t = $type) =~ s/^\s+|\s+$//g;
    return map { /^'(.*)'$/s ? $1 =~ s/''/'/gr : $_ } split /\s*,\s*/, $t;
}

sub _oracle_table_info_sql {
    my ($cat, $schema, $table, $type) = @_;
    ($cat, $schema, $table, $type) = @$cat{qw(TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE)} if ref $cat eq 'HASH';
    # DBI's special enumerations (SQL/CLI 6.63 rules 19a-c); DBD::Oracle takes
    # undef like '' for the other arguments.
    if (defined $cat && $cat eq '%' && _oracle_blank($schema) && _oracle_blank($table)) {
        return q{SELECT NULL TABLE_CAT, NULL TABLE_SCHEM, NULL TABLE_NAME, NULL TABLE_TYPE, NULL REMARKS FROM DUAL};
    }
    if (defined $schema && $schema eq '%' && _oracle_blank($cat) && _oracle_blank($table)) {
        return q{SELECT NULL TABLE_CAT, s TABLE_SCHEM, NULL TABLE_NAME, NULL TABLE_TYPE, NULL REMARKS
  FROM (SELECT USERNAME s FROM ALL_USERS UNION SELECT 'PUBLIC' s FROM DUAL)
 ORDER BY TABLE_SCHEM};
    }
    if (defined $type && $type eq '%' && _oracle_blank($cat) && _oracle_blank($schema) && _oracle_blank($table)) {
        return q{SELECT NULL TABLE_CAT, NULL TABLE_SCHEM, NULL TABLE_NAME, t.tt TABLE_TYPE, NULL REMARKS
  FROM (SELECT 'TABLE' tt FROM DUAL UNION SELECT 'VIEW' tt FROM DUAL
        UNION SELECT 'SYNONYM' tt FROM DUAL UNION SELECT 'SEQUENCE' tt FROM DUAL) t
 ORDER BY TABLE_TYPE};
    }
    # Objects owned by SYS and SYSTEM are 'SYSTEM TABLE', 'SYSTEM VIEW'...;
    # a materialized view's table is a 'VIEW'.
    my $sql = q{SELECT * FROM (
  SELECT NULL TABLE_CAT
       , t.OWNER TABLE_SCHEM
       , t.TABLE_NAME TABLE_NAME
       , decode(t.OWNER, 'SYS', 'SYSTEM ', 'SYSTEM', 'SYSTEM ', '') || decode(mv.MVIEW_NAME, NULL, t.TABLE_TYPE, 'VIEW') TABLE_TYPE
       , c.COMMENTS REMARKS
    FROM ALL_TAB_COMMENTS c
   RIGHT JOIN ALL_CATALOG t ON t.OWNER = c.OWNER AND t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE = c.TABLE_TYPE
    LEFT JOIN ALL_MVIEWS mv ON mv.OWNER = t.OWNER AND mv.MVIEW_NAME = t.TABLE_NAME
)};
    my (@where, @b);
    # Any defined value filters, '' too (it is NULL to Oracle: no rows), as in DBD::Oracle.
    if (defined $schema) { push @where, "TABLE_SCHEM $LIKE"; push @b, $schema }
    if (defined $table)  { push @where, "TABLE_NAME $LIKE";  push @b, $table }
    # Case-sensitive and after the SYSTEM prefix, as in DBD::Oracle; an empty
    # list (type '') would be `IN ()` there, a syntax error: no filter here.
    if (my @types = _oracle_types($type)) {
        push @where, 'TABLE_TYPE IN (' . join(', ', ('?') x @types) . ')';
        push @b, @types;
    }
    $sql .= "\n WHERE " . join("\n   AND ", @where) if @where;
    $sql .= "\n ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME";
    return ($sql, @b);
}

# DBI type codes of Oracle's DATA_TYPE names (DBD::Oracle's decode lists);
# SQL_DATA_TYPE differs only for DATE (9, SQL_DATETIME, instead of 93).
sub _oracle_type_decode {
    my ($date) = @_;
    return qq{decode(tc.DATA_TYPE
           , 'MLSLABEL', -9106, 'ROWID', -9104, 'UROWID', -9104, 'BFILE', -4, 'LONG RAW', -4
           , 'RAW', -3, 'LONG', -1, 'UNDEFINED', 0, 'CHAR', 1, 'NCHAR', 1
           , 'NUMBER', decode(tc.DATA_SCALE, NULL, 8, 3), 'FLOAT', 8
           , 'VARCHAR2', 12, 'NVARCHAR2', 12, 'BLOB', 30, 'CLOB', 40, 'NCLOB', 40
           , 'DATE', $date, NULL)};
}

my @ORACLE_COLUMN_INFO = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE
    BUFFER_LENGTH DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE REMARKS COLUMN_DEF SQL_DATA_TYPE SQL_DATETIME_SUB
    CHAR_OCTET_LENGTH ORDINAL_POSITION IS_NULLABLE);
my %ORACLE_COLUMN_INFO = map { $_ => 1 } @ORACLE_COLUMN_INFO;

sub _oracle_column_info_sql {
    my ($cat, $schema, $table, $column) = @_;
    # DBD::Oracle also takes a hash of result columns to match; only those
    # names are used here, as they go into the SQL text.
    my %f = ref $cat eq 'HASH' ? (map { $ORACLE_COLUMN_INFO{$_} ? ($_ => $cat->{$_}) : () } keys %$cat)
                               : (TABLE_SCHEM => $schema, TABLE_NAME => $table, COLUMN_NAME => $column);
    my $data_type = _oracle_type_decode(93);
    my $sql_data_type = _oracle_type_decode(9);
    my $sql = qq{SELECT * FROM (
  SELECT to_char(NULL) TABLE_CAT
       , tc.OWNER TABLE_SCHEM
       , tc.TABLE_NAME TABLE_NAME
       , tc.COLUMN_NAME COLUMN_NAME
       , CASE WHEN tc.DATA_TYPE LIKE 'TIMESTAMP% WITH% TIME ZONE' THEN 95
              WHEN tc.DATA_TYPE LIKE 'TIMESTAMP%' THEN 93
              WHEN tc.DATA_TYPE LIKE 'INTERVAL DAY% TO SECOND%' THEN 110
              WHEN tc.DATA_TYPE LIKE 'INTERVAL YEAR% TO MONTH' THEN 107
         ELSE $data_type END DATA_TYPE
       , tc.DATA_TYPE TYPE_NAME
       , decode(tc.DATA_TYPE
           , 'LONG RAW', 2147483647, 'LONG', 2147483647, 'CLOB', 2147483647, 'NCLOB', 2147483647
           , 'BLOB', 2147483647, 'BFILE', 2147483647
           , 'NUMBER', decode(tc.DATA_SCALE, NULL, 126, nvl(tc.DATA_PRECISION, 38))
           , 'FLOAT', tc.DATA_PRECISION, 'DATE', 19
           , 'VARCHAR2', tc.CHAR_LENGTH, 'CHAR', tc.CHAR_LENGTH, 'NVARCHAR2', tc.CHAR_LENGTH, 'NCHAR', tc.CHAR_LENGTH
           , tc.DATA_LENGTH) COLUMN_SIZE
       , decode(tc.DATA_TYPE
           , 'LONG RAW', 2147483647, 'LONG', 2147483647, 'CLOB', 2147483647, 'NCLOB', 2147483647
           , 'BLOB', 2147483647, 'BFILE', 2147483647
           , 'NUMBER', nvl(tc.DATA_PRECISION, 38) + 2, 'FLOAT', 8, 'DATE', 16
           , tc.DATA_LENGTH) BUFFER_LENGTH
       , decode(tc.DATA_TYPE, 'DATE', 0, tc.DATA_SCALE) DECIMAL_DIGITS
       , decode(tc.DATA_TYPE, 'FLOAT', 2, 'NUMBER', decode(tc.DATA_SCALE, NULL, 2, 10), NULL) NUM_PREC_RADIX
       , decode(tc.NULLABLE, 'Y', 1, 'N', 0, NULL) NULLABLE
       , cc.COMMENTS REMARKS
       , tc.DATA_DEFAULT COLUMN_DEF
       , $sql_data_type SQL_DATA_TYPE
       , decode(tc.DATA_TYPE, 'DATE', 3, NULL) SQL_DATETIME_SUB
       , to_number(NULL) CHAR_OCTET_LENGTH
       , tc.COLUMN_ID ORDINAL_POSITION
       , decode(tc.NULLABLE, 'Y', 'YES', 'N', 'NO', NULL) IS_NULLABLE
    FROM ALL_TAB_COLUMNS tc
       , ALL_COL_COMMENTS cc
   WHERE tc.OWNER = cc.OWNER
     AND tc.TABLE_NAME = cc.TABLE_NAME
     AND tc.COLUMN_NAME = cc.COLUMN_NAME
)
 WHERE 1 = 1};
    my @b;
    # Only true values filter, as in DBD::Oracle (undef, '' and '0' do not).
    for my $k (grep { exists $f{$_} } @ORACLE_COLUMN_INFO) {
        next unless $f{$k};
        $sql .= "\n   AND $k $LIKE";
        push @b, $f{$k};
    }
    $sql .= "\n ORDER BY TABLE_SCHEM, TABLE_NAME, ORDINAL_POSITION";
    return ($sql, @b);
}

sub _oracle_primary_key_info_sql {
    my ($cat, $schema, $table) = @_;
    ($schema, $table) = @$cat{qw(TABLE_SCHEM TABLE_NAME)} if ref $cat eq 'HASH';
    # Exact names, both always bound: DBD::Oracle finds nothing without a
    # schema (TABLE_SCHEM = NULL).
    my $sql = q{SELECT * FROM (
  SELECT NULL TABLE_CAT
       , c.OWNER TABLE_SCHEM
       , c.TABLE_NAME TABLE_NAME
       , c.COLUMN_NAME COLUMN_NAME
       , c.POSITION KEY_SEQ
       , c.CONSTRAINT_NAME PK_NAME
    FROM ALL_CONSTRAINTS p
       , ALL_CONS_COLUMNS c
   WHERE p.OWNER = c.OWNER
     AND p.TABLE_NAME = c.TABLE_NAME
     AND p.CONSTRAINT_NAME = c.CONSTRAINT_NAME
     AND p.CONSTRAINT_TYPE = 'P'
     AND p.STATUS = 'ENABLED'
)
 WHERE TABLE_SCHEM = ?
   AND TABLE_NAME = ?
 ORDER BY TABLE_SCHEM, TABLE_NAME, KEY_SEQ};
    return ($sql, $schema, $table);
}

# foreign_key_info: DBD::Oracle's columns (UK_*/FK_*, DEFERABILITY as it spells it, always
# NULL; UPDATE_RULE 3: Oracle has no ON UPDATE), enabled foreign keys only. A hash of
# UK_TABLE_SCHEM / UK_TABLE_NAME / FK_TABLE_SCHEM / FK_TABLE_NAME may replace the arguments;
# only true values filter, exact names, in that fixed order (DBD::Oracle walks a hash).
my @ORACLE_FK_FILTERS = qw(UK_TABLE_SCHEM UK_TABLE_NAME FK_TABLE_SCHEM FK_TABLE_NAME);

sub _oracle_foreign_key_info_sql {
    my ($uk_cat, $uk_schema, $uk_table, $fk_cat, $fk_schema, $fk_table) = @_;
    my %f = ref $uk_cat eq 'HASH' ? %$uk_cat
        : (UK_TABLE_SCHEM => $uk_schema, UK_TABLE_NAME => $uk_table, FK_TABLE_SCHEM => $fk_schema, FK_TABLE_NAME => $fk_table);
    my $sql = q{SELECT * FROM (
  SELECT to_char(NULL) UK_TABLE_CAT
       , uk.OWNER UK_TABLE_SCHEM
       , uk.TABLE_NAME UK_TABLE_NAME
       , ukc.COLUMN_NAME UK_COLUMN_NAME
       , to_char(NULL) FK_TABLE_CAT
       , fk.OWNER FK_TABLE_SCHEM
       , fk.TABLE_NAME FK_TABLE_NAME
       , fkc.COLUMN_NAME FK_COLUMN_NAME
       , ukc.POSITION ORDINAL_POSITION
       , 3 UPDATE_RULE
       , decode(fk.DELETE_RULE, 'CASCADE', 0, 'RESTRICT', 1, 'SET NULL', 2, 'NO ACTION', 3, 'SET DEFAULT', 4) DELETE_RULE
       , fk.CONSTRAINT_NAME FK_NAME
       , uk.CONSTRAINT_NAME UK_NAME
       , to_char(NULL) DEFERABILITY
       , decode(uk.CONSTRAINT_TYPE, 'P', 'PRIMARY', 'U', 'UNIQUE') UNIQUE_OR_PRIMARY
    FROM ALL_CONSTRAINTS fk
    JOIN ALL_CONS_COLUMNS fkc ON fkc.OWNER = fk.OWNER AND fkc.CONSTRAINT_NAME = fk.CONSTRAINT_NAME
    JOIN ALL_CONSTRAINTS uk ON uk.OWNER = fk.R_OWNER AND uk.CONSTRAINT_NAME = fk.R_CONSTRAINT_NAME
    JOIN ALL_CONS_COLUMNS ukc ON ukc.OWNER = uk.OWNER AND ukc.CONSTRAINT_NAME = uk.CONSTRAINT_NAME AND ukc.POSITION = fkc.POSITION
   WHERE fk.CONSTRAINT_TYPE = 'R'
     AND uk.CONSTRAINT_TYPE IN ('P', 'U')
     AND fk.STATUS = 'ENABLED'
)
 WHERE 1 = 1};
    my @b;
    for my $k (@ORACLE_FK_FILTERS) {
        next unless $f{$k};
        $sql .= "\n   AND $k = ?";
        push @b, $f{$k};
    }
    $sql .= "\n ORDER BY UK_TABLE_SCHEM, UK_TABLE_NAME, FK_TABLE_SCHEM, FK_TABLE_NAME, ORDINAL_POSITION";
    return ($sql, @b);
}

# statistics_info: the table's row (TYPE 'table', from ALL_TABLES' statistics) and one row per
# indexed column (ALL_INDEXES / ALL_IND_COLUMNS), as DBD::Oracle's query; schema and table are
# exact and always bound (no schema: no rows), unique_only keeps UNIQUE indexes.
sub _oracle_statistics_info_sql {
    my ($cat, $schema, $table, $unique_only) = @_;
    ($schema, $table) = @$cat{qw(TABLE_SCHEM TABLE_NAME)} if ref $cat eq 'HASH';
    my $sql = q{SELECT * FROM (
  SELECT NULL TABLE_CAT
       , t.OWNER TABLE_SCHEM
       , t.TABLE_NAME TABLE_NAME
       , to_number(NULL) NON_UNIQUE
       , NULL INDEX_QUALIFIER
       , NULL INDEX_NAME
       , 'table' TYPE
       , to_number(NULL) ORDINAL_POSITION
       , NULL COLUMN_NAME
       , NULL ASC_OR_DESC
       , t.NUM_ROWS CARDINALITY
       , t.BLOCKS PAGES
       , NULL FILTER_CONDITION
    FROM ALL_TABLES t
   UNION
  SELECT NULL
       , i.OWNER
       , i.TABLE_NAME
       , decode(i.UNIQUENESS, 'UNIQUE', 0, 1)
       , c.INDEX_OWNER
       , c.INDEX_NAME
       , decode(i.INDEX_TYPE, 'NORMAL', 'btree', 'CLUSTER', 'clustered', 'other')
       , c.COLUMN_POSITION
       , c.COLUMN_NAME
       , decode(c.DESCEND, 'ASC', 'A', 'DESC', 'D')
       , i.DISTINCT_KEYS
       , i.LEAF_BLOCKS
       , NULL
    FROM ALL_INDEXES i
    JOIN ALL_IND_COLUMNS c ON c.INDEX_OWNER = i.OWNER AND c.INDEX_NAME = i.INDEX_NAME
                          AND c.TABLE_OWNER = i.TABLE_OWNER AND c.TABLE_NAME = i.TABLE_NAME
   WHERE i.UNIQUENESS LIKE ?
)
 WHERE TABLE_SCHEM = ?
   AND TABLE_NAME = ?
 ORDER BY NON_UNIQUE, TYPE, INDEX_QUALIFIER, INDEX_NAME, ORDINAL_POSITION};
    return ($sql, ($unique_only ? 'UNIQUE' : '%'), $schema, $table);
}

# DBD::Oracle returns its executed catalog statement, not a sponge.
sub _oracle_catalog_sth {
    my ($h, $sql, @b) = @_;
    my $sth = $h->prepare($sql) or return undef;
    $sth->execute(@b) or return undef;
    return $sth;
}

sub _table_info_Oracle {
    my ($h, @a) = @_;
    return _oracle_catalog_sth($h, _oracle_table_info_sql(@a[0 .. 3]));
}

sub _column_info_Oracle {
    my ($h, @a) = @_;
    return _oracle_catalog_sth($h, _oracle_column_info_sql(@a[0 .. 3]));
}

sub _primary_key_info_Oracle {
    my ($h, @a) = @_;
    return _oracle_catalog_sth($h, _oracle_primary_key_info_sql(@a[0 .. 2]));
}

sub _foreign_key_info_Oracle {
    my ($h, @a) = @_;
    return _oracle_catalog_sth($h, _oracle_foreign_key_info_sql(@a[0 .. 5]));
}

sub _statistics_info_Oracle {
    my ($h, @a) = @_;
    return _oracle_catalog_sth($h, _oracle_statistics_info_sql(@a[0 .. 3]));
}

1;
