package CPANBridge::SFTP::Transfer;

# Net::SFTP::Foreign's put, get, put_content, get_content, rput and rget on the bridge. The local
# file is read or written here, in the script's process, one chunk per request (never whole).
# An upload goes to a temporary remote name and is renamed into place by put_commit; a download
# goes to a local temporary file renamed into place at the end: a crash of the daemon never
# leaves a partial file at the target, and the client's resend continues the same transfer.

use strict;
use warnings;
use Carp;
use Fcntl ();
use File::Spec ();
use CPANBridge::Codec ();
use Net::SFTP::Foreign::Constants qw(:error :status);

our $CHUNK = 1024 * 1024;
my $SEQ = 0;

sub _file_part { my $p = shift; $p =~ m{([^/]*)$}; $1 }
sub _is_fh { my $x = shift; ref $x and (UNIVERSAL::isa($x, 'GLOB') or UNIVERSAL::isa(\$x, 'GLOB')) }
sub _not_supported { my ($m, $o) = @_; croak "Net::SFTP::Foreign::$m option '$o' is not supported by the bridge" }

# Net::SFTP::Foreign's `conversion`: 'dos2unix', 'unix2dos' or a code ref, applied to each chunk in
# place and once more to '' at the end (a CR at the end of a chunk waits for the next one)
sub _converter {
    my $conversion = shift;
    return undef unless defined $conversion;
    if (ref $conversion) {
        croak 'unsupported conversion argument' unless ref $conversion eq 'CODE';
        return sub { $conversion->($_[0]) };
    }
    croak "unknown conversion '$conversion'" unless $conversion eq 'dos2unix' or $conversion eq 'unix2dos';
    my $to_dos = $conversion eq 'unix2dos';
    my $cr = 0;
    return sub {
        if (length $_[0]) {
            $_[0] = "\x0d$_[0]" if $cr;
            $cr = $_[0] =~ s/\x0d\z//s;
            if ($to_dos) { $_[0] =~ s/(?<!\x0d)\x0a/\x0d\x0a/gs } else { $_[0] =~ s/\x0d\x0a/\x0a/gs }
        }
        elsif ($cr) { $cr = 0; $_[0] = "\x0d" }
    };
}

# a failed request's status and error, as _get_msg_and_check sets them
sub _fail {
    my ($sftp, $r, $err, $errstr) = @_;
    my $status = $sftp->_set_status($r->{status}, defined $r->{text} ? $r->{text} : ());
    $sftp->_set_error($err, $errstr, $status);
    return undef;
}

