package DBD::Pg;

# Drop-in for `use DBD::Pg qw(:pg_types);` on the bridge: the PG_* type
# constants scripts pass to bind_param ({ pg_type => PG_BYTEA }). The driver
# itself runs in the daemon.

use strict;
use warnings;
use Exporter ();
our @ISA = ('Exporter');
our $VERSION = '3.16.0';

my %T;
BEGIN {
    %T = (PG_BOOL => 16, PG_BYTEA => 17, PG_CHAR => 18, PG_NAME => 19, PG_INT8 => 20, PG_INT2 => 21,
        PG_INT4 => 23, PG_TEXT => 25, PG_OID => 26, PG_JSON => 114, PG_XML => 142, PG_FLOAT4 => 700,
        PG_FLOAT8 => 701, PG_BPCHAR => 1042, PG_VARCHAR => 1043, PG_DATE => 1082, PG_TIME => 1083,
        PG_TIMESTAMP => 1114, PG_TIMESTAMPTZ => 1184, PG_INTERVAL => 1186, PG_NUMERIC => 1700,
        PG_UUID => 2950, PG_JSONB => 3802, PG_INT4ARRAY => 1007, PG_TEXTARRAY => 1009);
}
use constant \%T;
use constant { PG_ASYNC => 1, PG_OLDQUERY_CANCEL => 2, PG_OLDQUERY_WAIT => 4 };

our %EXPORT_TAGS = (pg_types => [ sort keys %T ], async => [qw(PG_ASYNC PG_OLDQUERY_CANCEL PG_OLDQUERY_WAIT)]);
our @EXPORT_OK = map { @$_ } values %EXPORT_TAGS;

1;
