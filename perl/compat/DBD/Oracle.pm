package DBD::Oracle;

# Drop-in for `use DBD::Oracle qw(:ora_types);` on the bridge: the ORA_* and
# SQLT_* type constants scripts pass to bind_param / bind_param_inout
# ({ ora_type => ORA_BLOB }). The driver itself runs in the daemon.

use strict;
use warnings;
use Exporter ();
our @ISA = ('Exporter');
our $VERSION = '1.80';

my (%ORA, %SQLT);
BEGIN {
    %ORA = (ORA_VARCHAR2 => 1, ORA_NUMBER => 2, ORA_STRING => 5, ORA_LONG => 8, ORA_ROWID => 11,
        ORA_DATE => 12, ORA_RAW => 23, ORA_LONGRAW => 24, ORA_CHAR => 96, ORA_CHARZ => 97,
        ORA_MLSLABEL => 105, ORA_XMLTYPE => 108, ORA_CLOB => 112, ORA_BLOB => 113, ORA_BFILE => 114,
        ORA_RSET => 116, ORA_NTY => 108, ORA_VARCHAR2_TABLE => 201, ORA_NUMBER_TABLE => 202);
    %SQLT = (SQLT_CHR => 1, SQLT_NUM => 2, SQLT_INT => 3, SQLT_FLT => 4, SQLT_STR => 5, SQLT_LNG => 8,
        SQLT_DAT => 12, SQLT_BIN => 23, SQLT_LBI => 24, SQLT_AFC => 96, SQLT_AVC => 97, SQLT_CLOB => 112,
        SQLT_BLOB => 113, SQLT_RSET => 116);
}
use constant \%ORA;
use constant \%SQLT;
use constant { ORA_OCI => 11, OCI_DEFAULT => 0, ORA_SYSDBA => 2, ORA_SYSOPER => 4 };

our %EXPORT_TAGS = (ora_types => [ sort keys %ORA ], sqlt_types => [ sort keys %SQLT ],
    ora_session_modes => [qw(ORA_SYSDBA ORA_SYSOPER)]);
our @EXPORT_OK = (map({ @$_ } values %EXPORT_TAGS), qw(ORA_OCI OCI_DEFAULT));

1;