sub put {
    @_ >= 2 or croak 'Usage: $sftp->put($local, $remote, %opts)';
    my ($sftp, $local, $remote, %opts) = @_;
    defined $local or croak 'local file path is undefined';
    $sftp->_clear_error_and_status;
    my $local_is_fh = _is_fh($local);
    unless (defined $remote) {
        $local_is_fh and croak 'unable to infer remote file name when a file handler is passed as local';
        $remote = (File::Spec->splitpath($local))[2];
    }
    for (qw(callback append sparse)) { _not_supported('put', $_) if defined $opts{$_} }
    my $conv = _converter(delete $opts{conversion});
    my $umask = delete $opts{umask};
    my $perm = delete $opts{perm};
    my $copy_perm = delete $opts{copy_perm};
    $copy_perm = delete $opts{copy_perms} unless defined $copy_perm;
    my $copy_time = delete $opts{copy_time};
    my $overwrite = delete $opts{overwrite};
    my $resume = delete $opts{resume};
    delete @opts{qw(block_size queue_size)};    # the bridge's chunks are its own
    my $late_set_perm = delete $opts{late_set_perm};
    my $numbered = delete $opts{numbered};
    my $atomic = delete $opts{atomic};
    my $cleanup = delete $opts{cleanup};
    my $best_effort = delete $opts{best_effort};
    my $mkpath = delete $opts{mkpath};
    croak "'perm' and 'umask' options can not be used simultaneously" if (defined $perm and defined $umask);
    croak "'perm' and 'copy_perm' options can not be used simultaneously" if (defined $perm and $copy_perm);
    croak "'resume' and 'overwrite' options can not be used simultaneously" if ($resume and $overwrite);
    croak "'numbered' can not be used with 'overwrite', 'resume' or 'append'" if ($numbered and ($overwrite or $resume));
    croak "'atomic' can not be used with 'resume' or 'append'" if ($atomic and $resume);
    %opts and Net::SFTP::Foreign::_croak_bad_options(keys %opts);

    $overwrite = 1 unless (defined $overwrite or $numbered);
    $copy_perm = 1 unless (defined $perm or defined $copy_perm or $local_is_fh);
    $copy_time = 1 unless (defined $copy_time or $local_is_fh);
    $late_set_perm = $sftp->{_late_set_perm} unless defined $late_set_perm;
    $cleanup = ($atomic || $numbered) unless defined $cleanup;
    $mkpath = 1 unless defined $mkpath;
    my $neg_umask = defined $perm ? $perm : (0777 & ~(defined $umask ? $umask : umask));

    my $fh;
    if ($local_is_fh) { $fh = $local }
    else {
        unless (CORE::open $fh, '<', $local) {
            $sftp->_set_error(SFTP_ERR_LOCAL_OPEN_FAILED, "Unable to open local file '$local'", $!);
            return undef;
        }
        binmode $fh;
    }
    my (undef, undef, $lmode, undef, undef, undef, undef, $lsize, $latime, $lmtime) = do { no warnings; CORE::stat $fh };
    if (!defined $lmode) {
        if ($copy_perm or $copy_time) {
            $sftp->_set_error(SFTP_ERR_LOCAL_STAT_FAILED, "Couldn't stat local file '$local'", $!);
            return undef;
        }
        undef $resume if $resume and $resume eq 'auto';
    }
    elsif ($local_is_fh) {
        my $tell = eval { CORE::tell $fh };
        $lsize -= $tell if $tell and $tell > 0;
    }
    $perm = $lmode & $neg_umask if $copy_perm;
    my $rremote = $sftp->_rel2abs($remote);

    if ($resume and $resume eq 'auto') {
        local $sftp->{_autodie};
        my $ra = $sftp->stat($remote);
        undef $resume if $ra and $ra->mtime <= $lmtime;
        $sftp->_clear_error_and_status;
    }
    if (!$resume and !$overwrite and !$numbered) {
        # Foreign opens the target CREAT|EXCL (atomic: checks it first): an existing target fails
        if ($sftp->test_e($remote)) {
            $sftp->_set_status(SSH2_FX_FAILURE);
            if ($atomic) { $sftp->_set_error(SFTP_ERR_REMOTE_ALREADY_EXISTS, "Remote file '$remote' already exists") }
            else { $sftp->_set_error(SFTP_ERR_REMOTE_OPEN_FAILED, "Couldn't open remote file '$rremote'", $sftp->{_status}) }
            return undef;
        }
        return undef if $sftp->{_error};
    }

    my $open = sub { $sftp->_call('put_open', { remote => $rremote, resume => ($resume ? \1 : \0), perm => $perm }) };
    my $r = $open->() or return undef;
    if (!$r->{ok} and $r->{status} == SSH2_FX_NO_SUCH_FILE and $mkpath) {
        my $da = Net::SFTP::Foreign::Attributes->new;
        $da->set_perm(($perm || 0) | 0700);
        local $sftp->{_autodie};
        if ($sftp->mkpath($rremote, $da, 1)) { $r = $open->() or return undef }
        else { $sftp->_clear_error_and_status }
    }
    return _fail_autodie($sftp, $r, SFTP_ERR_REMOTE_OPEN_FAILED, "Couldn't open remote file '$rremote'") unless $r->{ok};
    my $up = $r->{upload};
    my $off = $r->{offset} || 0;
    my $ok = eval {
        local $sftp->{_autodie};
        # the next block of (converted) local data, '' at the end
        my $pending = '';
        my $eof = 0;
        my $next = sub {
            while (!$eof) {
                my $n = CORE::read($fh, my $buf, $CHUNK);
                unless (defined $n) { $sftp->_set_error(SFTP_ERR_LOCAL_READ_ERROR, "Couldn't read from local file '$local'", $!); return undef }
                $eof = 1 unless $n;
                if ($conv) {
                    $conv->($buf);
                    utf8::downgrade($buf, 1) or croak 'converter introduced wide characters in data';
                }
                $pending .= $buf;
                last if length $pending >= $CHUNK;
            }
            return substr($pending, 0, $CHUNK, '');
        };
        if ($off) {
            if ($conv) {
                # the converted data up to the resume point is read and dropped, as Foreign does
                my $skip = $off;
                while ($skip) {
                    my $b = $next->();
                    return 0 unless defined $b;
                    unless (length $b) { $sftp->_set_error(SFTP_ERR_REMOTE_BIGGER_THAN_LOCAL, "Couldn't resume transfer, remote file is bigger than local"); return 0 }
                    if (length $b > $skip) { $pending = substr($b, $skip) . $pending; $skip = 0 } else { $skip -= length $b }
                }
            }
            else {
                if (defined $lsize and $off > $lsize) {
                    $sftp->_set_error(SFTP_ERR_REMOTE_BIGGER_THAN_LOCAL, "Couldn't resume transfer, remote file is bigger than local");
                    return 0;
                }
                unless (CORE::seek($fh, $off, 0)) { $sftp->_set_error(SFTP_ERR_LOCAL_SEEK_FAILED, "seek operation on local file failed: $!"); return 0 }
            }
        }
        while (1) {
            my $buf = $next->();
            return 0 unless defined $buf;
            last unless length $buf;
            my $w = $sftp->_call('put_write', { upload => $up, offset => $off, data => CPANBridge::Codec::bytes($buf) }) or return 0;
            unless ($w->{ok}) { _fail($sftp, $w, SFTP_ERR_REMOTE_WRITE_FAILED, "Couldn't write to remote file"); return 0 }
            $off += length $buf;
        }
        CORE::close $fh unless $local_is_fh;
        my %attrs;
        $attrs{perm} = $perm if $late_set_perm and defined $perm;
        @attrs{qw(atime mtime)} = ($latime, $lmtime) if $copy_time and defined $lmtime;
        my $to = $rremote;
        while (1) {
            my $c = $sftp->_call('put_commit', { upload => $up, size => $off, attrs => \%attrs, to => $to,
                                                 mode => ($overwrite ? 'overwrite' : 'plain') }) or return 0;
            if ($c->{ok}) { undef $up; last }
            my $step = $c->{step} || '';
            if ($step eq 'setstat' and $best_effort) { %attrs = (); next }
            if ($step eq 'rename' and $numbered and $c->{status} == SSH2_FX_FAILURE and $sftp->test_e($to)) {
                Net::SFTP::Foreign::_inc_numbered($to);
                next;
            }
            if ($step eq 'setstat') { _fail($sftp, $c, SFTP_ERR_REMOTE_SETSTAT_FAILED, "Couldn't setstat remote file") }
            elsif ($step eq 'close') { _fail($sftp, $c, SFTP_ERR_REMOTE_CLOSE_FAILED, "Couldn't close remote file") }
            else { _fail($sftp, $c, SFTP_ERR_REMOTE_RENAME_FAILED, "Couldn't rename remote file '$r->{temp}' to '$to'") }
            return 0;
        }
        $$numbered = $to if ref $numbered;
        1;
    };
    my $died = $@;
    if (defined $up) {
        warn "cleanup $remote" if $cleanup and $sftp->{_error};
        eval { $sftp->_call('put_abort', { upload => $up }) };
    }
    die $died unless defined $ok;
    return $sftp->_ok_or_autodie;
}

