package Net::SFTP::Foreign;

# Net::SFTP::Foreign 1.93 on the CPAN Bridge: the object keeps what the real one keeps (cwd,
# error and status as dualvars) and formats its messages; the daemon runs the SFTP requests over
# ssh2 and answers each with success or the server's status. Local files are the script's: they
# are read and written here, in chunks (transfers: CPANBridge::SFTP::Transfer).

use strict;
use warnings;
use Carp;
use Scalar::Util qw(dualvar);
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::SFTP::Connect ();
use Net::SFTP::Foreign::Constants qw(:error :status);
use Net::SFTP::Foreign::Attributes;

our $VERSION = '1.93';
our @CARP_NOT = qw(CPANBridge::SFTP::Transfer CPANBridge::SFTP::Connect);
$Carp::Internal{'Net::SFTP::Foreign'}++;
$Carp::Internal{'CPANBridge::SFTP::Transfer'}++;

my %STATUS_STR = (
    SSH2_FX_OK, 'OK', SSH2_FX_EOF, 'End of file', SSH2_FX_NO_SUCH_FILE, 'No such file or directory',
    SSH2_FX_PERMISSION_DENIED, 'Permission denied', SSH2_FX_FAILURE, 'Failure', SSH2_FX_BAD_MESSAGE, 'Bad message',
    SSH2_FX_NO_CONNECTION, 'No connection', SSH2_FX_CONNECTION_LOST, 'Connection lost',
    SSH2_FX_OP_UNSUPPORTED, 'Operation unsupported',
);

sub _croak_bad_options {
    if (@_) {
        my $s = (@_ > 1 ? 's' : '');
        croak "Invalid option$s '" . CORE::join("', '", @_) . "' or bad combination of options";
    }
}

# ---------------------------------------------------------------------------
# error and status, as Net::SFTP::Foreign::Common has them

sub _set_status {
    my $sftp = shift;
    my $code = shift;
    if ($code) {
        my $str = @_ ? CORE::join(': ', @_) : undef;
        $str = $STATUS_STR{$code} || "Unknown status ($code)" unless defined $str and length $str;
        return $sftp->{_status} = dualvar($code, $str);
    }
    return $sftp->{_status} = 0;
}

sub _set_error {
    my $sftp = shift;
    my $code = shift;
    if ($code) {
        my $str = @_ ? CORE::join(': ', @_) : "Unknown error $code";
        my $error = $sftp->{_error} = dualvar($code, $str);
        croak $error if $sftp->{_autodie};
    }
    elsif ($sftp->{_error}) {
        $sftp->{_error} = 0 if $sftp->{_error} != SFTP_ERR_CONNECTION_BROKEN;
    }
    return $sftp->{_error};
}

sub _clear_error_and_status { my $sftp = shift; $sftp->_set_error; $sftp->_set_status }

sub error  { shift->{_error} }
sub status { shift->{_status} }

sub die_on_error {
    my $sftp = shift;
    $sftp->{_error} and croak(@_ ? "@_: $sftp->{_error}" : $sftp->{_error});
}

sub _ok_or_autodie {
    my $sftp = shift;
    return 1 unless $sftp->{_error};
    $sftp->{_autodie} and croak $sftp->{_error};
    return undef;
}

sub autodie { my $sftp = shift; $sftp->{_autodie} = shift if @_; $sftp->{_autodie} }

# ---------------------------------------------------------------------------
# one request to the daemon: the reply, or undef with the connection marked broken

sub _conn_lost {
    my ($sftp, @str) = @_;
    $sftp->{_status} or $sftp->_set_status(SSH2_FX_CONNECTION_LOST);
    $sftp->{_error} or $sftp->_set_error(SFTP_ERR_CONNECTION_BROKEN, (@str ? @str : 'Connection to remote server is broken'));
    undef $sftp->{_connected};
    return undef;
}

