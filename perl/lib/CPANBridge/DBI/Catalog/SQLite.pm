package DBI::db;

# Catalog methods of DBD::SQLite 1.72 that Catalog.pm does not hold: foreign_key_info and
# statistics_info from the PRAGMAs (rows handed out as DBI::Sponge's, upper-case names whatever
# the handle's FetchHashKeyName), type_info_all and get_info from its tables of constants.
# Loaded by CPANBridge/DBI/Catalog.pm.

use strict;
use warnings;

my @FOREIGN_KEY_INFO = qw(PKTABLE_CAT PKTABLE_SCHEM PKTABLE_NAME PKCOLUMN_NAME FKTABLE_CAT FKTABLE_SCHEM
    FKTABLE_NAME FKCOLUMN_NAME KEY_SEQ UPDATE_RULE DELETE_RULE FK_NAME PK_NAME DEFERRABILITY UNIQUE_OR_PRIMARY);
my @STATISTICS_INFO = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME NON_UNIQUE INDEX_QUALIFIER INDEX_NAME TYPE
    ORDINAL_POSITION COLUMN_NAME ASC_OR_DESC CARDINALITY PAGES FILTER_CONDITION);

# DBI's codes for referential actions and deferrability
my %RULE = ('CASCADE' => 0, 'RESTRICT' => 1, 'SET NULL' => 2, 'NO ACTION' => 3, 'SET DEFAULT' => 4,
            'INITIALLY DEFERRED' => 5, 'INITIALLY IMMEDIATE' => 6, 'NOT DEFERRABLE' => 7);

sub _sqlite_master {
    my ($h, $db) = @_;
    return $db eq 'main' ? 'sqlite_master' : $db eq 'temp' ? 'sqlite_temp_master' : $h->quote_identifier($db) . '.sqlite_master';
}

sub _sqlite_tables {
    my ($h, $db) = @_;
    return $h->selectall_arrayref('SELECT name, sql FROM ' . _sqlite_master($h, $db) . ' WHERE type = ?', undef, 'table');
}

