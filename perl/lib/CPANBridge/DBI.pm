package CPANBridge::DBI;

# DBI on the bridge: packages DBI, DBI::db and DBI::st with DBI's behaviour
# (return values, err/errstr/state, RaiseError/PrintError/HandleError, message
# texts with the script's file and line), backed by the daemon's `database`
# module. Loaded by perl/compat/DBI.pm (`use DBI;`) and by DBIHelper.pm.
#
# Layout, so that more of the DBI surface is easy to add:
#   CPANBridge::DBI::Attr   tied-hash attribute storage of every handle
#                           (dynamic attributes in %DYN_FETCH, side effects in %DYN_STORE)
#   CPANBridge::DBI::common methods shared by db and st: err/errstr/state,
#                           set_err, the error policy (_fail), caller location
#   DBI                     connect, connect_cached, class-level err/errstr, constants, utils
#   DBI::db                 database handle methods; the catalog ones (table_info...)
#                           in CPANBridge/DBI/Catalog.pm and Catalog/<Driver>.pm
#   DBI::st                 statement handle methods (row buffer with prefetch)
# A new method is one sub in DBI::db / DBI::st that calls _rpc(); errors go
# through _fail(), which implements the whole RaiseError/PrintError policy.

use strict;
use warnings;
no warnings 'redefine';
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Codec ();
use MIME::Base64 ();

our $VERSION = '0.1.0';

# ---------------------------------------------------------------------------
package CPANBridge::DBI::Attr;

use strict;
use warnings;

# key => sub ($inner) -> value
our %DYN_FETCH = (
    NAME_lc      => sub { $_[0]{NAME} ? [ map { lc } @{ $_[0]{NAME} } ] : undef },
    NAME_uc      => sub { $_[0]{NAME} ? [ map { uc } @{ $_[0]{NAME} } ] : undef },
    NAME_hash    => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { $_ => $i++ } @$n } },
    NAME_lc_hash => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { lc($_) => $i++ } @$n } },
    NAME_uc_hash => sub { my $n = $_[0]{NAME} or return; my $i = 0; +{ map { uc($_) => $i++ } @$n } },
    ParamValues  => sub { my $b = $_[0]{_binds} || []; my $n = $_[0]{_param_names}; my $i = 0; +{ map { ($n ? $n->[ $i++ ] : ++$i) => $_ } @$b } },
    Kids         => sub { scalar grep { defined } values %{ $_[0]{_kids} || {} } },
    ActiveKids   => sub { scalar grep { defined && (tied %$_)->{Active} } values %{ $_[0]{_kids} || {} } },
    Driver       => sub { +{ Name => $_[0]{_driver} } },
    Err          => sub { $_[0]{err} },
    Errstr       => sub { $_[0]{errstr} },
    State        => sub { $_[0]{state} },
    # DBD::Pg looks NULLABLE up in the catalog when it is asked for, not at every execute
    NULLABLE     => sub {
        my ($i) = @_;
        return undef unless delete $i->{_nullable_lazy};
        my $r = DBI::st::_rpc($i->{_outer}, $i, 'FETCH', 'nullable', { sth => $i->{_id} }) or return undef;
        return $i->{NULLABLE} = $r->{nullable};
    },
);

# key => sub ($inner, $value, $outer) -> 1 if handled (stored)
our %DYN_STORE = (
    AutoCommit => sub {
        my ($i, $v, $h) = @_;
        return 0 unless $i->{Type} eq 'db';
        $v = $v ? 1 : 0;
        return 1 if defined $i->{AutoCommit} && $i->{AutoCommit} == $v;
        if ($i->{Active} && defined $i->{_id}) {
            DBI::db::_rpc($h, $i, 'STORE', 'set_autocommit', { dbh => $i->{_id}, on => $v ? \1 : \0 })
                or return 1;
        }
        $i->{AutoCommit} = $v;
        $i->{BegunWork} = 0;
        return 1;
    },
);

# Flag attributes: DBI keeps them as bits and reads them back as 1 or ''.
our %FLAG = map { $_ => 1 } qw(Active Executed Warn CompatMode InactiveDestroy AutoInactiveDestroy
    PrintWarn PrintError RaiseError RaiseWarn ShowErrorStatement ChopBlanks LongTruncOk TaintIn TaintOut
    Taint AutoCommit BegunWork);

sub TIEHASH  { my ($class, $inner) = @_; bless $inner, $class }
sub FETCH    {
    my ($i, $k) = @_;
    return $i->{$k} ? 1 : '' if $FLAG{$k} && !($k eq 'AutoCommit' && !defined $i->{$k});
    my $d = $DYN_FETCH{$k};
    $d && !exists $i->{$k} ? $d->($i) : $i->{$k};
}
sub STORE    {
    my ($i, $k, $v) = @_;
    my $d = $DYN_STORE{$k};
    return if $d && $d->($i, $v, $i->{_outer});
    $i->{$k} = $v;
}
sub EXISTS   { exists $_[0]{ $_[1] } || exists $DYN_FETCH{ $_[1] } }
sub DELETE   { delete $_[0]{ $_[1] } }
sub CLEAR    { }
sub FIRSTKEY { my @k = sort grep { !/^_/ } keys %{ $_[0] }; $_[0]{__keys} = \@k; shift @k }
sub NEXTKEY  { my $k = $_[0]{__keys} or return; shift @$k }
sub SCALAR   { 1 }

