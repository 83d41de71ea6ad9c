package CPANBridge;

# The predecessor's object API (PREDECESSOR_API.md 1.1): CPANBridge->new, call_python
# (never dies on backend errors: {success => 0, error => ...}), get_last_error, the
# set_* switches over the package variables, statistics. Methods of CPANBridge itself
# (scripts say CPANBridge->new); loaded by CPANBridge.pm, over its public call().

use strict;
use warnings;
use Carp ();
use Time::HiRes ();

our ($DEBUG_LEVEL, $TIMEOUT, $MAX_JSON_SIZE, $RETRY_COUNT, $DAEMON_MODE, $FALLBACK_ENABLED,
     $DAEMON_SOCKET, $PYTHON_BRIDGE_SCRIPT, $PYTHON_PATH, $LAST_ERROR);

sub new {
    my ($class, %opt) = @_;
    $class = ref $class || $class;
    my $self = bless {
        debug         => $opt{debug} // $DEBUG_LEVEL,
        timeout       => $opt{timeout} // $TIMEOUT,
        max_json_size => $opt{max_json_size} // $MAX_JSON_SIZE,
        retry_count   => $opt{retry_count} // $RETRY_COUNT,
        last_error    => undef,
        stats         => {},
    }, $class;
    return $self;
}

sub call_python {
    my ($self, $module, $function, $params) = @_;
    Carp::croak('call_python: module and function are required')
        unless defined $module && length $module && defined $function && length $function;
    $params = {} unless defined $params;
    if ($module eq 'crypto' && $function eq 'encrypt' && ref $params eq 'HASH' && defined $params->{plaintext}
        && !ref $params->{plaintext} && !utf8::is_utf8($params->{plaintext})) {
        # the predecessor's JSON::PP sent a byte string as Latin-1 characters: encrypted (and
        # decrypted back) as such, so the same ciphertext, and `decrypted eq` the bytes given
        my $pt = $params->{plaintext};
        utf8::upgrade($pt);
        $params = { %$params, plaintext => $pt };
    }
    my $t0 = Time::HiRes::time();
    my $res = eval {
        local $TIMEOUT = ref $self && $self->{timeout} ? $self->{timeout} : $TIMEOUT;
        my $local = $module eq 'database' && ref $params eq 'HASH' && CPANBridge::Legacy::DB->can("call_$function");
        $local ? $local->($params) : call($module, $function, $params, legacy => 1);
    };
    my $err = $@;
    my $dt = Time::HiRes::time() - $t0;
    my $key = "$module.$function";
    if (ref $self) {
        $self->{stats}{$key}{call_count}++;
        $self->{stats}{$key}{last_duration} = $dt;
        $self->{stats}{$key}{total_duration} += $dt;
    }
    if (!defined $res && $err) {
        my $msg = ref $err && eval { $err->isa('CPANBridge::Error') } ? $err->message : "$err";
        $msg =~ s/\s+\z//;
        $LAST_ERROR = $msg;
        $self->{last_error} = $msg if ref $self;
        my %r = (success => 0, error => $msg, module => $module, function => $function, duration => $dt);
        CPANBridge::Legacy::DB::remember_error($function, $params, $msg) if $module eq 'database';
        if (ref $err && eval { $err->isa('CPANBridge::Error') }) {
            $r{error_code} = $err->code;
            $r{$_} = $err->{$_} for grep { defined $err->{$_} } qw(err errstr state retryable in_doubt);
        }
        return \%r;
    }
    $self->{last_error} = undef if ref $self;
    CPANBridge::Legacy::DB::remember_error($function, $params, undef) if $module eq 'database';
    return $res;
}

sub get_last_error        { my $s = shift; ref $s ? $s->{last_error} : $LAST_ERROR }
sub get_last_python_output { undef }
sub get_performance_stats { my $s = shift; ref $s ? { %{ $s->{stats} } } : {} }
sub clear_performance_stats { my $s = shift; $s->{stats} = {} if ref $s; 1 }

sub set_debug {
    my ($s, $v) = @_;
    $DEBUG_LEVEL = $v;
    $s->{debug} = $v if ref $s;
    return 1;
}
sub set_timeout       { my ($s, $v) = @_; ref $s ? ($s->{timeout} = $v) : ($TIMEOUT = $v); 1 }
sub set_max_json_size { my ($s, $v) = @_; ref $s ? ($s->{max_json_size} = $v) : ($MAX_JSON_SIZE = $v); 1 }
sub set_retry_count   { my ($s, $v) = @_; ref $s ? ($s->{retry_count} = $v) : ($RETRY_COUNT = $v); 1 }
sub set_daemon_mode   { my ($s, $v) = @_; $DAEMON_MODE = $v ? 1 : 0; 1 }
sub set_fallback      { my ($s, $v) = @_; $FALLBACK_ENABLED = $v ? 1 : 0; 1 }
sub set_daemon_socket { my ($s, $v) = @_; $DAEMON_SOCKET = $v; 1 }
# No Python here: accepted for compatibility, no effect.
sub set_python_bridge_script { my ($s, $v) = @_; $PYTHON_BRIDGE_SCRIPT = $v; 1 }
sub set_python_path          { my ($s, $v) = @_; $PYTHON_PATH = $v; 1 }

sub test_python_bridge {
    my $s = shift;
    my $r = eval { call('system', 'ping', {}) };
    return $r && $r->{pong} ? 1 : 0;
}

# The predecessor's JSON encoder for scripts that log a structure: canonical, never dies
# (what JSON cannot hold becomes a string).
sub _safe_json_encode {
    my ($s, $data) = @_;
    require JSON::PP;
    my $js = JSON::PP->new->canonical->allow_nonref->allow_unknown->allow_blessed->convert_blessed;
    my $out = eval { $js->encode($data) };
    return $out if defined $out;
    return eval { $js->encode("$data") } // '""';
}

sub check_python_module {
    my ($s, $name) = @_;
    my $r = (ref $s ? $s : CPANBridge->new)->call_python('test', 'check_module', { module => $name });
    return 0 unless ref $r eq 'HASH' && $r->{success};
    return exists $r->{available} ? ($r->{available} ? 1 : 0) : 1;
}

sub ping { my $r = eval { call('system', 'ping', {}) }; $r }

require CPANBridge::Legacy::DB;

1;
