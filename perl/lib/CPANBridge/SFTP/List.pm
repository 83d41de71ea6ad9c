package CPANBridge::SFTP::List;

# Net::SFTP::Foreign's ls, find and glob on the bridge: the daemon lists a directory (entries in
# the server's order, '.' and '..' included); wanted/no_wanted (regexes or code refs), descend,
# ordering and names_only are applied here, in the script, as the real module does.

use strict;
use warnings;
use Carp;
use Net::SFTP::Foreign::Constants qw(:error :status);
use Net::SFTP::Foreign::Attributes;

sub _is_dir { (0170000 & shift) == 0040000 }
sub _is_lnk { (0170000 & shift) == 0120000 }

sub _gen_wanted {
    my ($ow, $onw) = my ($w, $nw) = @_;
    $w = sub { $_[1]->{filename} =~ $ow } if ref $w eq 'Regexp';
    if (ref $nw eq 'Regexp') { $nw = sub { $_[1]->{filename} !~ $onw } }
    elsif (defined $nw) { $nw = sub { !&$onw } }
    return sub { &$nw and &$w } if defined $w and defined $nw;
    return $w || $nw;
}

sub _sort_entries { my $e = shift; @$e = sort { $a->{filename} cmp $b->{filename} } @$e }

sub ls {
    @_ >= 1 or croak 'Usage: $sftp->ls($remote_dir, %opts)';
    my $sftp = shift;
    my %opts = @_ & 1 ? (dir => @_) : @_;
    my $dir = delete $opts{dir};
    my $ordered = delete $opts{ordered};
    my $follow_links = delete $opts{follow_links};
    delete $opts{atomic_readdir};    # the daemon always reads the whole directory first
    delete $opts{queue_size};        # the daemon pipelines its requests itself
    my $names_only = delete $opts{names_only};
    my $realpath = delete $opts{realpath};
    my $wanted = delete $opts{_wanted} || _gen_wanted(delete $opts{wanted}, delete $opts{no_wanted});
    %opts and Net::SFTP::Foreign::_croak_bad_options(keys %opts);
    $dir = '.' unless defined $dir;
    $dir = $sftp->_rel2abs($dir);
    my $r = $sftp->_call('ls', { path => $dir }) or return undef;
    $sftp->_clear_error_and_status;
    unless ($r->{ok}) {
        my $status = $sftp->_set_status($r->{status}, defined $r->{text} ? $r->{text} : ());
        if (($r->{step} || '') eq 'open') { $sftp->_set_error(SFTP_ERR_REMOTE_OPENDIR_FAILED, "Couldn't open remote dir '$dir'", $status) }
        else { $sftp->_set_error(SFTP_ERR_REMOTE_READDIR_FAILED, "Couldn't read directory '$dir'", $status) }
        return undef;
    }
    my @dir;
    {
        local $sftp->{_autodie};
        for my $e (@{ $r->{entries} }) {
            my $entry = { filename => $e->{filename}, longname => $e->{longname},
                          a => Net::SFTP::Foreign::Attributes->_from_hash($e->{a}) };
            my $fn = $entry->{filename};
            if ($follow_links and _is_lnk($entry->{a}->perm)) {
                if (my $a = $sftp->stat($sftp->join($dir, $fn))) { $entry->{a} = $a }
                else { $sftp->_clear_error_and_status }
            }
            if ($realpath) {
                my $rp = $sftp->realpath($sftp->join($dir, $fn));
                if (defined $rp) { $fn = $entry->{realpath} = $rp }
                else { $sftp->_clear_error_and_status }
            }
            push @dir, ($names_only ? $fn : $entry) if !$wanted or $wanted->($sftp, $entry);
        }
    }
    if ($ordered) {
        if ($names_only) { @dir = sort @dir }
        else { _sort_entries(\@dir) }
    }
    return \@dir;
}

sub _call_on_error {
    my ($sftp, $on_error, $entry) = @_;
    if ($on_error and $sftp->error) {
        $on_error->($sftp, $entry);
        $sftp->_clear_error_and_status;
    }
}

