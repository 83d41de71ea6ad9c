package DBI;

# The DBI class itself: connect, connect_cached, class-level err/errstr/state,
# constants and export tags, the utility functions (neat, looks_like_number...); and DBI::dr.

use strict;
use warnings;
no warnings 'redefine';
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::DBI::common ();

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
    $CPANBridge::DBI::DRIVER_LOADED{$driver} = 1;    # DBI loads a DBD at its first connect
    my $db_class = $opt{db_class} || 'DBI::db';
    my %fields = (
        %$a,
        Type => 'db', _id => $r->{dbh}, _driver => $driver, Name => $rest, Username => $user,
        Active => 1, AutoCommit => (defined $r->{autocommit} ? ($r->{autocommit} ? 1 : 0) : ($a->{AutoCommit} ? 1 : 0)),
        FetchHashKeyName => $a->{FetchHashKeyName} || 'NAME', _pid => $$, _interp => CPANBridge::Shim::thread_tag(), _kids => {},
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
# Trace output is DBI's own (its dispatcher's lines); the bridge has none, so a level that would
# print something dies rather than leave the script's trace silently empty. Level 0 is the default.
sub trace {
    my (undef, $level) = @_;
    Carp::croak("DBI->trace($level): DBI trace output is not supported by the bridge")
        if CPANBridge::DBI::common::_trace_prints($level);
    return 0;
}
sub trace_msg { 1 }
sub install_driver { my ($c, $d) = @_; $installed_drh{$d} ||= bless { Name => $d }, 'DBI::dr' }
# DBI walks its handle tree (ChildHandles); the bridge's handles keep no such tree.
sub visit_handles { Carp::croak('DBI->visit_handles is not supported by the bridge') }

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

1;