# ---------------------------------------------------------------------------
package CPANBridge::DBI::common;

use strict;
use warnings;

our $INTERNAL = qr/^(?:DBI|DBD|DBIHelper|CPANBridge)(?:::|$)/;

# " at FILE line N.\n" of the first frame outside the DBI layers, with the
# ", <FH> line N" that Perl's warn/croak (so DBI's XS) add once a file has been read.
our $LAST_WHERE;
sub _where {
    my $i = 0;
    while (my @c = caller($i++)) {
        next if $c[0] =~ $INTERNAL;
        return $LAST_WHERE = " at $c[1] line $c[2]" . _last_read() . ".\n";
    }
    # No frame outside the DBI layers: a handle destroyed while a die from in here unwinds
    # (RaiseError). DBI's XS names the statement that died then: the place computed last.
    return defined $LAST_WHERE ? $LAST_WHERE : ".\n";
}

# As Perl's mess(): the last filehandle read and its $. ("<> line" for ARGV,
# "chunk" when $/ is not "\n"); nothing before the first line is read.
sub _last_read {
    my $fh = ${^LAST_FH} or return '';
    my $n = $.;
    return '' unless $n;
    my ($pkg, $name) = (*{$fh}{PACKAGE}, *{$fh}{NAME});
    $name = '' if $pkg eq 'main' && $name eq 'ARGV';
    return ", <$name> " . (defined $/ && !ref $/ && $/ eq "\n" ? 'line' : 'chunk') . " $n";
}

# New handle: outer blessed hash tied to the inner attribute hash.
sub _new_handle {
    my ($class, $fields) = @_;
    my %outer;
    my $inner = tie %outer, 'CPANBridge::DBI::Attr', $fields;
    my $h = bless \%outer, $class;
    $inner->{_outer} = $h;
    Scalar::Util::weaken($inner->{_outer});
    return ($h, $inner);
}

sub _inner { tied %{ $_[0] } }

sub _clear {
    my ($i) = @_;
    $i->{err} = $i->{errstr} = $i->{state} = undef;
    my $d = ($i->{Type} || '') eq 'st' ? $i->{_dbh_inner} : $i;
    _set_family_err($d) if $d && $d->{_family_err};
    $DBI::err = $DBI::errstr = undef;
    $DBI::state = '';
    # weak, as DBI's own (a raw pointer): it must not keep a handle out of scope alive
    Scalar::Util::weaken($DBI::lasth = $i->{_outer});
}

# DBI keeps one err/errstr/state for a database handle and all its statement
# handles ("$sth->execute or die $dbh->errstr"): an error set on one is seen on
# all, and cleared on all by the next method call on any of them. Here each
# handle keeps its copy; an error is written to the whole family and the
# family flag makes the next _clear() clear them all. No args after $d: clear.
sub _set_family_err {
    my ($d, @v) = @_;
    return unless $d;
    $d->{_family_err} = @v ? 1 : 0;
    @{$d}{qw(err errstr state)} = @v ? @v : (undef, undef, undef);
    for my $k (values %{ $d->{_kids} || {} }) {
        my $ki = $k && tied %$k or next;
        @{$ki}{qw(err errstr state)} = @v ? @v : (undef, undef, undef);
    }
}

sub _class_name {
    my ($i) = @_;
    return 'DBD::' . ($i->{_driver} || 'Unknown') . '::' . $i->{Type};
}

# The whole error policy. Returns $retval (undef unless given).
# Inside a DBI method that calls others (selectrow_array -> prepare, execute...)
# inner failures only record the error; the outer method reports it under its
# own name, as DBI does for nested calls.
our $NESTED = 0;