sub find {
    @_ >= 1 or croak 'Usage: $sftp->find($remote_dirs, %opts)';
    my $self = shift;
    my %opts = @_ & 1 ? ('dirs', @_) : @_;
    $self->_clear_error_and_status;
    my $dirs = delete $opts{dirs};
    my $follow_links = delete $opts{follow_links};
    my $on_error = delete $opts{on_error};
    local $self->{_autodie} if $on_error;
    my $realpath = delete $opts{realpath};
    my $ordered = delete $opts{ordered};
    my $names_only = delete $opts{names_only};
    delete $opts{atomic_readdir};
    my $wanted = _gen_wanted(delete $opts{wanted}, delete $opts{no_wanted});
    my $descend = _gen_wanted(delete $opts{descend}, delete $opts{no_descend});
    %opts and croak "invalid option(s) '" . CORE::join("', '", keys %opts) . "'";
    $dirs = '.' unless defined $dirs;
    my $wantarray = wantarray;
    my (@res, $res, %done, %rpdone);
    my @dirs = ref $dirs eq 'ARRAY' ? @$dirs : ($dirs);
    my @queue = map { { filename => $_ } } ($ordered ? sort @dirs : @dirs);
    my $task = sub {
        my $entry = shift;
        my $fn = $entry->{filename};
        for (1) {
            my $follow = ($follow_links and _is_lnk($entry->{a}->perm));
            if ($follow or $realpath) {
                unless (defined $entry->{realpath}) {
                    my $rp = $entry->{realpath} = $self->realpath($fn);
                    next unless (defined $rp and not $rpdone{$rp}++);
                }
            }
            if ($follow) {
                my $a = $self->stat($fn);
                if (defined $a) { $entry->{a} = $a; unshift @queue, $entry }
                next;
            }
            if (!$wanted or $wanted->($self, $entry)) {
                if ($wantarray) { push @res, ($names_only ? (exists $entry->{realpath} ? $entry->{realpath} : $entry->{filename}) : $entry) }
                else { $res++ }
            }
        }
        continue { _call_on_error($self, $on_error, $entry) }
    };
    my $try;
    while (@queue) {
        no warnings 'uninitialized';
        $try = shift @queue;
        my $fn = $try->{filename};
        my $a = $try->{a} ||= $self->lstat($fn) or next;
        next if (_is_dir($a->perm) and $done{$fn}++);
        $task->($try);
        next unless _is_dir($a->perm);
        next unless !$descend or $descend->($self, $try);
        my $children = $self->ls($fn, ordered => $ordered, _wanted => sub {
            my $child = $_[1]->{filename};
            return undef if $child =~ /^\.\.?$/;
            $_[1]->{filename} = $self->join($fn, $child);
            return 1;
        }) or next;
        if ($ordered) { unshift @queue, @$children }
        else {
            for my $e (@$children) {
                if (_is_dir($e->{a}->perm)) { push @queue, $e } else { $task->($e) }
            }
        }
    }
    continue { _call_on_error($self, $on_error, $try) }
    return wantarray ? @res : $res;
}

# A shell pattern as a regex, and whether it has wildcards at all.
sub _glob_to_regex {
    my ($glob, $strict_leading_dot, $ignore_case) = @_;
    my ($re, $curly, $wild) = ('', 0, 0);
    my $first = 1;
    while ($glob =~ /\G(.)/gs) {
        my $c = $1;
        if ($c eq '\\') { $glob =~ /\G(.)/gcs and $re .= quotemeta $1; $first = 0; next }
        if ($c eq '*') { $re .= ($first && $strict_leading_dot) ? '(?=[^\.])[^/]*' : '[^/]*'; $wild = 1 }
        elsif ($c eq '?') { $re .= ($first && $strict_leading_dot) ? '[^/\.]' : '[^/]'; $wild = 1 }
        elsif ($c eq '[') {
            if ($glob =~ /\G(!?\]?[^\]]*)\]/gc) {
                my $set = $1;
                $set =~ s/^!/^/;
                $set =~ s/\\/\\\\/g;
                $re .= "[$set]";
                $wild = 1;
            }
            else { $re .= '\[' }
        }
        elsif ($c eq '{') { $re .= '(?:'; $curly++; $wild = 1 }
        elsif ($c eq '}' && $curly) { $re .= ')'; $curly-- }
        elsif ($c eq ',' && $curly) { $re .= '|' }
        else { $re .= quotemeta $c }
        $first = 0;
    }
    $re .= ')' x $curly;
    return ($ignore_case ? qr/^$re$/i : qr/^$re$/, $wild);
}

