package CPANBridge::DBI::common;

# Methods shared by DBI::db and DBI::st: err/errstr/state, set_err, the whole
# RaiseError/PrintError/HandleError policy (_fail), the call to the daemon (_rpc) and the
# script's file and line that messages end with (_where).

use strict;
use warnings;
use Carp ();
no warnings 'redefine';
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::DBI::Attr ();

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

# Trace output is DBI's own (its dispatcher's lines); the bridge has none, so a level that would
# print something dies rather than leave the script's trace silently empty. Level 0 is the default.
sub _trace_prints { my ($level) = @_; defined $level && $level !~ /^\s*0*\s*$/ }
sub trace {
    my (undef, $level) = @_;
    Carp::croak("trace($level): DBI trace output is not supported by the bridge") if _trace_prints($level);
    return 0;
}
sub trace_msg { 1 }
sub debug     { my $h = shift; $h->trace(@_) }    # DBI's old name for trace
sub func      { my ($h, @args) = @_; my $m = pop @args; return _fail($h, tied %$h, 'func', 1, "func '$m' is not supported by the bridge") }
sub FETCH     { my ($h, $k) = @_; $h->{$k} }
sub STORE     { my ($h, $k, $v) = @_; $h->{$k} = $v; 1 }
sub private_attribute_info { undef }
sub can_bridge { 1 }

1;