sub _call {
    my ($sftp, $fn, $params) = @_;
    unless ($sftp->{_connected} && defined $sftp->{_id}) {
        $sftp->_conn_lost;
        return undef;
    }
    # requests on a transfer name it; the others name the session
    my %p = (exists $params->{upload} || exists $params->{download}) ? %$params : (sftp => $sftp->{_id}, %$params);
    my $r = eval { CPANBridge::call('sftp', $fn, \%p) };
    return $r if $r;
    my $e = $@;
    if (ref $e && eval { $e->can('code') } && $e->code eq 'sftp_connection') {
        return $sftp->_conn_lost($e->{stalled} ? ('Connection to remote server stalled') : ());
    }
    croak 'Net::SFTP::Foreign: ' . CPANBridge::Shim::error_text($e);
}

# A request answered with the server's status: success, or status and error set.
sub _check {
    my ($sftp, $r, $err, $errstr) = @_;
    return undef unless $r;
    $sftp->_clear_error_and_status;
    return $r if $r->{ok};
    my $status = $sftp->_set_status($r->{status}, defined $r->{text} ? $r->{text} : ());
    $sftp->_set_error($err, $errstr, $status);
    return undef;
}

sub _req { my ($sftp, $fn, $params, $err, $errstr) = @_; $sftp->_check($sftp->_call($fn, $params), $err, $errstr) }

# ---------------------------------------------------------------------------
# construction