sub _fail {
    my ($h, $i, $method, $err, $errstr, $state, $retval) = @_;
    $err = 1 unless defined $err && length $err;
    $errstr = 'unknown error' unless defined $errstr;
    $state = 'S1000' unless defined $state && length $state;
    # DBI's set_err: an error already on the handle is kept in front of the new one
    my ($oerr, $ostr, $ostate) = @{$i}{qw(err errstr state)};
    if (defined $ostr && length $ostr) {
        my $s = $ostr;
        $s .= " [err was $oerr now $err]" if $oerr && $err && $oerr ne $err;
        $s .= " [state was $ostate now $state]" if $ostate && $ostate ne 'S1000' && $ostate ne $state;
        $s .= "\n$errstr" if $s ne $errstr;
        $errstr = $s;
    }
    @{$i}{qw(err errstr state)} = ($err, $errstr, $state);
    _set_family_err(($i->{Type} || '') eq 'st' ? $i->{_dbh_inner} : $i, $err, $errstr, $state);
    ($DBI::err, $DBI::errstr, $DBI::state) = ($err, $errstr, $state);
    Scalar::Util::weaken($DBI::lasth = $h);
    # DBD::SQLite leaves errno at ENOENT (SQLite probes for a hot journal file), so a
    # script that dies after a database error exits with status 2 there, not 255
    $! = 2 if ($i->{_driver} || '') eq 'SQLite';
    return $retval if $NESTED;
    my $msg = _class_name($i) . " $method failed: $errstr";
    if ($i->{ShowErrorStatement} && defined(my $st = $i->{Statement})) {
        $msg .= qq{ [for Statement "$st"};
        my $b = $i->{Type} eq 'st' && !$i->{_hide_params} ? $i->{_binds} : undef;
        if ($b && @$b) {
            my $n = 0;
            # DBD::SQLite with sqlite_unicode binds (and so keeps) the values as UTF-8 strings
            my $up = $i->{sqlite_unicode} && ($i->{_driver} || '') eq 'SQLite';
            $msg .= ' with ParamValues: '
                . join(', ', map { my $v = $_; utf8::upgrade($v) if $up && defined $v && !ref $v; ++$n . '=' . DBI::neat($v) } @$b);
        }
        $msg .= ']';
    }
    if (my $he = $i->{HandleError}) {
        return $retval if $he->($msg, $h, $retval);
    }
    if ($i->{RaiseError}) { die $msg . _where() }
    if ($i->{PrintError}) { warn $msg . _where() }
    return $retval;
}

# Error object from CPANBridge -> (err, errstr, state)
sub _err_fields {
    my ($e) = @_;
    if (ref $e && eval { $e->isa('CPANBridge::Error') }) {
        return ($e->{err}, (defined $e->{errstr} ? $e->{errstr} : $e->{message}), $e->{state})
            if $e->{code} eq 'db_error';
        return (1, "CPANBridge $e->{code}: $e->{message}", 'S1000');
    }
    my $m = "$e";
    $m =~ s/ at \S+ line \d+\.?\n?\z//;
    return (1, $m, 'S1000');
}

# Call the daemon; on failure apply the error policy and return undef.
sub _rpc {
    my ($h, $i, $method, $function, $params) = @_;
    my $r = eval { CPANBridge::call('database', $function, $params) };
    return $r if defined $r;
    my $e = $@;
    return {} if !$e;    # success with a null result
    my ($err, $errstr, $state) = _err_fields($e);
    _fail($h, $i, $method, $err, $errstr, $state);
    return undef;
}

sub err    { my $i = tied %{ $_[0] }; $i->{err} }
sub errstr { my $i = tied %{ $_[0] }; $i->{errstr} }
sub state  {
    my $i = tied %{ $_[0] };
    my $s = $i->{state};
    return defined $s ? ($s eq '00000' ? '' : $s) : ($i->{err} ? 'S1000' : '');
}

sub set_err {
    my ($h, $err, $errstr, $state, $method, $rv) = @_;
    my $i = tied %$h;
    if (!defined $err) { _clear($i); return $rv }
    $method = (caller(1))[3] || 'set_err' unless defined $method;
    $method =~ s/.*:://;
    return _fail($h, $i, $method, $err, $errstr, $state, $rv);
}

sub trace     { 0 }
sub trace_msg { 1 }
sub debug     { 0 }
sub func      { my ($h, @args) = @_; my $m = pop @args; return _fail($h, tied %$h, 'func', 1, "func '$m' is not supported by the bridge") }
sub FETCH     { my ($h, $k) = @_; $h->{$k} }
sub STORE     { my ($h, $k, $v) = @_; $h->{$k} = $v; 1 }
sub private_attribute_info { undef }
sub can_bridge { 1 }

# ---------------------------------------------------------------------------
package DBI;

use strict;
use warnings;

our $VERSION = '1.643';
our ($err, $errstr, $state, $lasth);
our $neat_maxlen = 1000;
our $stderr = 2_000_000_000;
our %installed_drh;

use constant {
    SQL_GUID => -11, SQL_WLONGVARCHAR => -10, SQL_WVARCHAR => -9, SQL_WCHAR => -8,
    SQL_BIT => -7, SQL_TINYINT => -6, SQL_BIGINT => -5, SQL_LONGVARBINARY => -4,
    SQL_VARBINARY => -3, SQL_BINARY => -2, SQL_LONGVARCHAR => -1, SQL_UNKNOWN_TYPE => 0,
    SQL_ALL_TYPES => 0, SQL_CHAR => 1, SQL_NUMERIC => 2, SQL_DECIMAL => 3, SQL_INTEGER => 4,
    SQL_SMALLINT => 5, SQL_FLOAT => 6, SQL_REAL => 7, SQL_DOUBLE => 8, SQL_DATETIME => 9,
    SQL_DATE => 9, SQL_INTERVAL => 10, SQL_TIME => 10, SQL_TIMESTAMP => 11, SQL_VARCHAR => 12,
    SQL_BOOLEAN => 16, SQL_UDT => 17, SQL_UDT_LOCATOR => 18, SQL_ROW => 19, SQL_REF => 20,
    SQL_BLOB => 30, SQL_BLOB_LOCATOR => 31, SQL_CLOB => 40, SQL_CLOB_LOCATOR => 41,
    SQL_ARRAY => 50, SQL_ARRAY_LOCATOR => 51, SQL_MULTISET => 55, SQL_MULTISET_LOCATOR => 56,
    SQL_TYPE_DATE => 91, SQL_TYPE_TIME => 92, SQL_TYPE_TIMESTAMP => 93,
    SQL_TYPE_TIME_WITH_TIMEZONE => 94, SQL_TYPE_TIMESTAMP_WITH_TIMEZONE => 95,
    SQL_CURSOR_FORWARD_ONLY => 0, SQL_CURSOR_KEYSET_DRIVEN => 1, SQL_CURSOR_DYNAMIC => 2,
    SQL_CURSOR_STATIC => 3, SQL_CURSOR_TYPE_DEFAULT => 0,
    DBIstcf_STRICT => 0x0001, DBIstcf_DISCARD_STRING => 0x0002,
};

our %EXPORT_TAGS = (
    sql_types => [qw(SQL_GUID SQL_WLONGVARCHAR SQL_WVARCHAR SQL_WCHAR SQL_BIGINT SQL_BIT SQL_TINYINT
        SQL_LONGVARBINARY SQL_VARBINARY SQL_BINARY SQL_LONGVARCHAR SQL_UNKNOWN_TYPE SQL_ALL_TYPES
        SQL_CHAR SQL_NUMERIC SQL_DECIMAL SQL_INTEGER SQL_SMALLINT SQL_FLOAT SQL_REAL SQL_DOUBLE
        SQL_DATETIME SQL_DATE SQL_INTERVAL SQL_TIME SQL_TIMESTAMP SQL_VARCHAR SQL_BOOLEAN SQL_UDT
        SQL_UDT_LOCATOR SQL_ROW SQL_REF SQL_BLOB SQL_BLOB_LOCATOR SQL_CLOB SQL_CLOB_LOCATOR SQL_ARRAY
        SQL_ARRAY_LOCATOR SQL_MULTISET SQL_MULTISET_LOCATOR SQL_TYPE_DATE SQL_TYPE_TIME
        SQL_TYPE_TIMESTAMP SQL_TYPE_TIME_WITH_TIMEZONE SQL_TYPE_TIMESTAMP_WITH_TIMEZONE)],
    sql_cursor_types => [qw(SQL_CURSOR_FORWARD_ONLY SQL_CURSOR_KEYSET_DRIVEN SQL_CURSOR_DYNAMIC
        SQL_CURSOR_STATIC SQL_CURSOR_TYPE_DEFAULT)],
    utils => [qw(neat neat_list $neat_maxlen dump_results looks_like_number data_string_diff
        data_string_desc data_diff sql_type_cast DBIstcf_DISCARD_STRING DBIstcf_STRICT)],
    profile => [],
);
our @EXPORT_OK = map { @$_ } values %EXPORT_TAGS;
push @EXPORT_OK, qw(%DBI %DBI_methods hash);

sub import {
    my $pkg = shift;
    require Exporter;
    local $Exporter::ExportLevel = $Exporter::ExportLevel + 1;
    my @want = grep { $_ ne ':preparse_flags' && $_ ne ':profile' } @_;
    return unless @want;
    Exporter::import($pkg, @want);
}

sub _parse_dsn {
    my ($dsn) = @_;
    return unless defined $dsn;
    return unless $dsn =~ /^dbi:(\w*?)(?:\((.*?)\))?:(.*)$/is;
    my ($driver, $attr_str, $rest) = ($1, $2, $3);
    $driver ||= $ENV{DBI_DRIVER} || '';
    my %attr;
    if (defined $attr_str && length $attr_str) {
        %attr = map { split /\s*=>?\s*/, $_, 2 } split /\s*,\s*/, $attr_str;
    }
    return ('dbi', $driver, $attr_str, \%attr, $rest);
}

sub parse_dsn {
    my ($class, $dsn) = @_;
    my @p = _parse_dsn($dsn) or return;
    return ($p[0], $p[1], $p[2], $p[3], $p[4]);
}

sub _connect_attrs {
    my ($attr) = @_;
    my %a = (PrintError => 1, RaiseError => 0, AutoCommit => 1, PrintWarn => 1);
    %a = (%a, %$attr) if ref $attr eq 'HASH';
    return \%a;
}

sub connect {
    my ($class, $dsn, $user, $pass, $attr, %opt) = @_;
    $dsn = $ENV{DBI_DSN} if !defined $dsn || !length $dsn;
    $user = $ENV{DBI_USER} unless defined $user;
    $pass = $ENV{DBI_PASS} unless defined $pass;
    my $a = _connect_attrs($attr);
    my ($scheme, $driver, undef, $dsn_attr, $rest) = _parse_dsn($dsn);
    %$a = (%$dsn_attr, %$a) if $dsn_attr;
    ($DBI::err, $DBI::errstr, $DBI::state) = (undef, undef, '');
    my $where_dsn = defined $rest ? $rest : (defined $dsn ? $dsn : '');
    # the message quotes the DSN: never with its password
    $where_dsn =~ s/((?:^|[:;])\s*(?:password|passwd|pwd)\s*=)[^;]*/$1***/gi;
    my $fail = sub {
        my ($err, $errstr, $state) = @_;
        ($DBI::err, $DBI::errstr, $DBI::state) = ($err // 1, $errstr, $state // 'S1000');
        my $msg = "DBI connect('$where_dsn','" . (defined $user ? $user : '') . "',...) failed: $errstr";
        if (my $he = $a->{HandleError}) { return undef if $he->($msg, undef, undef) }
        die $msg . CPANBridge::DBI::common::_where() if $a->{RaiseError};
        warn $msg . CPANBridge::DBI::common::_where() if $a->{PrintError};
        return undef;
    };
    if (!defined $driver) {
        my $m = defined $dsn ? "Can't connect to data source '$dsn' because I can't work out what driver to use (it doesn't seem to contain a 'dbi:driver:' prefix and the DBI_DRIVER env var is not set)"
                             : "Can't connect to data source '' because I can't work out what driver to use";
        Carp::croak($m);
    }
    # Attributes that travel: plain scalars only (no code refs, no handles).
    my %send;
    for my $k (keys %$a) {
        my $v = $a->{$k};
        next if ref $v && ref $v ne 'ARRAY' && ref $v ne 'HASH';
        next if $k eq 'HandleError';
        $send{$k} = ref $v ? $v : (defined $v && $v =~ /^-?\d+$/ ? $v + 0 : $v);
    }
    $send{AutoCommit} = $a->{AutoCommit} ? \1 : \0;
    my %p = (dsn => $dsn, attrs => \%send);
    $p{user}     = $user if defined $user;
    $p{password} = $pass if defined $pass;
    my $r = eval { CPANBridge::call('database', 'connect', \%p) };
    if (!$r) {
        my ($e, $s, $st) = CPANBridge::DBI::common::_err_fields($@ || 'connect failed');
        return $fail->($e, $s, $st);
    }
    $driver = $r->{driver} if $r->{driver};
    my $db_class = $opt{db_class} || 'DBI::db';
    my %fields = (
        %$a,
        Type => 'db', _id => $r->{dbh}, _driver => $driver, Name => $rest, Username => $user,
        Active => 1, AutoCommit => (defined $r->{autocommit} ? ($r->{autocommit} ? 1 : 0) : ($a->{AutoCommit} ? 1 : 0)),
        FetchHashKeyName => $a->{FetchHashKeyName} || 'NAME', _pid => $$, _interp => 0 + \$CPANBridge::ANCHOR, _kids => {},
        _st_class => $opt{st_class} || 'DBI::st', BegunWork => 0, Statement => undef,
        ImplementorClass => "DBD::${driver}::db",
    );
    my ($h, $i) = CPANBridge::DBI::common::_new_handle($db_class, \%fields);
    CPANBridge::DBI::_register($h);
    Scalar::Util::weaken($DBI::lasth = $h);
    return $h;
}

my %CONNECT_CACHE;
sub connect_cached {
    my ($class, $dsn, $user, $pass, $attr, %opt) = @_;
    my $a = ref $attr eq 'HASH' ? $attr : {};
    my $key = join "\0", map { defined $_ ? $_ : '' } $dsn, $user, $pass,
        map { ("$_=" . (defined $a->{$_} ? $a->{$_} : '')) } sort grep { !ref $a->{$_} } keys %$a;
    my $h = $CONNECT_CACHE{$key};
    return $h if $h && (tied %$h)->{Active} && $h->ping;
    $h = $class->connect($dsn, $user, $pass, $attr, %opt) or return undef;
    $CONNECT_CACHE{$key} = $h;
    return $h;
}

sub err    { $DBI::err }
sub errstr { $DBI::errstr }
sub state  { defined $DBI::state ? $DBI::state : '' }

sub available_drivers { qw(Oracle Pg SQLite) }
sub installed_versions { +{ DBI => $VERSION } }
sub data_sources { my ($c, $d) = @_; () }
sub trace     { 0 }
sub trace_msg { 1 }
sub install_driver { my ($c, $d) = @_; $installed_drh{$d} ||= bless { Name => $d }, 'DBI::dr' }
sub visit_handles { 1 }

sub looks_like_number {
    my @r = map { defined $_ && /^\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0[xX][0-9a-fA-F]+|Inf(?:inity)?|NaN)\s*$/ ? 1 : (defined $_ ? '' : undef) } @_;
    return wantarray ? @r : $r[0];
}

sub neat {
    my ($v, $maxlen) = @_;
    return 'undef' unless defined $v;
    # as DBI's neatsvpv (DBI.xs): numbers unquoted (their string form if they have one,
    # else %d / %g); references as they stringify; strings quoted and cut at $maxlen
    # bytes (default $DBI::neat_maxlen, at least 6, quotes included); a UTF-8 string in
    # double quotes as its UTF-8 bytes; a byte string in single quotes with control
    # bytes (judged on their low 7 bits) shown as '.'
    return "$v" if ref $v;
    require B;
    my $f = B::svref_2object(\$v)->FLAGS;
    if ($f & (B::SVf_IOK() | B::SVf_NOK())) {
        return length $v ? "$v" : "''" if $f & B::SVf_POK();
        return $f & B::SVf_IOK() ? "$v" : sprintf('%g', $v);
    }
    $maxlen ||= $neat_maxlen || 1000;
    $maxlen = 6 if $maxlen < 6;
    $maxlen -= 2;
    my $s = "$v";
    my $u = utf8::is_utf8($s);
    utf8::encode($s) if $u;
    $s = substr($s, 0, $maxlen - 3) . '...' if length $s > $maxlen;
    return qq{"$s"} if $u;
    $s =~ tr/\x00-\x08\x0e-\x1f\x7f\x80-\x88\x8e-\x9f\xff/./;
    return "'$s'";
}

sub neat_list {
    my ($list, $maxlen, $sep) = @_;
    $sep = ', ' unless defined $sep;
    return join $sep, map { neat($_, $maxlen) } @$list;
}

sub data_string_desc {
    my $s = shift;
    return 'undef' unless defined $s;
    return sprintf('%s %s, %s characters %d bytes',
        utf8::is_utf8($s) ? 'UTF8 on' : 'UTF8 off',
        ($s =~ /[^\x00-\x7f]/ ? 'non-ASCII' : 'ASCII'), length $s,
        do { my $b = $s; utf8::encode($b) if utf8::is_utf8($b); length $b });
}

sub data_string_diff {
    my ($a, $b) = @_;
    return '' if !defined $a && !defined $b;
    return 'a undef' if !defined $a;
    return 'b undef' if !defined $b;
    return '' if $a eq $b;
    my $i = 0;
    $i++ while $i < length($a) && $i < length($b) && substr($a, $i, 1) eq substr($b, $i, 1);
    return "Strings differ at index $i";
}

sub data_diff { my ($a, $b) = @_; data_string_diff($a, $b) }

sub sql_type_cast {
    my (undef, $type) = @_;
    return -1 unless defined $_[0];
    if ($type == SQL_INTEGER || $type == SQL_SMALLINT || $type == SQL_BIGINT || $type == SQL_TINYINT) {
        return 1 unless $_[0] =~ /^\s*[-+]?\d+\s*$/;
        $_[0] = 0 + $_[0]; return 2;
    }
    if ($type == SQL_DOUBLE || $type == SQL_FLOAT || $type == SQL_REAL || $type == SQL_NUMERIC || $type == SQL_DECIMAL) {
        return 1 unless looks_like_number($_[0]);
        $_[0] = 0 + $_[0]; return 2;
    }
    return -2;
}

sub dump_results { my $sth = shift; $sth->dump_results(@_) }

sub hash {
    my ($key, $type) = @_;
    my $h = 0;
    $h = ($h * 33 + ord $_) & 0x7fffffff for split //, $key;
    return $h;
}

package DBI::dr;
sub connect { my ($drh, $dsn, @r) = @_; DBI->connect("dbi:$drh->{Name}:$dsn", @r) }
sub data_sources { () }

# ---------------------------------------------------------------------------
package DBI::db;

use strict;
use warnings;
our @ISA = ('CPANBridge::DBI::common');
BEGIN { *_rpc = \&CPANBridge::DBI::common::_rpc; *_fail = \&CPANBridge::DBI::common::_fail;
        *_clear = \&CPANBridge::DBI::common::_clear }

sub _active_or_fail {
    my ($h, $i, $method) = @_;
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
        _bound => [], _row => [], _pid => $$, _interp => 0 + \$CPANBridge::ANCHOR,
        map({ ($_ => $i->{$_}) } qw(RaiseError PrintError PrintWarn HandleError ShowErrorStatement
             FetchHashKeyName ChopBlanks LongReadLen LongTruncOk RowCacheSize sqlite_unicode pg_enable_utf8 TaintIn TaintOut)),
        _bytes => CPANBridge::DBI::_wants_bytes($i),
    );
    if (ref $attr eq 'HASH') { $f{$_} = $attr->{$_} for keys %$attr }
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
    $p{binds} = [ map { CPANBridge::DBI::_bind_value($_, undef, $num) } @binds ] if @binds;
    my $r = _rpc($h, $i, 'do', 'do', \%p);
    return undef unless $r;
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

# The catalog methods (table_info, column_info, primary_key_info, primary_key,
# tables) live in CPANBridge/DBI/Catalog.pm, with a file per driver beside it.
require CPANBridge::DBI::Catalog;

sub get_info {
    my ($h, $type) = @_;
    my $i = tied %$h;
    my %info = (17 => $i->{_driver}, 6 => "DBD::$i->{_driver}", 29 => '"', 41 => '.');
    return $info{$type};
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

# ---------------------------------------------------------------------------
package DBI::st;

use strict;
use warnings;
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
    $i->{_inout}{$n} = [ $ref, ($maxlen && $maxlen > 0 ? int $maxlen : 4000) ];
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
        $binds[ $_ - 1 ] = ${ $inout->{$_}[0] } for $inout ? keys %$inout : ();
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
    my $num = ($i->{_driver} || '') eq 'SQLite' && $di->{sqlite_see_if_its_a_number};
    my @send = map { CPANBridge::DBI::_bind_value($_, $types ? $types->[ $n++ ] : undef, $num) } @binds;
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
    $params{out} = [ map { +{ at => $_ + 0, max_len => $inout->{$_}[1] + 0 } } @out ] if @out;
    my $r = _rows_rpc($sth, $i, 'execute', 'execute', \%params);
    return undef unless $r;
    if (@out && $r->{out}) {
        ${ $inout->{ $out[$_] }[0] } = $r->{out}[$_] for 0 .. $#out;
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
        CPANBridge::DBI::_push_queue();
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
        CPANBridge::DBI::_read_arrived();
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

sub cancel { 0 }

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

# ---------------------------------------------------------------------------
package CPANBridge::DBI;

my %SQL_NUMERIC = map { $_ => 1 } (4, 5, -5, -6, 2, 3, 6, 7, 8, -7, 16);
my %SQL_BINARY  = map { $_ => 1 } (-2, -3, -4, 30);

# Bind value as it travels: untyped values as strings (DBD::SQLite binds text),
# numeric SQL types as numbers, binary SQL types as $b64.
sub _bind_value {
    my ($v, $type, $numify) = @_;
    return undef unless defined $v;
    # an integer of up to 18 digits stays exact as a number; a decimal is bound as a REAL
    return 0 + $v if $numify && !defined $type && !ref $v && $v =~ /\A-?(?:\d{1,18}|\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?\z/;
    if (defined $type) {
        if (ref $type eq 'HASH') {
            # driver types: PG_BYTEA; ORA_BLOB, ORA_RAW, ORA_LONGRAW
            return CPANBridge::Codec::bytes($v) if ($type->{pg_type} // 0) == 17;
            return CPANBridge::Codec::bytes($v) if grep { ($type->{ora_type} // 0) == $_ } 113, 23, 24;
            $type = $type->{TYPE};
        }
        if (defined $type && !ref $type) {
            return 0 + $v if $SQL_NUMERIC{$type} && DBI::looks_like_number($v);
            return CPANBridge::Codec::bytes($v) if $SQL_BINARY{$type};
        }
    }
    return $v if ref $v;
    return "$v";
}

# Does this connection return UTF-8 bytes rather than characters?
sub _wants_bytes {
    my ($i) = @_;
    my $d = $i->{_driver} || '';
    return $i->{sqlite_unicode} ? 0 : 1 if $d eq 'SQLite';
    return (defined $i->{pg_enable_utf8} && !$i->{pg_enable_utf8}) ? 1 : 0 if $d eq 'Pg';
    return 0;
}

sub _to_bytes {
    my ($batch) = @_;
    for my $row (@$batch) {
        for (@$row) { utf8::encode($_) if defined && utf8::is_utf8($_) }
    }
}

# Row format asked of the daemon (src/modules/database/rows.ts): 'json' (arrays, decoded with the
# JSON module) or 'sep' (one string per batch, decoded here with split). The compact format is
# used when the JSON module is JSON::PP, which decodes ~20,000 rows/s where split does hundreds of
# thousands; JSON::XS decodes JSON arrays faster still. CPAN_BRIDGE_ROW_FORMAT (or this variable)
# forces one.
our $ROW_FORMAT = $ENV{CPAN_BRIDGE_ROW_FORMAT};

sub _row_format {
    return $ROW_FORMAT if defined $ROW_FORMAT && ($ROW_FORMAT eq 'sep' || $ROW_FORMAT eq 'json');
    return $ROW_FORMAT = (CPANBridge::Codec::backend() eq 'JSON::PP' ? 'sep' : 'json');
}

my %SEP_UNESC = ((map { chr($_ + 0x40) => chr($_) } 0 .. 0x1b, 0x1d .. 0x1f), '|' => "\x1c",
                  q => '"', s => '\\', d => "\x7f");

# The rows of an execute/fetch reply: "batch" (arrays) or "batch_sep" (one string: fields end
# with "\x7f,", rows with "\x7f;", escapes and markers start with "\x7f"; see rows.ts), as byte
# strings ($bytes: UTF-8 as it travelled) or character strings.
sub _reply_rows {
    my ($r, $bytes) = @_;
    my $s = $r->{batch_sep};
    if (!defined $s) {
        my $batch = $r->{batch} || [];
        _to_bytes($batch) if $bytes && @$batch;
        return $batch;
    }
    # Codec passes the string on as the UTF-8 bytes it was (a JSON decoder gives characters).
    # Characters are wanted: as from a JSON decoder, strings with non-ASCII characters are decoded.
    utf8::encode($s) if utf8::is_utf8($s);
    my $chars = !$bytes && $s =~ /[\x80-\xff]/;
    my @num = @{ $r->{num} || [] };
    my @rows = split /\x7f;/, $s, -1;
    pop @rows;
    if (!$r->{esc} && !$chars) {
        if (@num) {
            for (@rows) {
                my @f = length $_ ? split(/\x7f,/, $_, -1) : ('');
                $_ += 0 for @f[@num];
                $_ = \@f;
            }
        }
        else {
            $_ = [ length $_ ? split(/\x7f,/, $_, -1) : ('') ] for @rows;
        }
        return \@rows;
    }
    my @isnum;
    $isnum[$_] = 1 for @num;
    for (@rows) {
        my @f = length $_ ? split(/\x7f,/, $_, -1) : ('');
        if ($chars && /[\x80-\xff]/) { utf8::decode($_) for @f }
        if (!/\x7f[^,]/) {
            $_ += 0 for @f[@num];
        }
        else {
            for my $k (0 .. $#f) {
                my $v = $f[$k];
                if (index($v, "\x7f") < 0) {
                    $f[$k] = $v + 0 if $isnum[$k];
                    next;
                }
                if (substr($v, 0, 1) eq "\x7f") {
                    my $m = substr($v, 1, 1);
                    if ($m eq 'n') { $f[$k] = undef; next }
                    if ($m eq 'b') { $f[$k] = MIME::Base64::decode_base64(substr($v, 2)); next }
                    if ($m eq 'i') { $f[$k] = substr($v, 2) + 0; next }
                    # an NV (+ 0 would make an integer-valued float an IV), as a JSON decoder gives
                    if ($m eq 'f') { $f[$k] = unpack('d', pack('d', substr($v, 2))); next }
                    $v = substr($v, 2) if $m eq 't';
                }
                $v =~ s/\x7f(.)/$SEP_UNESC{$1}/gs;
                $f[$k] = $v;
            }
        }
        $_ = \@f;
    }
    return \@rows;
}

# Reads the replies that have arrived, without waiting (daemon mode).
sub _read_arrived {
    my $c = CPANBridge::_client();
    return unless $CPANBridge::DAEMON_MODE && !$c->{fallen_back} && $c->{t} && @{ $c->{inflight} };
    eval { CPANBridge::_drain($c); 1 };
}

# Writes the queued requests now (daemon mode), so that the daemon starts on a fetch sent ahead
# while the script goes on; as send_async itself does for a long queue.
sub _push_queue {
    my $c = CPANBridge::_client();
    return unless @{ $c->{queue} } && $CPANBridge::DAEMON_MODE && !$c->{fallen_back} && $c->{t};
    CPANBridge::_write_queue($c);
}

# Live database handles of this process (weak), closed at exit like DBI does.
my @LIVE;
# (grep copies the references strong again: weaken them all, or no handle would ever be
# destroyed before exit -- no disconnect, no rollback when a $dbh goes out of scope)
sub _register { @LIVE = grep { defined } @LIVE, $_[0]; Scalar::Util::weaken($_) for @LIVE }

END {
    for my $h (grep { defined } @LIVE) {
        my $i = tied %$h or next;
        next unless $i->{Active} && $i->{_pid} == $$ && !$i->{InactiveDestroy} && _own_thread($i);
        $i->{Active} = 0;
        eval { CPANBridge::send_async('database', 'disconnect', { dbh => $i->{_id} }, sub { }) };
    }
}

# A handle belongs to the Perl thread that made it: another thread gets a copy it cannot use
# (DBI croaks, whatever RaiseError says), and the copy's DESTROY does nothing.
sub _own_thread { !defined $_[0]{_interp} || $_[0]{_interp} == 0 + \$CPANBridge::ANCHOR }

sub _thread_check {
    my ($h, $method) = @_;
    my $i = ref $h && Scalar::Util::reftype($h) eq 'HASH' && tied %$h or return;
    return if _own_thread($i);
    die sprintf("%s %s failed: handle %d is owned by thread %x not current thread %x (handles can't be shared between threads and your driver may need a CLONE method added)",
        CPANBridge::DBI::common::_class_name($i), $method, ($i->{Type} // '') eq 'st' ? 3 : 2, $i->{_interp}, 0 + \$CPANBridge::ANCHOR)
        . CPANBridge::DBI::common::_where();
}

# Every public method of a database or statement handle checks its thread first (threads->new
# clones the script's data, handles included). A script without threads pays one sub call.
{
    no strict 'refs';
    no warnings 'redefine';
    for my $class (qw(DBI::db DBI::st)) {
        my %seen;
        for my $pkg ($class, @{"${class}::ISA"}) {
            for my $name (sort keys %{"${pkg}::"}) {
                next if $seen{$name}++ || $name !~ /^[a-z]/ || $name =~ /^(?:can|isa|import)$/;
                next unless defined &{"${pkg}::$name"};
                my $code = $class->can($name) or next;
                *{"${class}::$name"} = sub { _thread_check($_[0], $name); goto &$code };
            }
        }
    }
}

$INC{'DBI.pm'} ||= __FILE__;

1;
