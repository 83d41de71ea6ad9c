#!/usr/bin/perl
# Oracle catalog methods (perl/lib/CPANBridge/DBI/Catalog/Oracle.pm): the SQL
# and bind values built for each argument combination (no server needed), the
# way they reach prepare/execute, and, when ORACLE_TEST_DSN names a server
# (with ORACLE_TEST_USER / ORACLE_TEST_PASSWORD), table_info, column_info,
# primary_key_info, primary_key, foreign_key_info, statistics_info, get_info and
# type_info on real tables through the bridge; type_info_all and get_info answers.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use DBI;
use JSON::PP ();

ok !grep({ m{^DBD/} } keys %INC), 'no DBD module loaded';
unlike $INC{'DBI.pm'}, qr{^/usr/}, 'DBI.pm is the shim';
ok(DBI::db->can("_${_}_Oracle"), "DBI::db::_${_}_Oracle exists") for qw(table_info column_info primary_key_info foreign_key_info statistics_info type_info_all get_info);

my @SQLS;    # every built statement with its binds, checked against the daemon's placeholder numbering below

sub build {
    my ($what, @args) = @_;
    my ($sql, @b) = DBI::db->can("_oracle_${what}_sql")->(@args);
    push @SQLS, [ $sql, scalar @b ];
    return ($sql, @b);
}

# `?` outside string literals and comments, as the daemon counts them.
sub placeholders {
    my ($s) = @_;
    $s =~ s/'(?:[^']|'')*'//g;
    $s =~ s/--[^\n]*//g;
    $s =~ s{/\*.*?\*/}{}gs;
    return scalar(() = $s =~ /\?/g);
}

sub where_of { my ($sql) = @_; $sql =~ /\n WHERE (.*?)\n ORDER BY/s ? [ split /\n   AND /, $1 ] : [] }