sub new {
    my $class = shift;
    unshift @_, 'host' if @_ & 1;
    my %opts = @_;
    my $sftp = bless { _error => 0, _status => 0, _connected => 0, _owner => $$,
                       _thread => CPANBridge::Shim::thread_tag() }, $class;
    $sftp->{_autodie} = delete $opts{autodie};
    $sftp->{_block_size} = delete $opts{block_size} || 32 * 1024;
    $sftp->{_queue_size} = delete $opts{queue_size};
    $sftp->{_late_set_perm} = delete $opts{late_set_perm};
    my $fs = delete $opts{fs_encoding};
    croak "fs_encoding '$fs' is not supported by the bridge (only utf8)" if defined $fs && $fs !~ /^utf-?8$/i;
    my $spec = CPANBridge::SFTP::Connect::spec(\%opts);    # croaks on options it does not take
    %opts and _croak_bad_options(keys %opts);
    my $r = eval { CPANBridge::call('sftp', 'connect', $spec->{params}) };
    if ($r) {
        $sftp->{_id} = $r->{sftp};
        $sftp->{_connected} = 1;
        CPANBridge::SFTP::Connect::remember_keys($spec, $r->{new_keys});
        CPANBridge::Shim::track('sftp', $sftp);
    }
    else {
        my $e = $@;
        die $e unless ref $e && eval { $e->can('code') } && $e->code eq 'sftp_connect_failed';
        # what ssh itself would have said on the script's stderr
        print STDERR CPANBridge::SFTP::Connect::ssh_message($spec, $e), "\n" unless $spec->{stderr_discard};
        # with a password, Foreign waits for ssh's prompt: a server that takes no password never
        # shows one, and ssh just exits
        if (($e->{kind} // '') eq 'auth' && defined $spec->{params}{password} && !$e->{password_refused}) {
            $sftp->_set_status(SSH2_FX_NO_CONNECTION);
            $sftp->_set_error(SFTP_ERR_CONNECTION_BROKEN, 'SSH slave exited unexpectedly with error code 255');
        }
        $sftp->_conn_lost;
        croak $sftp->{_error} if $sftp->{_autodie};
    }
    return $sftp;
}

sub disconnect {
    my $sftp = shift;
    local $sftp->{_autodie};
    my $id = delete $sftp->{_id};
    if (defined $id && $sftp->{_owner} == $$ && CPANBridge::Shim::own_thread($sftp->{_thread})) {
        CPANBridge::Shim::untrack('sftp', $sftp);
        eval { CPANBridge::call('sftp', 'disconnect', { sftp => $id }); 1 };
    }
    $sftp->_conn_lost;
    return 1;
}

sub DESTROY {
    my $sftp = shift;
    local ($@, $!, $?);
    $sftp->disconnect if defined $sftp->{_id};
}

END { $_->disconnect for CPANBridge::Shim::live('sftp') }

sub server_extensions { croak 'Net::SFTP::Foreign::server_extensions is not supported by the bridge' }

# ---------------------------------------------------------------------------
# paths

sub join {
    my $sftp = shift;
    my $a = '.';
    while (@_) {
        my $b = shift;
        if (defined $b) {
            $b =~ s|^(?:\./+)+||;
            if (length $b and $b ne '.') {
                if ($b !~ m|^/| and $a ne '.') { $a = ($a =~ m|/$| ? "$a$b" : "$a/$b") }
                else { $a = $b }
                $a =~ s|(?:/+\.)+/?$|/|;
                $a =~ s|(?<=[^/])/+$||;
                $a = '.' unless length $a;
            }
        }
    }
    return $a;
}

sub _rel2abs { my ($sftp, $path) = @_; return $sftp->join($sftp->{cwd}, $path) }

sub _is_dir { (0170000 & $_[0]) == 0040000 }

sub setcwd {
    my ($sftp, $cwd, %opts) = @_;
    $sftp->_clear_error_and_status;
    my $check = delete $opts{check};
    $check = 1 unless defined $check;
    %opts and _croak_bad_options(keys %opts);
    if (defined $cwd) {
        if ($check) {
            $cwd = $sftp->realpath($cwd);
            return undef unless defined $cwd;
            my $a = $sftp->stat($cwd) or return undef;
            unless (_is_dir($a->perm)) {
                $sftp->_set_error(SFTP_ERR_REMOTE_BAD_OBJECT, "Remote object '$cwd' is not a directory");
                return undef;
            }
        }
        else {
            $cwd = $sftp->_rel2abs($cwd);
        }
        $sftp->_call('setcwd', { cwd => $cwd }) or return undef;
        return $sftp->{cwd} = $cwd;
    }
    delete $sftp->{cwd};
    $sftp->_call('setcwd', { cwd => undef }) or return undef;
    return $sftp->cwd if defined wantarray;
}

sub cwd {
    @_ == 1 or croak 'Usage: $sftp->cwd()';
    my $sftp = shift;
    return defined $sftp->{cwd} ? $sftp->{cwd} : $sftp->realpath('');
}

sub _getpath {
    my ($fn, $err, $name) = @_;
    return sub {
        @_ == 2 or croak 'Usage: $sftp->some_method($path)';
        my ($sftp, $path) = @_;
        $path = $sftp->_rel2abs($path);
        my $r = $sftp->_req($fn, { path => $path }, $err, "Couldn't get $name for remote '$path'");
        return $r ? $r->{path} : undef;
    };
}

*realpath = _getpath('realpath', SFTP_ERR_REMOTE_REALPATH_FAILED, 'realpath');
*readlink = _getpath('readlink', SFTP_ERR_REMOTE_READLINK_FAILED, 'link target');

sub symlink {
    @_ == 3 or croak 'Usage: $sftp->symlink($sl, $target)';
    my ($sftp, $sl, $target) = @_;
    $sl = $sftp->_rel2abs($sl);
    return $sftp->_req('symlink', { link => $sl, target => $target },
                       SFTP_ERR_REMOTE_SYMLINK_FAILED, "Couldn't create symlink '$sl' pointing to '$target'") ? 1 : undef;
}

# ---------------------------------------------------------------------------
# attributes

sub stat {
    @_ <= 2 or croak 'Usage: $sftp->stat($path_or_fh)';
    my ($sftp, $path) = @_;
    $path = '.' unless defined $path;
    croak 'stat of a remote file handle is not supported by the bridge' if ref $path;
    my $r = $sftp->_req('stat', { path => $sftp->_rel2abs($path) }, SFTP_ERR_REMOTE_STAT_FAILED, "Couldn't stat remote file");
    return $r ? Net::SFTP::Foreign::Attributes->_from_hash($r->{a}) : undef;
}

sub lstat {
    @_ <= 2 or croak 'Usage: $sftp->lstat($path)';
    my ($sftp, $path) = @_;
    $path = '.' unless defined $path;
    my $r = $sftp->_req('lstat', { path => $sftp->_rel2abs($path) }, SFTP_ERR_REMOTE_LSTAT_FAILED, "Couldn't stat remote link");
    return $r ? Net::SFTP::Foreign::Attributes->_from_hash($r->{a}) : undef;
}

sub test_d {
    my ($sftp, $name) = @_;
    {
        local $sftp->{_autodie};
        my $a = $sftp->stat($name);
        return _is_dir($a->perm) if $a;
    }
    if ($sftp->{_status} == SSH2_FX_NO_SUCH_FILE) { $sftp->_clear_error_and_status; return undef }
    $sftp->_ok_or_autodie;
}

sub test_e {
    my ($sftp, $name) = @_;
    {
        local $sftp->{_autodie};
        $sftp->stat($name) and return 1;
    }
    if ($sftp->{_status} == SSH2_FX_NO_SUCH_FILE) { $sftp->_clear_error_and_status; return undef }
    $sftp->_ok_or_autodie;
}

sub setstat {
    @_ == 3 or croak 'Usage: $sftp->setstat($path_or_fh, $attrs)';
    my ($sftp, $path, $attrs) = @_;
    croak 'setstat of a remote file handle is not supported by the bridge' if ref $path;
    return $sftp->_req('setstat', { path => $sftp->_rel2abs($path), attrs => $attrs->_to_hash },
                       SFTP_ERR_REMOTE_SETSTAT_FAILED, "Couldn't setstat remote file") ? 1 : undef;
}

sub chmod {
    @_ == 3 or croak 'Usage: $sftp->chmod($path_or_fh, arg1)';
    my ($sftp, $path, $perm) = @_;
    my $a = Net::SFTP::Foreign::Attributes->new;
    $a->set_perm($perm);
    return $sftp->_req('setstat', { path => $sftp->_rel2abs($path), attrs => $a->_to_hash },
                       SFTP_ERR_REMOTE_SETSTAT_FAILED, "Couldn't setstat remote file (chmod)") ? 1 : undef;
}

sub utime {
    @_ == 4 or croak 'Usage: $sftp->utime($path_or_fh, arg1, arg2)';
    my ($sftp, $path, $atime, $mtime) = @_;
    my $a = Net::SFTP::Foreign::Attributes->new;
    $a->set_amtime($atime, $mtime);
    return $sftp->_req('setstat', { path => $sftp->_rel2abs($path), attrs => $a->_to_hash },
                       SFTP_ERR_REMOTE_SETSTAT_FAILED, "Couldn't setstat remote file (utime)") ? 1 : undef;
}

# ---------------------------------------------------------------------------
# directories, removal, renames

sub mkdir {
    (@_ >= 2 and @_ <= 3) or croak 'Usage: $sftp->mkdir($path [, $attrs])';
    my ($sftp, $path, $attrs) = @_;
    $path = $sftp->_rel2abs($path);
    return $sftp->_req('mkdir', { path => $path, attrs => ($attrs ? $attrs->_to_hash : {}) },
                       SFTP_ERR_REMOTE_MKDIR_FAILED, "Couldn't create remote directory") ? 1 : undef;
}

sub mkpath {
    (@_ >= 2 and @_ <= 4) or croak 'Usage: $sftp->mkpath($path [, $attrs [, $parent]])';
    my ($sftp, $path, $attrs, $parent) = @_;
    $sftp->_clear_error_and_status;
    my $first = !$parent;
    $path =~ s{^(/*)}{};
    my $start = $1;
    $path =~ s{/+$}{};
    my @path;
    while (1) {
        if ($first) { $first = 0 }
        else { $path =~ s{/*[^/]*$}{} }
        my $p = "$start$path";
        last if $sftp->test_d($p);
        unless (length $path) {
            $sftp->_set_error(SFTP_ERR_REMOTE_MKDIR_FAILED, 'Unable to make path, bad root');
            return undef;
        }
        unshift @path, $p;
    }
    for my $p (@path) {
        # "." and ".." components (symbolic dirs) are not made: they must be there by then
        if ($p =~ m{^(?:.*/)?\.{1,2}$} or $p =~ m{/$}) {
            unless ($sftp->test_d($p)) {
                $sftp->{_error} or $sftp->_set_error(SFTP_ERR_REMOTE_MKDIR_FAILED, 'Unable to make path, bad name');
                return undef;
            }
        }
        else {
            $sftp->mkdir($p, $attrs) or return undef;
        }
    }
    return 1;
}