sub _fail_autodie { my $sftp = shift; _fail($sftp, @_); return $sftp->_ok_or_autodie }

sub put_content {
    @_ >= 3 or croak 'Usage: $sftp->put_content($content, $remote, %opts)';
    my ($sftp, undef, $remote, %opts) = @_;
    my %put_opts = (map { $_ => delete $opts{$_} } grep { exists $opts{$_} }
                    qw(perm umask block_size queue_size overwrite conversion resume numbered late_set_perm atomic best_effort mkpath));
    %opts and Net::SFTP::Foreign::_croak_bad_options(keys %opts);
    my $fh;
    unless (CORE::open $fh, '<', \$_[1]) {
        $sftp->_set_error(SFTP_ERR_LOCAL_OPEN_FAILED, "Can't open scalar as file handle", $!);
        return undef;
    }
    return put($sftp, $fh, $remote, %put_opts);
}

# The remote file opened for reading: its attributes, or undef with the error set.
sub _get_open {
    my ($sftp, $remote, $as_open) = @_;
    my $r = $sftp->_call('get_open', { remote => $remote }) or return;
    return $r if $r->{ok};
    if ($r->{step} eq 'stat' && !$as_open) { _fail($sftp, $r, SFTP_ERR_REMOTE_STAT_FAILED, "Couldn't stat remote file") }
    else { _fail($sftp, $r, SFTP_ERR_REMOTE_OPEN_FAILED, "Couldn't open remote file '$remote'") }
    return;
}