my $LIKE = q{LIKE ? ESCAPE '\'};

subtest 'table_info SQL' => sub {
    my ($sql, @b) = build('table_info', undef, 'SCOTT', 'EMP', undef);
    like $sql, qr/\bFROM ALL_TAB_COMMENTS c\s+RIGHT JOIN ALL_CATALOG t\b/, 'ALL_CATALOG with ALL_TAB_COMMENTS';
    like $sql, qr/LEFT JOIN ALL_MVIEWS mv\b/, 'materialized views looked up';
    like $sql, qr/decode\(t\.OWNER, 'SYS', 'SYSTEM ', 'SYSTEM', 'SYSTEM ', ''\) \|\| decode\(mv\.MVIEW_NAME, NULL, t\.TABLE_TYPE, 'VIEW'\) TABLE_TYPE/,
        'SYSTEM prefix for SYS/SYSTEM, VIEW for a materialized view';
    like $sql, qr/NULL TABLE_CAT\s+, t\.OWNER TABLE_SCHEM\s+, t\.TABLE_NAME TABLE_NAME\s+, .* TABLE_TYPE\s+, c\.COMMENTS REMARKS\s/s,
        'columns TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS in order';
    is_deeply where_of($sql), ["TABLE_SCHEM $LIKE", "TABLE_NAME $LIKE"], 'exact names: schema and table filters';
    is_deeply \@b, ['SCOTT', 'EMP'], 'binds';
    like $sql, qr/\n ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME\z/, 'ordered by type, schema, name';

    ($sql, @b) = build('table_info', undef, 'SC%', 'E_P\_X', undef);
    is_deeply \@b, ['SC%', 'E_P\_X'], 'LIKE patterns are bound as given (% _ and the \\ escape)';
    ($sql, @b) = build('table_info', undef, 'hr', 'MixedCase', undef);
    is_deeply \@b, ['hr', 'MixedCase'], 'case kept: the search is case-sensitive, as in DBD::Oracle';

    ($sql, @b) = build('table_info', undef, undef, undef, undef);
    unlike $sql, qr/\n WHERE /, 'all undef: no filter';
    is scalar @b, 0, 'no binds';
    like $sql, qr/ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME\z/, 'still ordered';

    ($sql, @b) = build('table_info', 'ANY', undef, 'T%', undef);
    is_deeply where_of($sql), ["TABLE_NAME $LIKE"], 'catalog ignored, table only';
    is_deeply \@b, ['T%'], 'table bind';

    ($sql, @b) = build('table_info', undef, '', 'T', undef);
    is_deeply where_of($sql), ["TABLE_SCHEM $LIKE", "TABLE_NAME $LIKE"], "'' schema still filters, as in DBD::Oracle";
    is_deeply \@b, ['', 'T'], "'' bound";

    ($sql, @b) = build('table_info', undef, undef, undef, 'TABLE');
    is_deeply where_of($sql), ['TABLE_TYPE IN (?)'], 'one type';
    is_deeply \@b, ['TABLE'], 'type bind';

    ($sql, @b) = build('table_info', undef, 'S', undef, "'TABLE','VIEW'");
    is_deeply where_of($sql), ["TABLE_SCHEM $LIKE", 'TABLE_TYPE IN (?, ?)'], "quoted list 'TABLE','VIEW'";
    is_deeply \@b, ['S', 'TABLE', 'VIEW'], 'quotes removed';

    ($sql, @b) = build('table_info', undef, undef, undef, "  TABLE , 'SYSTEM TABLE',SYNONYM ");
    is_deeply \@b, ['TABLE', 'SYSTEM TABLE', 'SYNONYM'], 'bare and quoted types, spaces trimmed';
    like $sql, qr/TABLE_TYPE IN \(\?, \?, \?\)/, 'three type placeholders';

    ($sql, @b) = build('table_info', undef, undef, undef, "'it''s'");
    is_deeply \@b, ["it's"], 'doubled quote in a quoted type';

    ($sql, @b) = build('table_info', undef, undef, undef, 'table');
    is_deeply \@b, ['table'], 'types kept case-sensitive, as DBD::Oracle compares them';

    ($sql, @b) = build('table_info', undef, undef, undef, '');
    unlike $sql, qr/TABLE_TYPE IN/, "type '': no type filter";

    ($sql, @b) = build('table_info', undef, undef, '%', '%');
    is_deeply where_of($sql), ["TABLE_NAME $LIKE", 'TABLE_TYPE IN (?)'], "type '%' with a table is a plain filter";
    is_deeply \@b, ['%', '%'], 'binds';

    ($sql, @b) = build('table_info', { TABLE_SCHEM => 'HR', TABLE_NAME => 'JOBS', TABLE_TYPE => 'VIEW' });
    is_deeply \@b, ['HR', 'JOBS', 'VIEW'], 'hash argument';
};

subtest 'table_info special enumerations' => sub {
    for my $args (['%', '', ''], ['%', undef, undef], ['%']) {
        my ($sql, @b) = build('table_info', @$args);
        is $sql, 'SELECT NULL TABLE_CAT, NULL TABLE_SCHEM, NULL TABLE_NAME, NULL TABLE_TYPE, NULL REMARKS FROM DUAL',
            'catalogs: ' . join(',', map { defined ? "'$_'" : 'undef' } @$args);
        is scalar @b, 0, 'no binds';
    }
    for my $args (['', '%', ''], [undef, '%', undef]) {
        my ($sql, @b) = build('table_info', @$args);
        like $sql, qr/SELECT NULL TABLE_CAT, s TABLE_SCHEM, NULL TABLE_NAME, NULL TABLE_TYPE, NULL REMARKS\s+FROM \(SELECT USERNAME s FROM ALL_USERS UNION SELECT 'PUBLIC' s FROM DUAL\)\s+ORDER BY TABLE_SCHEM\z/,
            'schemas: ALL_USERS and PUBLIC';
        is scalar @b, 0, 'no binds';
    }
    for my $args (['', '', '', '%'], [undef, undef, undef, '%']) {
        my ($sql, @b) = build('table_info', @$args);
        my @types = $sql =~ /SELECT '(\w+)' tt FROM DUAL/g;
        is_deeply \@types, [qw(TABLE VIEW SYNONYM SEQUENCE)], 'table types';
        like $sql, qr/^SELECT NULL TABLE_CAT, NULL TABLE_SCHEM, NULL TABLE_NAME, t\.tt TABLE_TYPE, NULL REMARKS\b.*ORDER BY TABLE_TYPE\z/s, 'columns and order';
        is scalar @b, 0, 'no binds';
    }
    my ($sql, @b) = build('table_info', '%', 'X', '');
    like $sql, qr/ALL_CATALOG/, "catalog '%' with a schema is a search";
    is_deeply \@b, ['X', ''], 'schema and table bound';
    ($sql, @b) = build('table_info', '', '%', 'T');
    is_deeply \@b, ['%', 'T'], "schema '%' with a table is a search";
    ($sql, @b) = build('table_info', 'C', '', '', '%');
    is_deeply where_of($sql), ["TABLE_SCHEM $LIKE", "TABLE_NAME $LIKE", 'TABLE_TYPE IN (?)'], "type '%' with a catalog is a search";
};

subtest 'column_info SQL' => sub {
    my ($sql, @b) = build('column_info', undef, 'SCOTT', 'EMP', '%');
    my @names = qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE BUFFER_LENGTH
        DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE REMARKS COLUMN_DEF SQL_DATA_TYPE SQL_DATETIME_SUB CHAR_OCTET_LENGTH
        ORDINAL_POSITION IS_NULLABLE);
    my ($select) = $sql =~ /^SELECT \* FROM \(\n  SELECT (.*?)\n    FROM ALL_TAB_COLUMNS tc\n       , ALL_COL_COMMENTS cc\n/s;
    ok $select, 'ALL_TAB_COLUMNS joined with ALL_COL_COMMENTS';
    my @aliases = map { /(\w+)\z/ } split /\n       , /, $select // '';
    is_deeply \@aliases, \@names, 'the 18 DBI column_info columns, in order';
    is_deeply where_of($sql), ['1 = 1', "TABLE_SCHEM $LIKE", "TABLE_NAME $LIKE", "COLUMN_NAME $LIKE"], 'schema, table, column patterns';
    is_deeply \@b, ['SCOTT', 'EMP', '%'], 'binds';
    like $sql, qr/\n ORDER BY TABLE_SCHEM, TABLE_NAME, ORDINAL_POSITION\z/, 'ordered by schema, table, position';
    like $sql, qr/WHEN tc\.DATA_TYPE LIKE 'TIMESTAMP% WITH% TIME ZONE' THEN 95\s+WHEN tc\.DATA_TYPE LIKE 'TIMESTAMP%' THEN 93/, 'timestamp codes';
    like $sql, qr/ELSE decode\(tc\.DATA_TYPE.*'VARCHAR2', 12.*'DATE', 93, NULL\) END DATA_TYPE/s, 'DATA_TYPE: DATE is 93';
    like $sql, qr/'NUMBER', decode\(tc\.DATA_SCALE, NULL, 8, 3\)/, 'NUMBER without scale is a float (8), with scale a decimal (3)';
    like $sql, qr/'DATE', 9, NULL\) SQL_DATA_TYPE/, 'SQL_DATA_TYPE: DATE is 9';
    like $sql, qr/'VARCHAR2', tc\.CHAR_LENGTH.*tc\.DATA_LENGTH\) COLUMN_SIZE/s, 'COLUMN_SIZE in characters';
    like $sql, qr/tc\.DATA_DEFAULT COLUMN_DEF/, 'COLUMN_DEF from DATA_DEFAULT';
    like $sql, qr/decode\(tc\.NULLABLE, 'Y', 1, 'N', 0, NULL\) NULLABLE/, 'NULLABLE';
    like $sql, qr/tc\.COLUMN_ID ORDINAL_POSITION/, 'ORDINAL_POSITION';

    ($sql, @b) = build('column_info', undef, undef, 'EMP', undef);
    is_deeply where_of($sql), ['1 = 1', "TABLE_NAME $LIKE"], 'table only';
    is_deeply \@b, ['EMP'], 'bind';

    ($sql, @b) = build('column_info', 'CAT', 'S', undef, 'C_L');
    is_deeply where_of($sql), ['1 = 1', "TABLE_SCHEM $LIKE", "COLUMN_NAME $LIKE"], 'catalog ignored';
    is_deeply \@b, ['S', 'C_L'], 'binds';
    ($sql, @b) = build('column_info', undef, 'hr', 'Jobs', 'minSal');
    is_deeply \@b, ['hr', 'Jobs', 'minSal'], 'case kept';

    ($sql, @b) = build('column_info', undef, '', '0', undef);
    is_deeply where_of($sql), ['1 = 1'], "'' and '0' do not filter (DBD::Oracle tests truth)";
    is scalar @b, 0, 'no binds';

    ($sql, @b) = build('column_info', { COLUMN_NAME => 'ID', TABLE_NAME => 'T', 'X; DROP' => 'y', DATA_TYPE => 12 });
    is_deeply where_of($sql), ['1 = 1', "TABLE_NAME $LIKE", "COLUMN_NAME $LIKE", "DATA_TYPE $LIKE"],
        'hash argument: result columns only, in column order';
    is_deeply \@b, ['T', 'ID', 12], 'hash binds';
};