sub remove {
    @_ == 2 or croak 'Usage: $sftp->remove($path)';
    my ($sftp, $path) = @_;
    return $sftp->_req('remove', { path => $sftp->_rel2abs($path) }, SFTP_ERR_REMOTE_REMOVE_FAILED, "Couldn't delete remote file") ? 1 : undef;
}

sub rmdir {
    @_ == 2 or croak 'Usage: $sftp->rmdir($path)';
    my ($sftp, $path) = @_;
    return $sftp->_req('rmdir', { path => $sftp->_rel2abs($path) }, SFTP_ERR_REMOTE_RMDIR_FAILED, "Couldn't remove remote directory") ? 1 : undef;
}

sub _inc_numbered {
    $_[0] =~ s{^(.*)\((\d+)\)((?:\.[^\.]*)?)$}{"$1(" . ($2+1) . ")$3"}e or
    $_[0] =~ s{((?:\.[^\.]*)?)$}{(1)$1};
}

# SSH2_FXP_RENAME (fails on an existing target), or posix-rename@openssh.com (replaces it)
sub _rename_req {
    my ($sftp, $old, $new, $posix) = @_;
    $old = $sftp->_rel2abs($old);
    $new = $sftp->_rel2abs($new);
    return $sftp->_req('rename', { from => $old, to => $new, posix => ($posix ? \1 : \0) },
                       SFTP_ERR_REMOTE_RENAME_FAILED, "Couldn't rename remote file '$old' to '$new'") ? 1 : undef;
}

