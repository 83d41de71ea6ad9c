package CPANBridge::SFTP::Connect;

# What Net::SFTP::Foreign->new passes to `ssh`, read here on the script's side as ssh would:
# user, port, key (its file read here: it is the script's), `more => [...]` options, the
# known_hosts files of the script's user. A new host key accepted (StrictHostKeyChecking
# accept-new) is appended to the user's known_hosts, as ssh does.

use strict;
use warnings;
use Carp;

my %STRICT = (yes => 'yes', ask => 'yes', 'accept-new' => 'accept-new', no => 'no', off => 'no');

sub _home { $ENV{HOME} || (getpwuid($<))[7] || '/' }

sub _slurp {
    my ($file) = @_;
    open my $fh, '<:raw', $file or return undef;
    local $/;
    my $s = <$fh>;
    close $fh;
    return defined $s ? $s : '';
}

sub _tilde { my $p = shift; $p =~ s{^~(?=/|$)}{_home()}e; return $p }

# -o Key=Value or "Key Value" into %$o (keys lower-cased, as ssh reads them)
sub _option {
    my ($o, $s) = @_;
    my ($k, $v) = $s =~ /^\s*(\w+)\s*(?:=\s*|\s+)(.*?)\s*$/ or croak "bad ssh option '$s'";
    $k = lc $k;
    # ssh: the first value given wins
    $o->{$k} = $v unless exists $o->{$k};
}

# ssh_config(5) values for $host, the first of each key winning ("Host" patterns with * ? and !;
# "Match" blocks are not evaluated). Keys that would send the connection elsewhere croak.
sub _config {
    my ($file, $host, $o) = @_;
    open my $fh, '<', $file or return;
    my $on = 1;
    while (my $l = <$fh>) {
        $l =~ s/^\s+|\s+$//g;
        next if $l eq '' or $l =~ /^#/;
        my ($k, $v) = $l =~ /^(\S+?)(?:\s*=\s*|\s+)(.*)$/ or next;
        $k = lc $k;
        if ($k eq 'host') {
            my @p = split ' ', $v;
            my $re = sub { my $g = quotemeta shift; $g =~ s/\\\*/.*/g; $g =~ s/\\\?/./g; qr/^$g$/i };
            $on = (grep { !/^!/ && $host =~ $re->($_) } @p) && !(grep { /^!(.*)/ && $host =~ $re->($1) } @p);
            next;
        }
        if ($k eq 'match') { $on = 0; next }
        next unless $on;
        croak "ssh option '$k' (in $file) is not supported by the bridge" if $k eq 'proxyjump' or $k eq 'proxycommand';
        if ($k eq 'identityfile') { push @{ $o->{_config_keys} }, $v; next }
        $o->{$k} = $v unless exists $o->{$k};
    }
}