# Reads the remote file from $off to its end into $sink->($bytes): 1, or 0 with the error set.
sub _pull {
    my ($sftp, $dl, $off, $sink) = @_;
    while (1) {
        my $r = $sftp->_call('get_read', { download => $dl, offset => $off, length => $CHUNK }) or return 0;
        unless ($r->{ok}) { _fail($sftp, $r, SFTP_ERR_REMOTE_READ_FAILED, "Couldn't read from remote file"); return 0 }
        my $d = $r->{data};
        last if $r->{eof} or !length $d;
        $sink->($d) or return 0;
        $off += length $d;
    }
    return 1;
}

# _pull through a converter (its last call with '' flushes a held-back CR)
sub _pull_converted {
    my ($sftp, $dl, $off, $conv, $sink) = @_;
    return _pull($sftp, $dl, $off, $sink) unless $conv;
    _pull($sftp, $dl, $off, sub { my $d = $_[0]; $conv->($d); length $d ? $sink->($d) : 1 }) or return 0;
    my $tail = '';
    $conv->($tail);
    return length $tail ? $sink->($tail) : 1;
}

sub get_content {
    @_ == 2 or croak 'Usage: $sftp->get_content($remote)';
    my ($sftp, $name) = @_;
    $sftp->_clear_error_and_status;
    $name = $sftp->_rel2abs($name);
    my $o = _get_open($sftp, $name, 1) or return $sftp->_ok_or_autodie && undef;
    my $data = '';
    my $ok = _pull($sftp, $o->{download}, 0, sub { $data .= $_[0]; 1 });
    eval { $sftp->_call('get_close', { download => $o->{download} }) };
    return $ok ? $data : ($sftp->_ok_or_autodie && undef);
}