sub _rename { my ($sftp, $old, $new) = @_; $sftp->_rename_req($old, $new, 0) }

sub atomic_rename {
    @_ == 3 or croak 'Usage: $sftp->atomic_rename($old, $new)';
    my ($sftp, $old, $new) = @_;
    return $sftp->_rename_req($old, $new, 1);
}

sub rename {
    (@_ & 1) or croak 'Usage: $sftp->rename($old, $new, %opts)';
    my ($sftp, $old, $new, %opts) = @_;
    my $overwrite = delete $opts{overwrite};
    my $numbered = delete $opts{numbered};
    croak "'overwrite' and 'numbered' options can not be used together" if ($overwrite and $numbered);
    %opts and _croak_bad_options(keys %opts);
    if ($overwrite) {
        $sftp->atomic_rename($old, $new) and return 1;
        $sftp->{_status} != SSH2_FX_OP_UNSUPPORTED and return undef;
    }
    for (1) {
        local $sftp->{_autodie};
        if (!$sftp->_rename($old, $new) and $sftp->{_status} == SSH2_FX_FAILURE) {
            if ($numbered and $sftp->test_e($new)) {
                _inc_numbered($new);
                redo;
            }
            elsif ($overwrite) {
                my $rp_old = $sftp->realpath($old);
                my $rp_new = $sftp->realpath($new);
                if (defined $rp_old and defined $rp_new and $rp_old eq $rp_new) {
                    $sftp->_clear_error_and_status;
                }
                elsif ($sftp->remove($new)) {
                    $overwrite = 0;
                    redo;
                }
            }
        }
    }
    # (the real rename does not report the numbered name back through a reference)
    return $sftp->_ok_or_autodie;
}

# ---------------------------------------------------------------------------
# listings (CPANBridge::SFTP::List) and transfers (CPANBridge::SFTP::Transfer)

require CPANBridge::SFTP::List;
require CPANBridge::SFTP::Transfer;

sub ls          { CPANBridge::SFTP::List::ls(@_) }
sub glob        { CPANBridge::SFTP::List::glob(@_) }
sub find        { CPANBridge::SFTP::List::find(@_) }
sub put         { CPANBridge::SFTP::Transfer::put(@_) }
sub get         { CPANBridge::SFTP::Transfer::get(@_) }
sub put_content { CPANBridge::SFTP::Transfer::put_content(@_) }
sub get_content { CPANBridge::SFTP::Transfer::get_content(@_) }
sub rput        { CPANBridge::SFTP::Transfer::rput(@_) }
sub rget        { CPANBridge::SFTP::Transfer::rget(@_) }

for my $m (qw(open close read write seek tell eof readline getc sftpread sftpwrite opendir readdir closedir
              hardlink truncate statvfs fstatvfs fsync flush mget mput rremove
              get_symlink put_symlink abort)) {
    no strict 'refs';
    *{$m} = sub { croak "Net::SFTP::Foreign::$m is not supported by the bridge" };
}

1;