sub spec {
    my ($opts) = @_;
    my $host = delete $opts->{host};
    defined $host or croak 'sftp target host not defined';
    my %o;
    my $user = delete $opts->{user};
    my $port = delete $opts->{port};
    my $password = delete $opts->{password};
    my $passphrase = delete $opts->{passphrase};
    my $timeout = delete $opts->{timeout};
    my $stderr_discard = delete $opts->{stderr_discard};
    my @keys;
    if (defined(my $kp = delete $opts->{key_path})) { push @keys, ref $kp ? @$kp : $kp }
    for my $k (qw(ssh_cmd backend transport open2_cmd stderr_fh ssh_cmd_interface expect_log_user
                  asks_for_username_at_login password_prompt dirty_cleanup remote_has_volumes
                  autoflush min_block_size max_block_size read_ahead write_delay)) {
        next unless exists $opts->{$k};
        my $v = delete $opts->{$k};
        next if $k eq 'ssh_cmd' and defined $v and $v eq 'ssh';
        next if $k eq 'backend' and defined $v and $v eq 'Unix';
        croak "Net::SFTP::Foreign option '$k' is not supported by the bridge (it connects with its own SSH client)";
    }
    my $more = delete $opts->{more};
    my $config = '~/.ssh/config';
    my @more = !defined $more ? () : ref $more ? @$more : split(' ', $more);
    while (@more) {
        my $a = shift @more;
        if ($a =~ /^-o(.*)$/) { _option(\%o, length $1 ? $1 : (shift(@more) // croak "ssh option -o without a value")) }
        elsif ($a =~ /^-i(.*)$/) { push @keys, length $1 ? $1 : (shift(@more) // croak "ssh option -i without a file") }
        elsif ($a =~ /^-p(.*)$/) { _option(\%o, 'Port=' . (length $1 ? $1 : shift(@more))) }
        elsif ($a =~ /^-l(.*)$/) { _option(\%o, 'User=' . (length $1 ? $1 : shift(@more))) }
        elsif ($a =~ /^-F(.*)$/) { $config = length $1 ? $1 : (shift(@more) // croak "ssh option -F without a file") }
        elsif ($a =~ /^-[vq]+$/) { }    # ssh's own diagnostics on stderr: there is no ssh process here
        else { croak "ssh option '$a' is not supported by the bridge" }
    }
    $user = $1 if !defined $user and $host =~ s/^(.*)\@//;
    # the user's ssh_config (or -F FILE) for this host, under the options given explicitly
    my %c;
    _config(_tilde($config), $host, \%c) unless $config eq 'none';
    push @keys, map { _tilde($_) } @{ delete($c{_config_keys}) || [] } unless @keys;
    my %known = map { $_ => 1 } qw(hostname port user identityfile stricthostkeychecking userknownhostsfile
        globalknownhostsfile batchmode connecttimeout passwordauthentication pubkeyauthentication identitiesonly loglevel);
    for my $k (sort keys %o) {
        croak "ssh option '$k' is not supported by the bridge" unless $known{$k};
    }
    # from ssh_config only these keys apply (the others, such as ServerAliveInterval, do not)
    exists $o{$_} or $o{$_} = $c{$_} for grep { exists $c{$_} } keys %known;
    $host = $o{hostname} if defined $o{hostname};
    push @keys, $o{identityfile} if defined $o{identityfile};
    $port = $o{port} unless defined $port;
    $user = $o{user} unless defined $user;
    $user = $ENV{USER} || $ENV{LOGNAME} || (getpwuid($<))[0] unless defined $user;
    my $strict = $STRICT{ lc($o{stricthostkeychecking} || 'ask') } or croak "bad StrictHostKeyChecking value '$o{stricthostkeychecking}'";
    my @kh = map { _tilde($_) } split ' ', (defined $o{userknownhostsfile} ? $o{userknownhostsfile} : '~/.ssh/known_hosts ~/.ssh/known_hosts2');
    my @gkh = split ' ', (defined $o{globalknownhostsfile} ? $o{globalknownhostsfile} : '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2');
    my $known_hosts = CORE::join "\n", grep { defined } map { _slurp($_) } @kh, @gkh;
    my @warn;
    my $key;
    my $no_pubkey = lc($o{pubkeyauthentication} || 'yes') eq 'no';
    @keys = map { _tilde($_) } @keys;
    @keys = grep { -e } map { _home() . "/.ssh/$_" } qw(id_ed25519 id_ecdsa id_rsa) unless @keys or defined $password;
    for my $k (@keys) {
        last if $no_pubkey;
        my $s = _slurp($k);
        unless (defined $s) { push @warn, "Warning: Identity file $k not accessible: $!."; next }
        $key = $s;
        last;    # the daemon offers one key: the first readable one
    }
    undef $password if lc($o{passwordauthentication} || 'yes') eq 'no';
    my $io_timeout = $timeout;
    $timeout = $o{connecttimeout} unless defined $timeout;
    $port = 22 unless defined $port;
    croak "bad port '$port'" unless $port =~ /^\d+$/ and $port > 0 and $port < 65536;
    print STDERR "$_\n" for @warn;
    return {
        host => $host, port => $port, user => $user, stderr_discard => $stderr_discard, kh_files => \@kh,
        params => {
            host => $host, port => 0 + $port, user => $user, timeout => 0 + ($timeout || 30),
            io_timeout => (defined $io_timeout ? 0 + $io_timeout : undef),
            password => $password, key => $key, passphrase => $passphrase,
            known_hosts => $known_hosts, strict => $strict,
        },
    };
}

# ssh writes the keys it accepted (accept-new) to the first known_hosts file
sub remember_keys {
    my ($spec, $lines) = @_;
    return unless $lines && @$lines;
    my $file = $spec->{kh_files}[0];
    if (defined $file and $file ne '/dev/null') {
        (my $dir = $file) =~ s{/[^/]*$}{};
        mkdir $dir, 0700 if length $dir and !-d $dir;
        if (open my $fh, '>>', $file) { print $fh "$_\n" for @$lines; close $fh }
    }
    printf STDERR "Warning: Permanently added '%s' (%s) to the list of known hosts.\n",
        _name($spec), _ktype((split ' ', $_)[1]) for @$lines;
}

sub _name { my $spec = shift; $spec->{port} == 22 ? $spec->{host} : "[$spec->{host}]:$spec->{port}" }

my %KTYPE = ('ssh-ed25519' => 'ED25519', 'ssh-rsa' => 'RSA', 'ecdsa-sha2-nistp256' => 'ECDSA', 'ecdsa-sha2-nistp384' => 'ECDSA',
             'ecdsa-sha2-nistp521' => 'ECDSA', 'ssh-dss' => 'DSA');
sub _ktype { $KTYPE{ $_[0] } || $_[0] }

# ssh's warning for a host key that is not the one known_hosts has for the host
sub _changed {
    my ($spec, $e) = @_;
    my ($file, $line) = ('known_hosts', 0);
    FILE: for my $f (@{ $spec->{kh_files} }) {
        open my $fh, '<', $f or next;
        while (my $l = <$fh>) {
            my ($hosts) = split ' ', $l;
            next unless defined $hosts;
            if (grep { $_ eq _name($spec) } split /,/, $hosts) { ($file, $line) = ($f, $.); last FILE }
        }
    }
    my $t = $e->{key_type} || 'host';
    my $at = '@' x 59;
    return CORE::join "\n", $at,
        '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @', $at,
        'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
        'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
        'It is also possible that a host key has just been changed.',
        "The fingerprint for the $t key sent by the remote host is",
        ($e->{fingerprint} || '?') . '.',
        'Please contact your system administrator.',
        "Add correct host key in $file to get rid of this message.",
        "Offending $t key in $file:$line",
        '  remove with:',
        "  ssh-keygen -f \"$file\" -R \"" . _name($spec) . '"',
        'Host key for ' . _name($spec) . ' has changed and you have requested strict checking.',
        'Host key verification failed.';
}

# The line ssh would have printed on stderr for a failed connection.
sub ssh_message {
    my ($spec, $e) = @_;
    my $kind = $e->{kind} || 'other';
    return "ssh: connect to host $spec->{host} port $spec->{port}: Connection refused" if $kind eq 'refused';
    return "ssh: connect to host $spec->{host} port $spec->{port}: Connection timed out" if $kind eq 'timeout';
    # ssh lists the methods the server takes (the daemon learnt them as ssh does)
    return "$spec->{user}\@$spec->{host}: Permission denied ("
        . ($e->{methods} || 'publickey' . (defined $spec->{params}{password} ? ',password' : '')) . ').' if $kind eq 'auth';
    return _changed($spec, $e) if $kind eq 'hostkey_changed';
    return 'Host key verification failed.' if $kind eq 'hostkey_unknown';
    return 'Load key: ' . $e->message if $kind eq 'key';
    return 'ssh: ' . $e->message;
}

1;