sub get {
    @_ >= 2 or croak 'Usage: $sftp->get($remote, $local, %opts)';
    my ($sftp, $remote, $local, %opts) = @_;
    defined $remote or croak 'remote file path is undefined';
    local $\;    # the script's output record separator must not reach the file
    $sftp->_clear_error_and_status;
    $remote = $sftp->_rel2abs($remote);
    $local = _file_part($remote) unless defined $local;
    my $local_is_fh = _is_fh($local);
    for (qw(callback append dont_save)) { _not_supported('get', $_) if defined $opts{$_} }
    my $conv = _converter(delete $opts{conversion});
    my $umask = delete $opts{umask};
    my $perm = delete $opts{perm};
    my $copy_perm = delete $opts{exists $opts{copy_perm} ? 'copy_perm' : 'copy_perms'};
    my $copy_time = delete $opts{copy_time};
    my $overwrite = delete $opts{overwrite};
    my $resume = delete $opts{resume};
    delete @opts{qw(block_size queue_size)};
    my $numbered = delete $opts{numbered};
    my $cleanup = delete $opts{cleanup};
    my $atomic = delete $opts{atomic};
    my $best_effort = delete $opts{best_effort};
    my $mkpath = delete $opts{mkpath};
    croak "'perm' and 'copy_perm' options can not be used simultaneously" if (defined $perm and defined $copy_perm);
    croak "'numbered' can not be used with 'overwrite', 'resume' or 'append'" if ($numbered and ($overwrite or $resume));
    if ($resume) {
        $atomic and croak "'atomic' can not be used with 'resume' or 'append'";
        $overwrite and croak "'overwrite' can not be used with 'resume' or 'append'";
    }
    if ($local_is_fh) {
        my $tail = 'option can not be used when target is a file handle';
        $resume and croak "'resume' $tail";
        $overwrite and croak "'overwrite' $tail";
        $numbered and croak "'numbered' $tail";
        $atomic and croak "'croak' $tail";
    }
    %opts and Net::SFTP::Foreign::_croak_bad_options(keys %opts);
    if ($resume and $conv) {
        carp 'resume option is useless when data conversion has also been requested';
        undef $resume;
    }
    $overwrite = 1 unless (defined $overwrite or $local_is_fh or $numbered);
    $copy_perm = 1 unless (defined $perm or defined $copy_perm or $local_is_fh);
    $copy_time = 1 unless (defined $copy_time or $local_is_fh);
    $mkpath = 1 unless defined $mkpath;
    $cleanup = ($atomic || $numbered) unless defined $cleanup;

    my $o = do { local $sftp->{_autodie}; _get_open($sftp, $remote) } or return $sftp->_ok_or_autodie;
    my $dl = $o->{download};
    my $a = $o->{a};
    my $ok = eval {
        local $sftp->{_autodie};
        $umask = (defined $perm ? 0 : umask) unless defined $umask;
        $perm = $a->{perm} if $copy_perm;
        $perm &= ~$umask if defined $perm;
        $perm &= 07777 if defined $perm;
        if ($resume and $resume eq 'auto') {
            undef $resume;
            if (my @l = CORE::stat $local) { $resume = ($a->{mtime} <= $l[9]) }
        }
        if ($local_is_fh) {
            return _pull_converted($sftp, $dl, 0, $conv, sub {
                return 1 if print {$local} $_[0];
                $sftp->_set_error(SFTP_ERR_LOCAL_WRITE_FAILED, "Couldn't write to local file handle", $!);
                0;
            });
        }
        unless ($overwrite or $resume or $numbered) {
            if (-e $local) { $sftp->_set_error(SFTP_ERR_LOCAL_ALREADY_EXISTS, "local file $local already exists"); return 0 }
        }
        my ($fh, $file, $off) = (undef, $local, 0);
        if ($resume and CORE::open($fh, '+<', $local)) {
            binmode $fh;
            CORE::seek($fh, 0, 2);
            $off = CORE::tell $fh;
            if ($off > $a->{size}) { $sftp->_set_error(SFTP_ERR_LOCAL_BIGGER_THAN_REMOTE, "Couldn't resume transfer, local file is bigger than remote"); return 0 }
            return 1 if $off == $a->{size};
        }
        else {
            # a temporary file beside the target, renamed into place when complete
            $fh = undef;
            my ($vol, $dir) = File::Spec->splitpath($local);
            _mkpath_local($sftp, File::Spec->catpath($vol, $dir, ''), (defined $perm ? $perm : 0666) | 0700) or return 0 if $mkpath and length $dir;
            $file = sprintf('%s.cb-%d-%d.tmp', $local, $$, ++$SEQ);
            unless (sysopen($fh, $file, Fcntl::O_CREAT | Fcntl::O_WRONLY | Fcntl::O_EXCL, 0600)) {
                $sftp->_set_error(SFTP_ERR_LOCAL_OPEN_FAILED, "Can't open $local", $!);
                return 0;
            }
            binmode $fh;
        }
        my $done = _pull_converted($sftp, $dl, $off, $conv, sub {
            return 1 if print {$fh} $_[0];
            $sftp->_set_error(SFTP_ERR_LOCAL_WRITE_FAILED, "Couldn't write to local file '$local'", $!);
            0;
        });
        unless (CORE::close $fh) { $sftp->_set_error(SFTP_ERR_LOCAL_WRITE_FAILED, "Couldn't write to local file '$local'", $!) if $done; $done = 0 }
        unless ($done) { unlink $file unless $file eq $local; return 0 }
        # the mode sysopen would have given the target (the temporary file was made 0600)
        my $mode = defined $perm ? $perm : (0666 & ~$umask);
        if (!CORE::chmod($mode, $file) and defined $perm and !$best_effort) {
            $sftp->_set_error(SFTP_ERR_LOCAL_CHMOD_FAILED, "Can't chmod $local", $!);
            unlink $file unless $file eq $local;
            return 0;
        }
        if ($copy_time and !utime($a->{atime}, $a->{mtime}, $file) and !$best_effort) {
            $sftp->_set_error(SFTP_ERR_LOCAL_UTIME_FAILED, "Can't utime $local", $!);
            unlink $file unless $file eq $local;
            return 0;
        }
        return 1 if $file eq $local;
        if ($overwrite) {
            return 1 if CORE::rename($file, $local);
            $sftp->_set_error(SFTP_ERR_LOCAL_RENAME_FAILED, "Unable to rename temporal file to its final position '$local'", $!);
            unlink $file;
            return 0;
        }
        # not overwriting: link() fails on an existing target (numbered: the next free name)
        while (1) {
            if (link $file, $local) { unlink $file; last }
            unless (-e $local) { $sftp->_set_error(SFTP_ERR_LOCAL_OPEN_FAILED, "Can't open $local", $!); unlink $file; return 0 }
            unless ($numbered) { $sftp->_set_error(SFTP_ERR_LOCAL_ALREADY_EXISTS, "local file $local already exists"); unlink $file; return 0 }
            Net::SFTP::Foreign::_inc_numbered($local);
        }
        $$numbered = $local if ref $numbered;
        1;
    };
    my $died = $@;
    eval { $sftp->_call('get_close', { download => $dl }) };
    die $died unless defined $ok;
    return $sftp->_ok_or_autodie;
}