subtest 'primary_key_info SQL' => sub {
    my ($sql, @b) = build('primary_key_info', undef, 'SCOTT', 'EMP');
    like $sql, qr/FROM ALL_CONSTRAINTS p\s+, ALL_CONS_COLUMNS c\s+WHERE p\.OWNER = c\.OWNER\s+AND p\.TABLE_NAME = c\.TABLE_NAME\s+AND p\.CONSTRAINT_NAME = c\.CONSTRAINT_NAME\s+AND p\.CONSTRAINT_TYPE = 'P'\s+AND p\.STATUS = 'ENABLED'/,
        'enabled P constraints and their columns';
    my ($select) = $sql =~ /SELECT (NULL TABLE_CAT.*?)\n    FROM ALL_CONSTRAINTS p\n/s;
    my @aliases = map { /(\w+)\z/ } split /\n       , /, $select // '';
    is_deeply \@aliases, [qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME KEY_SEQ PK_NAME)], 'columns in order';
    like $sql, qr/c\.POSITION KEY_SEQ/, 'KEY_SEQ from POSITION';
    like $sql, qr/\n WHERE TABLE_SCHEM = \?\n   AND TABLE_NAME = \?\n ORDER BY TABLE_SCHEM, TABLE_NAME, KEY_SEQ\z/, 'exact schema and table';
    is_deeply \@b, ['SCOTT', 'EMP'], 'binds';
    ($sql, @b) = build('primary_key_info', 'C', undef, 'EMP%');
    is_deeply \@b, [undef, 'EMP%'], 'undef schema bound as NULL and no pattern matching, as in DBD::Oracle';
    ($sql, @b) = build('primary_key_info', { TABLE_SCHEM => 'HR', TABLE_NAME => 'JOBS' });
    is_deeply \@b, ['HR', 'JOBS'], 'hash argument';
};

