package CPANBridge::Config;

# One place that decides every client setting.
#
# Precedence, highest first:
#   1. an explicit value (a CPANBridge package variable assigned by the script,
#      or an option given to CPANBridge->new)       -- handled by the caller
#   2. the environment variable (CPAN_BRIDGE_*)
#   3. the JSON config file named by CPAN_BRIDGE_CONFIG (none otherwise: the
#      daemon's rule, src/config.ts, so both read the same file or none)
#   4. the built-in default
#
# The settings are resolved once per process (load()), never per call: the
# hot path must not stat or read files.

use strict;
use warnings;
use File::Spec;
use CPANBridge::Taint ();

our $VERSION = '0.1.0';

# name => [ env var, config-file key, default (scalar or code ref) , kind ]
my %SPEC = (
    home              => [ 'CPAN_BRIDGE_HOME',              'home',              \&_default_home, 'path' ],
    socket            => [ 'CPAN_BRIDGE_SOCKET',            'socket',            sub { File::Spec->catfile($_[0]{home}, 'bridge.sock') }, 'path' ],
    daemon            => [ 'CPAN_BRIDGE_DAEMON',            'daemon',            1,    'bool' ],
    fallback          => [ 'CPAN_BRIDGE_FALLBACK',          'fallback',          1,    'bool' ],
    autostart         => [ 'CPAN_BRIDGE_AUTOSTART',         'autostart',         1,    'bool' ],
    reconnect_timeout => [ 'CPAN_BRIDGE_RECONNECT_TIMEOUT', 'reconnect_timeout', 30,   'num' ],
    timeout           => [ 'CPAN_BRIDGE_TIMEOUT',           'timeout',           300,  'num' ],
    max_frame_bytes   => [ 'CPAN_BRIDGE_MAX_FRAME_BYTES',   'max_frame_bytes',   10 * 1024 * 1024, 'num' ],
    prefetch          => [ 'CPAN_BRIDGE_PREFETCH',          'prefetch',          1000, 'num' ],
    node              => [ 'CPAN_BRIDGE_NODE',              'node',              'node', 'str' ],
    cli               => [ 'CPAN_BRIDGE_CLI',               'cli',               \&_default_cli, 'str' ],
    debug             => [ 'CPAN_BRIDGE_DEBUG',             'debug',             0,    'num' ],
);

# Order matters: later defaults use earlier values.
my @ORDER = qw(home socket daemon fallback autostart reconnect_timeout timeout
               max_frame_bytes prefetch node cli debug);

sub _default_home {
    my $base = $ENV{HOME};
    $base = (getpwuid($<))[7] if !defined $base || $base eq '';
    $base = File::Spec->tmpdir if !defined $base || $base eq '';
    return File::Spec->catdir($base, '.cpan-bridge');
}

# perl/lib/CPANBridge.pm -> <repo>/dist/cli.js
sub repo_root {
    my $pm = $INC{'CPANBridge/Config.pm'} || __FILE__;
    my ($vol, $dir) = File::Spec->splitpath(File::Spec->rel2abs($pm));
    my @d = File::Spec->splitdir($dir);
    pop @d while @d && $d[-1] eq '';
    splice @d, -3;    # CPANBridge, lib, perl
    return File::Spec->catpath($vol, File::Spec->catdir(@d), '');
}

sub _default_cli {
    my ($s) = @_;
    my $root = repo_root();
    $root =~ s{/$}{};
    return join ' ', _q($s->{node}), _q("$root/dist/cli.js");
}

sub _q { my $x = shift; $x =~ /\s/ ? qq{"$x"} : $x }

# For a node process started for the script (autostart, process mode), in the child before exec:
# NODE_EXTRA_CA_CERTS makes every node start parse that file (~40 ms); under this name the CLI
# adds it on its first TLS connection instead, as node would have (src/extra-ca.ts).
sub defer_node_ca {
    my $f = delete $ENV{NODE_EXTRA_CA_CERTS};
    $ENV{CPAN_BRIDGE_EXTRA_CA_CERTS} = $f if defined $f && length $f;
}

