package DBI::db;

# DBD::Oracle's tables of constants: type_info_all (its types for a server of 8 or later:
# VARCHAR2 up to 4000) and get_info for the info types scripts ask (DBD::Oracle::GetInfo's
# answers). Loaded by CPANBridge/DBI/Catalog.pm.

use strict;
use warnings;

my $MAX = 2147483647;
my $Q = "'";
# name, code, size, prefix, suffix, create params, case sensitive, searchable, unsigned,
# auto unique, local name, min / max scale, SQL_DATA_TYPE, SQL_DATETIME_SUB, radix
# (NULLABLE 1, FIXED_PREC_SCALE 0, INTERVAL_PRECISION undef in every row)
my @ORA_TYPES = (
    [ 'LONG RAW', -4, $MAX, $Q, $Q, undef, 0, 0, undef, undef, 'LONG RAW', undef, undef, -4 ],
    [ 'RAW', -3, 2000, $Q, $Q, 'max length', 0, 3, undef, undef, 'RAW', undef, undef, -3 ],
    [ 'LONG', -1, $MAX, $Q, $Q, undef, 1, 0, undef, undef, 'LONG', undef, undef, -1 ],
    [ 'CHAR', 1, 2000, $Q, $Q, 'max length', 1, 3, undef, 0, 'CHAR', undef, undef, 1 ],
    [ 'DECIMAL', 3, 38, undef, undef, 'precision,scale', 0, 3, 0, 0, 'DECIMAL', 0, 38, 3, undef, 10 ],
    [ 'DOUBLE PRECISION', 8, 15, undef, undef, undef, 0, 3, 0, 0, 'DOUBLE PRECISION', undef, undef, 8, undef, 10 ],
    [ 'DATE', 93, 19, $Q, $Q, undef, 0, 3, undef, 0, 'DATE', 0, 0, 9, 3 ],
    [ 'VARCHAR2', 12, 4000, $Q, $Q, 'max length', 1, 3, undef, 0, 'VARCHAR2', undef, undef, 12 ],
    [ 'BLOB', 30, $MAX, $Q, $Q, undef, 1, 0, undef, undef, 'BLOB', undef, undef, -4 ],
    [ 'BFILE', -9114, $MAX, $Q, $Q, undef, 1, 0, undef, undef, 'BFILE', undef, undef, -4 ],
    [ 'CLOB', 40, $MAX, $Q, $Q, undef, 1, 0, undef, undef, 'CLOB', undef, undef, -1 ],
    [ 'TIMESTAMP WITH TIME ZONE', 95, 40, "TIMESTAMP'", $Q, 'precision', 0, 3, undef, 0, undef, 0, 6, 11, 5 ],
    [ 'INTERVAL DAY TO SECOND', 110, 22, "INTERVAL'", $Q, 'precision', 0, 3, undef, 0, undef, 0, 9, 10, 10 ],
    [ 'INTERVAL YEAR TO MONTH', 107, 13, "INTERVAL'", $Q, 'precision', 0, 3, undef, 0, undef, 0, 9, 10, 7 ],
);

sub _type_info_all_Oracle {
    my @rows = map {
        my ($name, $code, $size, $pre, $suf, $create, $case, $search, $unsigned, $auto, $local, $min, $max, $sqlt, $sub, $radix) = @$_;
        [ $name, $code, $size, $pre, $suf, $create, 1, $case, $search, $unsigned, 0, $auto, $local, $min, $max, $sqlt, $sub, $radix, undef ];
    } @ORA_TYPES;
    return [ _type_info_index(), @rows ];
}

# The server's version as DBD::Oracle's ora_server_version reads it (from v$version's banner).
sub _oracle_server_version {
    my ($h) = @_;
    my $i = tied %$h;
    return $i->{_ora_server_version} ||= do {
        my ($banner) = $h->selectrow_array(q{SELECT banner FROM v$version WHERE banner LIKE ? OR banner LIKE ?}, undef, 'Oracle%', 'Personal Oracle%');
        [ defined $banner ? $banner =~ /(?:^|\s)(\d+)\.(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\s|$)/ : () ];
    };
}

# DBD::Oracle's CURRENT_USER: the login's user name in upper case (the session's when none was given)
sub _oracle_user_name {
    my ($h) = @_;
    return $h->{CURRENT_USER} if defined $h->{CURRENT_USER};
    (my $u = $h->{Username} // '') =~ s{/.*}{}s;
    return uc $u if length $u;
    return ($h->selectrow_array(q{SELECT SYS_CONTEXT('userenv', 'session_user') FROM DUAL}))[0];
}

my @ORA_KEYWORDS = qw(ACCESS AUDIT BFILE BLOB CLOB CLUSTER COMMENT COMPRESS EXCLUSIVE FILE IDENTIFIED INCREMENT
    INITIAL LOCK LONG MAXEXTENTS MINUS MODE MODIFY NCLOB NOAUDIT NOCOMPRESS NOWAIT NUMBER OFFLINE ONLINE PCTFREE
    RAW RENAME RESOURCE ROW ROWID ROWLABEL ROWNUM SHARE START SUCCESSFUL SYNONYM SYSDATE TRIGGER UID VALIDATE VARCHAR);

# SQL_DRIVER_NAME (6) is the path of DBD/Oracle.pm there, which the bridge has not: 'DBD::Oracle'.
# SQL_DRIVER_VER (7): DBD::Oracle 1.95's, whose answers these are.
my %ORACLE_INFO = (
    2 => sub { 'dbi:Oracle:' . ($_[0]{Name} // '') }, 6 => 'DBD::Oracle', 7 => '01.95.0000', 10 => '03.52',
    13 => sub { "$_[0]{Name}" }, 14 => '\\', 16 => 'DEVEL', 17 => 'Oracle',
    18 => sub { local $^W; sprintf '%02d.%02d.%04d', @{ _oracle_server_version($_[0]) }[0 .. 2] },
    19 => 'Y', 20 => 'Y', 21 => 'Y', 22 => 1, 23 => 2, 24 => 2, 25 => 'N', 26 => 8, 27 => 'Y', 28 => 1, 29 => '"',
    30 => 30, 31 => 30, 32 => 30, 33 => 92, 34 => 0, 35 => 30, 36 => 'Y', 37 => 'Y', 38 => 'Y', 39 => 'Owner',
    40 => 'Procedure', 41 => '@', 42 => 'Database Link', 45 => 'Table', 46 => 3,
    47 => \&_oracle_user_name,
    72 => 10, 77 => '03.52', 85 => 1, 87 => 'Y', 88 => 2, 89 => join(',', @ORA_KEYWORDS), 90 => 'N', 91 => 31, 92 => 3,
    93 => 3, 94 => '$#', 114 => 2, 115 => 127, 10003 => 'N', 10005 => 30, 10021 => 2,
);

sub _get_info_Oracle { _info_from(\%ORACLE_INFO, @_) }

1;