# The SELECT list's aliases, in order (the first SELECT of the statement).
sub aliases { my ($select) = $_[0] =~ /SELECT \* FROM \(\n  SELECT (.*?)\n    FROM /s; [ map { /(\w+)\z/ } split /\n       , /, $select // '' ] }

subtest 'foreign_key_info SQL' => sub {
    my ($sql, @b) = build('foreign_key_info', undef, 'HR', 'DEPT', undef, 'HR', 'EMP');
    is_deeply aliases($sql), [qw(UK_TABLE_CAT UK_TABLE_SCHEM UK_TABLE_NAME UK_COLUMN_NAME FK_TABLE_CAT FK_TABLE_SCHEM FK_TABLE_NAME
        FK_COLUMN_NAME ORDINAL_POSITION UPDATE_RULE DELETE_RULE FK_NAME UK_NAME DEFERABILITY UNIQUE_OR_PRIMARY)], "DBD::Oracle's columns, in order";
    like $sql, qr/JOIN ALL_CONSTRAINTS uk ON uk\.OWNER = fk\.R_OWNER AND uk\.CONSTRAINT_NAME = fk\.R_CONSTRAINT_NAME/, 'the referenced constraint';
    like $sql, qr/ukc\.POSITION = fkc\.POSITION/, 'columns paired by position';
    like $sql, qr/fk\.CONSTRAINT_TYPE = 'R'\s+AND uk\.CONSTRAINT_TYPE IN \('P', 'U'\)\s+AND fk\.STATUS = 'ENABLED'/, 'enabled foreign keys to primary or unique keys';
    like $sql, qr/decode\(fk\.DELETE_RULE, 'CASCADE', 0, 'RESTRICT', 1, 'SET NULL', 2, 'NO ACTION', 3, 'SET DEFAULT', 4\) DELETE_RULE/, 'DELETE_RULE codes';
    like $sql, qr/, 3 UPDATE_RULE\n/, 'UPDATE_RULE 3 (no action: Oracle has no ON UPDATE)';
    is_deeply where_of($sql), [ '1 = 1', map { "$_ = ?" } qw(UK_TABLE_SCHEM UK_TABLE_NAME FK_TABLE_SCHEM FK_TABLE_NAME) ], 'exact names in a fixed order';
    is_deeply \@b, [qw(HR DEPT HR EMP)], 'binds';
    like $sql, qr/\n ORDER BY UK_TABLE_SCHEM, UK_TABLE_NAME, FK_TABLE_SCHEM, FK_TABLE_NAME, ORDINAL_POSITION\z/, 'ordered';
    ($sql, @b) = build('foreign_key_info', undef, undef, 'DEPT', undef, '', '0');
    is_deeply where_of($sql), [ '1 = 1', 'UK_TABLE_NAME = ?' ], "only true values filter (undef, '' and '0' do not)";
    is_deeply \@b, ['DEPT'], 'one bind';
    ($sql, @b) = build('foreign_key_info', { FK_TABLE_SCHEM => 'HR', FK_TABLE_NAME => 'EMP', OTHER => 'x' });
    is_deeply \@b, [qw(HR EMP)], 'hash argument: its known keys';
};

subtest 'statistics_info SQL' => sub {
    my ($sql, @b) = build('statistics_info', undef, 'HR', 'EMP', 0);
    is_deeply aliases($sql), [qw(TABLE_CAT TABLE_SCHEM TABLE_NAME NON_UNIQUE INDEX_QUALIFIER INDEX_NAME TYPE ORDINAL_POSITION
        COLUMN_NAME ASC_OR_DESC CARDINALITY PAGES FILTER_CONDITION)], 'DBI columns, in order';
    like $sql, qr/'table' TYPE.*t\.NUM_ROWS CARDINALITY\s+, t\.BLOCKS PAGES.*FROM ALL_TABLES t\n   UNION\n/s, "the table's row from ALL_TABLES";
    like $sql, qr/decode\(i\.UNIQUENESS, 'UNIQUE', 0, 1\).*decode\(i\.INDEX_TYPE, 'NORMAL', 'btree', 'CLUSTER', 'clustered', 'other'\).*decode\(c\.DESCEND, 'ASC', 'A', 'DESC', 'D'\)/s,
        'NON_UNIQUE, TYPE and ASC_OR_DESC as DBD::Oracle codes them';
    like $sql, qr/FROM ALL_INDEXES i\n    JOIN ALL_IND_COLUMNS c ON c\.INDEX_OWNER = i\.OWNER AND c\.INDEX_NAME = i\.INDEX_NAME/, 'indexes and their columns';
    like $sql, qr/WHERE i\.UNIQUENESS LIKE \?\n\)\n WHERE TABLE_SCHEM = \?\n   AND TABLE_NAME = \?\n ORDER BY NON_UNIQUE, TYPE, INDEX_QUALIFIER, INDEX_NAME, ORDINAL_POSITION\z/,
        'uniqueness, exact schema and table, DBI order';
    is_deeply \@b, ['%', 'HR', 'EMP'], 'binds in the order of their placeholders';
    (undef, @b) = build('statistics_info', undef, 'HR', 'EMP', 1);
    is_deeply \@b, ['UNIQUE', 'HR', 'EMP'], 'unique_only';
    (undef, @b) = build('statistics_info', { TABLE_SCHEM => 'A', TABLE_NAME => 'B' });
    is_deeply \@b, ['%', 'A', 'B'], 'hash argument';
};

subtest 'type_info_all and get_info' => sub {
    my $t = DBI::db::_type_info_all_Oracle();
    is_deeply [ sort { $t->[0]{$a} <=> $t->[0]{$b} } keys %{ $t->[0] } ], [qw(TYPE_NAME DATA_TYPE COLUMN_SIZE LITERAL_PREFIX LITERAL_SUFFIX CREATE_PARAMS
        NULLABLE CASE_SENSITIVE SEARCHABLE UNSIGNED_ATTRIBUTE FIXED_PREC_SCALE AUTO_UNIQUE_VALUE LOCAL_TYPE_NAME MINIMUM_SCALE MAXIMUM_SCALE
        SQL_DATA_TYPE SQL_DATETIME_SUB NUM_PREC_RADIX INTERVAL_PRECISION)], 'index of the 19 columns';
    is_deeply [ map { $_->[0] } @$t[ 1 .. $#$t ] ], [ 'LONG RAW', 'RAW', 'LONG', 'CHAR', 'DECIMAL', 'DOUBLE PRECISION', 'DATE', 'VARCHAR2', 'BLOB', 'BFILE', 'CLOB',
        'TIMESTAMP WITH TIME ZONE', 'INTERVAL DAY TO SECOND', 'INTERVAL YEAR TO MONTH' ], "DBD::Oracle's types in its order";
    my ($vc) = grep { $_->[0] eq q{VARCHAR2} } @$t[ 1 .. $#$t ];
    is_deeply $vc, [ 'VARCHAR2', 12, 4000, "'", "'", 'max length', 1, 1, 3, undef, 0, 0, 'VARCHAR2', undef, undef, 12, undef, undef, undef ], 'VARCHAR2 row';
    my ($date) = grep { $_->[0] eq q{DATE} } @$t[ 1 .. $#$t ];
    is_deeply [ @$date[ 1, 2, 15, 16 ] ], [ 93, 19, 9, 3 ], 'DATE: SQL_TYPE_TIMESTAMP, 19 wide, SQL_DATE / 3';
    ok !grep({ @$_ != 19 } @$t[ 1 .. $#$t ]), 'every row has 19 values';
    my %h = (Name => 'db1', Username => 'scott/tiger');
    my $info = sub { DBI::db::_get_info_Oracle(\%h, $_[0]) };
    is_deeply [ map { $info->($_) } 2, 6, 7, 14, 17, 28, 29, 39, 41, 42, 45, 47 ],
        [ 'dbi:Oracle:db1', 'DBD::Oracle', '01.95.0000', '\\', 'Oracle', 1, '"', 'Owner', '@', 'Database Link', 'Table', 'SCOTT' ], 'constant answers';
    is $info->(999999), undef, 'an unknown info type: undef';
};

subtest 'placeholders match the binds' => sub {
    for my $s (@SQLS) {
        is placeholders($s->[0]), $s->[1], 'placeholders = binds: ' . substr($s->[0] =~ s/\s+/ /gr, 0, 60);
    }
    # The daemon numbers `?` for Oracle (:1, :2 ...): its own translation must see the same count.
    my $js = BridgeTest::repo() . '/dist/src/modules/database/placeholders.js';
    SKIP: {
        skip "daemon not built ($js missing)", 1 unless -e $js;
        my $in = JSON::PP->new->encode([ map { $_->[0] } @SQLS ]);
        my $dir = File::Temp::tempdir('cat-XXXXXX', TMPDIR => 1, CLEANUP => 1);
        BridgeTest::write_file("$dir/sql.json", $in);
        my $code = "const p=require(process.argv[1]);const s=JSON.parse(require('fs').readFileSync(process.argv[2],'utf8'));"
                 . "process.stdout.write(JSON.stringify(s.map(q=>{const t=p.translatePlaceholders(q,n=>':'+n);return [t.count,t.sql]})))";
        open my $fh, '-|', 'node', '-e', $code, $js, "$dir/sql.json" or die "node: $!";
        my $out = do { local $/; <$fh> };
        close $fh;
        my $r = eval { JSON::PP->new->decode($out) } || [];
        is_deeply [ map { $_->[0] } @$r ], [ map { $_->[1] } @SQLS ], 'the daemon counts as many placeholders as there are binds';
        my @left = grep { placeholders($_->[1]) } @$r;
        is scalar @left, 0, 'no `?` left after numbering';
    }
};

# A handle that records what the Oracle methods ask of it.
my @log;
{
    package MockDbh;
    sub prepare { my ($h, $sql) = @_; push @log, [ prepare => $sql ]; bless { sql => $sql }, 'MockSth' }
    package MockSth;
    sub execute { my ($s, @b) = @_; push @log, [ execute => @b ]; 1 }
}

subtest 'methods prepare the SQL and execute it with the binds' => sub {
    my $dbh = bless {}, 'MockDbh';
    my $sth = DBI::db::_table_info_Oracle($dbh, undef, 'S', 'T', 'TABLE', { ignored => 1 });
    is ref $sth, 'MockSth', 'table_info returns the executed statement (as DBD::Oracle)';
    my ($sql, @b) = DBI::db::_oracle_table_info_sql(undef, 'S', 'T', 'TABLE');
    is_deeply \@log, [ [ prepare => $sql ], [ execute => @b ] ], 'table_info: prepare(SQL), execute(binds)';
    @log = ();
    DBI::db::_column_info_Oracle($dbh, undef, 'S', 'T', 'C');
    is_deeply $log[1], [ execute => 'S', 'T', 'C' ], 'column_info binds';
    @log = ();
    DBI::db::_primary_key_info_Oracle($dbh, undef, 'S', 'T');
    is_deeply $log[1], [ execute => 'S', 'T' ], 'primary_key_info binds';
    no warnings 'once';
    local *MockDbh::prepare = sub { undef };
    is DBI::db::_primary_key_info_Oracle($dbh, undef, 'S', 'T'), undef, 'a failed prepare gives undef';
};

BridgeTest::oracle_subtest('on an Oracle server', { AutoCommit => 1 }, \&live);

done_testing;

sub live {
    my ($dbh) = @_;
    is $dbh->{Driver}{Name}, 'Oracle', 'Oracle driver';
    my ($schema) = $dbh->selectrow_array(q{SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL});
    my $t = "CB_CAT_$$";
    # DBD::Oracle calls what SYS and SYSTEM own 'SYSTEM TABLE' (ORACLE_TEST_USER may well be system)
    my $tt = $schema =~ /^SYS(?:TEM)?\z/ ? 'SYSTEM TABLE' : 'TABLE';
    { local $dbh->{RaiseError} = 0; $dbh->do("DROP TABLE $t") }
    $dbh->do("CREATE TABLE $t (id NUMBER(10), code VARCHAR2(8), name VARCHAR2(40) DEFAULT 'x' NOT NULL, amount NUMBER(12,2), "
           . "ratio NUMBER, created DATE, CONSTRAINT ${t}_PK PRIMARY KEY (id, code))");
    $dbh->do("COMMENT ON TABLE $t IS 'catalog test'");
    $dbh->do("COMMENT ON COLUMN $t.name IS 'the name'");
    my $ok = eval {
        my $sth = $dbh->table_info(undef, $schema, $t, $tt);
        is_deeply $sth->{NAME}, [qw(TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS)], 'table_info NAME';
        is_deeply $sth->fetchall_arrayref, [ [ undef, $schema, $t, $tt, 'catalog test' ] ], 'table_info row with REMARKS';
        is_deeply $dbh->table_info(undef, $schema, $t, 'VIEW')->fetchall_arrayref, [], 'not a VIEW';
        (my $pat = $t) =~ s/_/\\_/g;
        is_deeply [ map { $_->[2] } @{ $dbh->table_info(undef, $schema, "$pat%", "'$tt','VIEW'")->fetchall_arrayref } ], [$t],
            'escaped pattern and a type list';
        is_deeply [ map { $_->[3] } @{ $dbh->table_info('', '', '', '%')->fetchall_arrayref } ], [qw(SEQUENCE SYNONYM TABLE VIEW)],
            'table types enumeration';
        my %schemas = map { $_->[1] => 1 } @{ $dbh->table_info('', '%', '')->fetchall_arrayref };
        ok $schemas{$schema} && $schemas{PUBLIC}, 'schemas enumeration has ours and PUBLIC';
        is_deeply [ $dbh->tables(undef, $schema, $t, $tt) ], [qq{"$schema"."$t"}], 'tables';

        $sth = $dbh->column_info(undef, $schema, $t, '%');
        is scalar @{ $sth->{NAME} }, 18, 'column_info has 18 columns';
        is $sth->{NAME}[4], 'DATA_TYPE', 'DATA_TYPE is the 5th';
        my $cols = $sth->fetchall_arrayref({});
        is_deeply [ map { $_->{COLUMN_NAME} } @$cols ], [qw(ID CODE NAME AMOUNT RATIO CREATED)], 'columns in order';
        is_deeply [ map { $_->{ORDINAL_POSITION} } @$cols ], [ 1 .. 6 ], 'ORDINAL_POSITION';
        my %c = map { $_->{COLUMN_NAME} => $_ } @$cols;
        is_deeply [ @{ $c{ID} }{qw(DATA_TYPE TYPE_NAME COLUMN_SIZE DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE IS_NULLABLE)} ],
            [ 3, 'NUMBER', 10, 0, 10, 0, 'NO' ], 'ID NUMBER(10), NOT NULL by the primary key';
        is_deeply [ @{ $c{NAME} }{qw(DATA_TYPE TYPE_NAME COLUMN_SIZE NULLABLE REMARKS)} ], [ 12, 'VARCHAR2', 40, 0, 'the name' ], 'NAME VARCHAR2(40)';
        like $c{NAME}{COLUMN_DEF}, qr/^'x'\s*$/, 'COLUMN_DEF';
        is_deeply [ @{ $c{AMOUNT} }{qw(DATA_TYPE COLUMN_SIZE DECIMAL_DIGITS NULLABLE IS_NULLABLE)} ], [ 3, 12, 2, 1, 'YES' ], 'AMOUNT NUMBER(12,2)';
        is_deeply [ @{ $c{RATIO} }{qw(DATA_TYPE COLUMN_SIZE NUM_PREC_RADIX)} ], [ 8, 126, 2 ], 'RATIO NUMBER: a float';
        is_deeply [ @{ $c{CREATED} }{qw(DATA_TYPE COLUMN_SIZE SQL_DATA_TYPE SQL_DATETIME_SUB)} ], [ 93, 19, 9, 3 ], 'CREATED DATE';
        is_deeply [ map { $_->{COLUMN_NAME} } @{ $dbh->column_info(undef, $schema, $t, 'C%')->fetchall_arrayref({}) } ], [qw(CODE CREATED)],
            'column pattern';

        $sth = $dbh->primary_key_info(undef, $schema, $t);
        is_deeply $sth->{NAME}, [qw(TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME KEY_SEQ PK_NAME)], 'primary_key_info NAME';
        is_deeply $sth->fetchall_arrayref, [ [ undef, $schema, $t, 'ID', 1, "${t}_PK" ], [ undef, $schema, $t, 'CODE', 2, "${t}_PK" ] ],
            'primary_key_info rows';
        is_deeply [ $dbh->primary_key(undef, $schema, $t) ], [qw(ID CODE)], 'primary_key';
        is_deeply [ $dbh->primary_key(undef, undef, $t) ], [], 'primary_key without a schema finds nothing, as with DBD::Oracle';

        $dbh->do("CREATE TABLE ${t}_C (cid NUMBER PRIMARY KEY, pid NUMBER(10), pcode VARCHAR2(8), note VARCHAR2(10), "
               . "CONSTRAINT ${t}_FK FOREIGN KEY (pid, pcode) REFERENCES $t (id, code) ON DELETE CASCADE)");
        $dbh->do("CREATE INDEX ${t}_CI ON ${t}_C (note DESC)");
        $sth = $dbh->foreign_key_info(undef, $schema, $t, undef, $schema, "${t}_C");
        is $sth->{NAME}[13], 'DEFERABILITY', 'foreign_key_info NAME (DBD::Oracle spelling)';
        is_deeply [ map { [ @$_[ 2, 3, 6, 7, 8, 9, 10, 11, 12, 14 ] ] } @{ $sth->fetchall_arrayref } ],
            [ [ $t, 'ID', "${t}_C", 'PID', 1, 3, 0, "${t}_FK", "${t}_PK", 'PRIMARY' ], [ $t, 'CODE', "${t}_C", 'PCODE', 2, 3, 0, "${t}_FK", "${t}_PK", 'PRIMARY' ] ],
            'foreign_key_info rows';
        $sth = $dbh->statistics_info(undef, $schema, "${t}_C", 0, 1);
        my @st = @{ $sth->fetchall_arrayref };
        my @ci = grep { defined $_->[5] && $_->[5] eq "${t}_CI" } @st;
        is_deeply [ map { [ @$_[ 3, 5, 6, 7, 9 ] ] } @ci ], [ [ 1, "${t}_CI", 'other', 1, 'D' ] ], 'a descending index: function-based to Oracle';
        like $ci[0][8], qr/^SYS_NC/, 'its column is the hidden one Oracle indexes, as DBD::Oracle reports it';
        is $st[-1][6], 'table', "the table's row last";
        is_deeply [ map { $_->[8] } grep { defined $_->[3] && $_->[3] == 0 } @{ $dbh->statistics_info(undef, $schema, $t, 1, 1)->fetchall_arrayref } ], [qw(ID CODE)],
            'unique_only: the primary key index';
        is $dbh->get_info(17), 'Oracle', 'get_info SQL_DBMS_NAME';
        like $dbh->get_info(18), qr/^\d\d\.\d\d\.\d{4}\z/, 'get_info SQL_DBMS_VER';
        is $dbh->get_info(47), uc($ENV{ORACLE_TEST_USER} // 'system'), 'get_info SQL_USER_NAME: the login user, upper-cased';
        is_deeply [ map { $_->{TYPE_NAME} } $dbh->type_info(12) ], ['VARCHAR2'], 'type_info(SQL_VARCHAR)';
        1;
    };
    ok $ok, 'catalog calls ran' or diag $@;
    { local $dbh->{RaiseError} = 0; $dbh->do("DROP TABLE ${t}_C") }
    $dbh->do("DROP TABLE $t");
    $dbh->disconnect;
}