# The environment of a node process the client starts (daemon or process-mode call), set in the
# child before exec: OpenSSL's legacy provider (Blowfish, DES, IDEA, CAST5 for Crypt::CBC), as
# `daemon --detach` gives it, and the CA file deferred.
sub node_child_env {
    $ENV{NODE_OPTIONS} = join ' ', grep { defined && length } $ENV{NODE_OPTIONS}, '--openssl-legacy-provider'
        unless ($ENV{NODE_OPTIONS} // '') =~ /--openssl-legacy-provider/;
    defer_node_ca();
}

# The one boolean rule, shared with src/config.ts (parseBool): 1, true, yes, on (any
# case, spaces around ignored) and JSON true are true; anything else is false.
sub _bool {
    my $v = shift;
    return defined $v && "$v" =~ /^\s*(?:1|true|yes|on)\s*$/i ? 1 : 0;
}

sub _read_file_config {
    my ($path) = @_;
    return {} unless defined $path && length $path && -f $path;
    open my $fh, '<:raw', $path or return {};
    local $/;
    my $txt = <$fh>;
    close $fh;
    require CPANBridge::Codec;
    my $h = eval { CPANBridge::Codec::decode_json_bytes($txt) };
    if (!$h || ref $h ne 'HASH') {
        warn "CPANBridge: ignoring unreadable config file $path\n";
        return {};
    }
    return $h;
}

# load(%explicit) -> hashref of resolved settings.
sub load {
    my (%explicit) = @_;
    my %s;
    my $cfg_path = $ENV{CPAN_BRIDGE_CONFIG};
    $cfg_path = undef if defined $cfg_path && $cfg_path eq '';
    my $file = _read_file_config($cfg_path);
    $s{config_file} = $cfg_path;

    for my $name (@ORDER) {
        my ($env, $key, $def, $kind) = @{ $SPEC{$name} };
        my $v;
        if (exists $explicit{$name} && defined $explicit{$name}) { $v = $explicit{$name} }
        elsif (defined $ENV{$env} && $ENV{$env} ne '')          { $v = $ENV{$env} }
        elsif (exists $file->{$key} && defined $file->{$key})     { $v = $file->{$key} }
        else { $v = ref $def eq 'CODE' ? $def->(\%s) : $def }
        if    ($kind eq 'bool') { $v = _bool($v) }
        elsif ($kind eq 'num')  { $v = 0 + $v if $v =~ /^\s*[\d.]+\s*$/ }
        elsif ($kind eq 'path') { $v =~ s/^~(?=\/|$)/$ENV{HOME}/ if defined $ENV{HOME} }
        $s{$name} = CPANBridge::Taint::clean($v);    # the operator's configuration (perl -T)
    }
    $s{token_file}     = File::Spec->catfile($s{home}, 'token');
    $s{autostart_lock} = File::Spec->catfile($s{home}, 'autostart.lock');
    $s{pid_file}       = File::Spec->catfile($s{home}, 'daemon.pid');
    $s{autostart_log}  = File::Spec->catfile($s{home}, 'autostart.log');
    return \%s;
}

# Split a command string (CPAN_BRIDGE_CLI) into argv; honours simple quotes.
sub split_command {
    my ($cmd) = @_;
    my @argv;
    while ($cmd =~ /\G\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))/gc) {
        my $a = defined $1 ? $1 : defined $2 ? $2 : $3;
        $a =~ s/\\(.)/$1/g if defined $1;
        push @argv, $a;
    }
    return @argv;
}

# Why a state directory or a file in it cannot be trusted (as the daemon judges it:
# another user's, group/world-writable, or a symlink), with how to fix it; undef if fine.
sub untrusted {
    my ($path) = @_;
    my @st = lstat $path or return undef;
    return "$path is a symbolic link: remove it (rm $path); the bridge creates its own files" if -l _;
    return "$path is owned by uid $st[4], not by this user (uid $<): someone else may have prepared it; "
        . "remove it, or use a state directory of your own (CPAN_BRIDGE_HOME)" if $st[4] != $<;
    return sprintf("%s is writable by its group or by everyone (mode %o): chmod go-w %s, or remove it", $path, $st[2] & 07777, $path)
        if $st[2] & 022;
    return undef;
}

# Create the state directory (0700) once, or check the one found.
# -> 1, or (0, message) (message also in $s->{home_error})
sub ensure_home {
    my ($s) = @_;
    my $home = $s->{home};
    return 1 if $s->{_home_ok};
    if (!-d $home && !-l $home) {
        my @parts = File::Spec->splitdir($home);
        my $p = '';
        for my $i (0 .. $#parts) {
            $p = $i == 0 ? $parts[0] : File::Spec->catdir($p, $parts[$i]);
            next if $p eq '' || -d $p;
            mkdir $p, 0700 or (-d $p) or return (0, $s->{home_error} = "cannot create $home: $!");
        }
    }
    if (my $why = untrusted($home)) {
        return (0, $s->{home_error} = "the state directory $home cannot be trusted: $why");
    }
    chmod 0700, $home;
    $s->{_home_ok} = 1;
    return 1;
}

1;