sub glob {
    @_ >= 2 or croak 'Usage: $sftp->glob($pattern, %opts)';
    my ($sftp, $glob, %opts) = @_;
    return () if $glob eq '';
    my $on_error = delete $opts{on_error};
    local $sftp->{_autodie} if $on_error;
    my $follow_links = delete $opts{follow_links};
    my $ignore_case = delete $opts{ignore_case};
    my $names_only = delete $opts{names_only};
    my $realpath = delete $opts{realpath};
    my $ordered = delete $opts{ordered};
    my $wanted = _gen_wanted(delete $opts{wanted}, delete $opts{no_wanted});
    my $strict_leading_dot = delete $opts{strict_leading_dot};
    $strict_leading_dot = 1 unless defined $strict_leading_dot;
    %opts and Net::SFTP::Foreign::_croak_bad_options(keys %opts);
    my $wantarray = wantarray;
    my (@parts, $top);
    if (ref $glob eq 'Regexp') { @parts = ($glob); $top = '.' }
    else {
        @parts = ($glob =~ m{\G/*([^/]+)}g);
        push @parts, '.' unless @parts;
        $top = ($glob =~ m|^/| ? '/' : '.');
    }
    my @res = ({ filename => $top });
    my $res = 0;
    # one match: kept as a parent for the next part, or as a result
    my $hit = sub {
        my ($e) = @_;
        if (@parts) { push @res, $e if _is_dir($e->{a}->perm); return }
        return unless !$wanted or $wanted->($sftp, $e);
        if ($wantarray) {
            if ($realpath) {
                my $rp = $e->{realpath} = $sftp->realpath($e->{filename});
                unless (defined $rp) { _call_on_error($sftp, $on_error, $e) if $on_error; return }
            }
            push @res, ($names_only ? ($realpath ? $e->{realpath} : $e->{filename}) : $e);
        }
        $res++;
    };
    while (@parts and @res) {
        my @parents = @res;
        @res = ();
        my $part = shift @parts;
        my ($re, $wild) = ref $part eq 'Regexp' ? ($part, 1) : _glob_to_regex($part, $strict_leading_dot, $ignore_case);
        for my $parent (@parents) {
            my $pfn = $parent->{filename};
            if ($wild) {
                $sftp->ls($pfn, ordered => $ordered, _wanted => sub {
                    my $e = $_[1];
                    return undef unless $e->{filename} =~ $re;
                    my $fn = $e->{filename} = $sftp->join($pfn, $e->{filename});
                    if ((@parts or $follow_links) and _is_lnk($e->{a}->perm)) {
                        my $a = $sftp->stat($fn);
                        unless ($a) { _call_on_error($sftp, $on_error, $e) if $on_error; return undef }
                        $e->{a} = $a;
                    }
                    $hit->($e);
                    return undef;
                }) or ($on_error and _call_on_error($sftp, $on_error, $parent));
            }
            else {
                my $fn = $sftp->join($pfn, $part);
                my $method = ((@parts or $follow_links) ? 'stat' : 'lstat');
                if (my $a = $sftp->$method($fn)) { $hit->({ filename => $fn, a => $a }) }
            }
        }
    }
    return wantarray ? @res : $res;
}

1;