sub _mkpath_local {
    my ($sftp, $dir, $perm) = @_;
    return 1 if -d $dir;
    my @parts = File::Spec->splitdir($dir);
    my $p = '';
    for my $part (@parts) {
        $p = length $p ? File::Spec->catdir($p, $part) : (length $part ? $part : '/');
        next if -d $p;
        unless (CORE::mkdir $p, $perm) {
            $sftp->_set_error(SFTP_ERR_LOCAL_MKDIR_FAILED, "mkdir $p failed", $!);
            return 0;
        }
    }
    return 1;
}

# rput/rget: the tree under a directory, directories first (put/get options pass through); the
# count is of directories made and files copied, as the real module counts
my @RPASS = qw(overwrite copy_time atomic resume numbered perm umask late_set_perm best_effort);

sub _rsplit {
    my ($name, %opts) = @_;
    my $wanted = CPANBridge::SFTP::List::_gen_wanted(delete $opts{wanted}, delete $opts{no_wanted});
    my $on_error = delete $opts{on_error};
    my $copy_perm = delete $opts{exists $opts{copy_perm} ? 'copy_perm' : 'copy_perms'};
    $copy_perm = 1 unless defined $copy_perm;
    my %pass = map { $_ => delete $opts{$_} } grep { exists $opts{$_} } @RPASS;
    $pass{copy_perm} = $copy_perm unless defined $pass{perm};
    for (keys %opts) { croak "Net::SFTP::Foreign::$name option '$_' is not supported by the bridge" }
    return ($wanted, $on_error, \%pass, $copy_perm);
}