# The deferrability a table's DDL gives the constraint over these columns (7: not deferrable).
sub _sqlite_deferrable {
    my ($ddl, $local, $remote) = @_;
    my $q = sub { '"?' . join('"?\s*,\s*"?', map { quotemeta } @_) . '"?' };
    my $actions = qr/(?:(?:on\s+(?:delete|update)\s+(?:set\s+null|set\s+default|cascade|restrict|no\s+action)|match\s*(?:\S+|".+?(?<!")"))\s*)*/si;
    my $clause = qr/((?:not)?\s*deferrable(?:\s*initially\s*(?:immediate|deferred))?)?/si;
    my $lc = $q->(@$local);
    my $rc = $q->(@$remote);
    my ($d) = ($ddl // '') =~ /foreign\s+key\s*\(\s*$lc\s*\)\s*references\s*(?:\S+|".+?(?<!")")\s*(?:\(\s*$rc\s*\)\s*)?$actions$clause/si;
    if (!$d && @$local == 1) {
        my $l = quotemeta $local->[0];
        my $r = quotemeta($remote->[0] // '');
        ($d) = ($ddl // '') =~ /"?$l"?\s*(?:\w+\s*)*(?:\(\s*\d\+(?:\s*,\s*\d+)*\s*\))?\s*references\s+(?:\S+|".+?(?<!")")(?:\s*\(\s*"?$r"?\s*\))?\s*$actions$clause/si;
    }
    return $RULE{'NOT DEFERRABLE'} if !$d || $d =~ /not/i;
    return $d =~ /deferred/i ? $RULE{'INITIALLY DEFERRED'} : $RULE{'INITIALLY IMMEDIATE'};
}

sub _foreign_key_info_SQLite {
    my ($h, $pk_cat, $pk_schema, $pk_table, $fk_cat, $fk_schema, $fk_table) = @_;
    my $dbs = _rows_by_name($h, 'PRAGMA database_list') or return undef;
    my (@out, %pk_of);
    my $want = sub { !defined $_[0] || $_[0] eq '%' || $_[0] eq $_[1] };
    for my $db (map { $_->{name} } @$dbs) {
        next unless $want->($fk_schema, $db);
        my $tables = _sqlite_tables($h, $db) or return undef;
        for my $t (@$tables) {
            my ($name, $ddl) = @$t;
            next unless $want->($fk_table, $name);
            my $fks = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($db) . '.foreign_key_list(' . $h->quote_identifier($name) . ')') or return undef;
            my (%rel, %rows);
            for my $fk (@$fks) {
                next unless $want->($pk_table, $fk->{table});
                # where the referenced table is, and its primary key columns
                $pk_of{ $fk->{table} } ||= do {
                    my $found;
                    for my $d (map { $_->{name} } @$dbs) {
                        my $cols = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($d) . '.table_info(' . $h->quote_identifier($fk->{table}) . ')') or return undef;
                        if (@$cols) { $found = { schema => $d, pk => { map { ($_->{name} => $_->{pk}) } @$cols } }; last }
                    }
                    $found || { schema => undef, pk => {} };
                };
                my $pk = $pk_of{ $fk->{table} };
                next unless $want->($pk_schema, $pk->{schema} // '');
                my $r = $rel{ $fk->{id} } ||= { local => [], remote => [] };
                push @{ $r->{local} }, $fk->{from};
                push @{ $r->{remote} }, $fk->{to} if defined $fk->{to};
                my %row = (
                    PKTABLE_SCHEM => $pk->{schema}, PKTABLE_NAME => $fk->{table}, PKCOLUMN_NAME => $fk->{to},
                    FKTABLE_SCHEM => $db, FKTABLE_NAME => $name, FKCOLUMN_NAME => $fk->{from}, KEY_SEQ => $fk->{seq} + 1,
                    UPDATE_RULE => $RULE{ $fk->{on_update} }, DELETE_RULE => $RULE{ $fk->{on_delete} },
                    UNIQUE_OR_PRIMARY => (defined $fk->{to} && $pk->{pk}{ $fk->{to} } ? 'PRIMARY' : 'UNIQUE'),
                );
                push @out, \%row;
                push @{ $rows{ $fk->{id} } }, \%row;
            }
            for my $id (keys %rows) {
                my $d = _sqlite_deferrable($ddl, $rel{$id}{local}, $rel{$id}{remote});
                $_->{DEFERRABILITY} = $d for @{ $rows{$id} };
            }
        }
    }
    return $h->_sponge('foreign_key_info', \@FOREIGN_KEY_INFO, [ map { [ @{$_}{@FOREIGN_KEY_INFO} ] } @out ]);
}

sub _statistics_info_SQLite {
    my ($h, $cat, $schema, $table, $unique_only, $quick) = @_;
    my $dbs = _rows_by_name($h, 'PRAGMA database_list') or return undef;
    my @out;
    for my $db (map { $_->{name} } @$dbs) {
        next if defined $schema && $schema ne '%' && $schema ne $db;
        my $tables = _sqlite_tables($h, $db) or return undef;
        for my $name (map { $_->[0] } @$tables) {
            next if defined $table && $table ne '%' && uc $table ne uc $name;
            my $idx = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($db) . '.index_list(' . $h->quote_identifier($name) . ')') or return undef;
            for my $ix (@$idx) {
                next if $unique_only && !$ix->{unique};
                # DBD::SQLite looks the index up in every attached database, each answering for itself
                for my $d (map { $_->{name} } @$dbs) {
                    my $cols = _rows_by_name($h, 'PRAGMA ' . $h->quote_identifier($d) . '.index_info(' . $h->quote_identifier($ix->{name}) . ')') or return undef;
                    push @out, [ undef, $d, $name, ($ix->{unique} ? 0 : 1), undef, $ix->{name}, 'btree', $_->{seqno} + 1, $_->{name}, undef, undef, undef, undef ]
                        for @$cols;
                }
            }
        }
    }
    return $h->_sponge('statistics_info', \@STATISTICS_INFO, \@out);
}

# DBD::SQLite's types, by DBI type code (in that order: SQL_UNKNOWN_TYPE 0, INTEGER 4, DOUBLE 8, VARCHAR 12, BLOB 30)
my @SQLITE_TYPES = (
    { DATA_TYPE => 0 },
    { TYPE_NAME => 'INTEGER', DATA_TYPE => 4, NULLABLE => 2, SEARCHABLE => 3 },
    { TYPE_NAME => 'REAL', DATA_TYPE => 8, NULLABLE => 1, SEARCHABLE => 3 },
    { TYPE_NAME => 'TEXT', DATA_TYPE => 12, LITERAL_PREFIX => "'", LITERAL_SUFFIX => "'", NULLABLE => 1, SEARCHABLE => 3 },
    { TYPE_NAME => 'BLOB', DATA_TYPE => 30, NULLABLE => 1, SEARCHABLE => 3 },
);

sub _type_info_all_SQLite {
    my $index = _type_info_index();
    my @keys = sort { $index->{$a} <=> $index->{$b} } keys %$index;
    return [ $index, map { my $t = $_; [ map { $t->{$_} } @keys ] } @SQLITE_TYPES ];
}

# DBD::SQLite::GetInfo's answers for the info types scripts ask (code refs: computed on the handle)
my %SQLITE_INFO = (
    2 => sub { 'dbi:SQLite:' . ($_[0]{Name} // '') }, 6 => 'libsqlite3odbc.so', 7 => '01.72.0000', 10 => '03.00',
    13 => sub { $_[0]{Name} }, 14 => '\\', 17 => 'SQLite',
    16 => sub { my $d = $_[0]->selectall_arrayref('PRAGMA database_list'); my ($m) = grep { $_->[0] == 0 } @{ $d || [] }; $m && $m->[1] },
    # the daemon's SQLite, which is the one that runs the statements
    18 => sub { ($_[0]->selectrow_array('SELECT sqlite_version()'))[0] },
    23 => 2, 24 => 2,
    89 => join(',', qw(ABORT AFTER ANALYZE ATTACH AUTOINCREMENT BEFORE CONFLICT DATABASE DETACH EACH EXCLUSIVE EXPLAIN FAIL
        GLOB IF IGNORE INDEXED INSTEAD ISNULL LIMIT NOTNULL OFFSET PLAN PRAGMA QUERY RAISE RECURSIVE REGEXP REINDEX RELEASE
        RENAME REPLACE ROW SAVEPOINT TEMP TRIGGER VACUUM VIRTUAL WITHOUT)),
    26 => 8, 28 => 4, 29 => '"', 30 => 1000000, 32 => 1000000, 35 => 1000000, 39 => '', 40 => '', 41 => '.',
    42 => 'database', 45 => 'table', 46 => 2, 47 => '', 77 => '03.00', 85 => 1, 93 => 4, 94 => '', 114 => 1,
    10003 => 'Y', 10005 => 1000000, 10021 => 0,
);

sub _get_info_SQLite { _info_from(\%SQLITE_INFO, @_) }

1;