sub rput {
    @_ >= 2 or croak 'Usage: $sftp->rput($local, $remote, %opts)';
    my ($sftp, $local, $remote, %opts) = @_;
    $remote = '.' unless defined $remote;
    my ($wanted, $on_error, $pass, $copy_perm) = _rsplit('rput', %opts);
    my $mask = 0777 & ~(defined $pass->{umask} ? $pass->{umask} : umask);
    $sftp->_clear_error_and_status;
    my $count = 0;
    my @queue = ([$local, $remote]);
    while (my $job = shift @queue) {
        my ($l, $r) = @$job;
        my $a = Net::SFTP::Foreign::Attributes->new;
        $a->set_perm(((stat $l)[2] || 0) & $mask) if $copy_perm;
        if ($sftp->mkdir($r, $a)) { $count++ }
        elsif ($sftp->test_d($r)) {
            $sftp->_set_error(SFTP_ERR_REMOTE_ALREADY_EXISTS, "Remote directory '$r' already exists");
            $on_error->($sftp, { filename => $l }) if $on_error;
        }
        else { next }
        opendir(my $dh, $l) or do { $sftp->_set_error(SFTP_ERR_LOCAL_OPEN_FAILED, "Couldn't open local dir '$l'", $!); next };
        my @names = sort grep { !/^\.\.?$/ } readdir $dh;
        closedir $dh;
        for my $n (@names) {
            my ($lp, $rp) = ("$l/$n", $sftp->join($r, $n));
            next if $wanted and !$wanted->($sftp, { filename => $lp });
            if (-d $lp) { push @queue, [$lp, $rp]; next }
            next unless -f $lp;
            if ($sftp->put($lp, $rp, %$pass)) { $count++ }
            else { $on_error->($sftp, { filename => $lp }) if $on_error }
        }
    }
    return $count;
}

sub rget {
    @_ >= 2 or croak 'Usage: $sftp->rget($remote, $local, %opts)';
    my ($sftp, $remote, $local, %opts) = @_;
    $local = '.' unless defined $local;
    my ($wanted, $on_error, $pass, $copy_perm) = _rsplit('rget', %opts);
    $sftp->_clear_error_and_status;
    my $count = 0;
    my $top = $sftp->stat($remote) or return 0;
    my @queue = ([$remote, $local, $top]);
    while (my $job = shift @queue) {
        my ($r, $l, $a) = @$job;
        if (-d $l) {
            $sftp->_set_error(SFTP_ERR_LOCAL_ALREADY_EXISTS, "directory '$l' already exists");
            $on_error->($sftp, { filename => $r, a => $a }) if $on_error;
        }
        elsif (CORE::mkdir($l, $copy_perm ? $a->perm & 0777 : 0777)) { $count++ }
        else { $sftp->_set_error(SFTP_ERR_LOCAL_MKDIR_FAILED, "mkdir '$l' failed", $!); next }
        my $ls = $sftp->ls($r, ordered => 1, no_wanted => qr/^\.\.?$/) or next;
        for my $e (@$ls) {
            my ($rp, $lp) = ($sftp->join($r, $e->{filename}), "$l/$e->{filename}");
            next if $wanted and !$wanted->($sftp, { %$e, filename => $rp });
            if (CPANBridge::SFTP::List::_is_dir($e->{a}->perm)) { push @queue, [$rp, $lp, $e->{a}]; next }
            if ($sftp->get($rp, $lp, %$pass)) { $count++ }
            else { $on_error->($sftp, { %$e, filename => $rp }) if $on_error }
        }
    }
    return $count;
}

1;
