package Net::SFTP::Foreign::Attributes;

# A file's attributes as Net::SFTP::Foreign::Attributes holds them (the flags say which are set).

use strict;
use warnings;
use Carp;
use Net::SFTP::Foreign::Constants qw(:att);

our $VERSION = '1.68_05';

sub new { my $class = shift; return bless { flags => 0 }, $class }

# From the daemon's {size uid gid perm atime mtime}: every field sent by OpenSSH is set.
sub _from_hash {
    my ($class, $h) = @_;
    my $a = $class->new;
    $a->set_size($h->{size}) if defined $h->{size};
    $a->set_ugid($h->{uid}, $h->{gid}) if defined $h->{uid};
    $a->set_perm($h->{perm}) if defined $h->{perm};
    $a->set_amtime($h->{atime}, $h->{mtime}) if defined $h->{mtime};
    return $a;
}

# The fields the daemon sets (setstat, mkdir).
sub _to_hash {
    my $a = shift;
    my %h;
    $h{perm} = $a->{perm} if $a->{flags} & SSH2_FILEXFER_ATTR_PERMISSIONS;
    @h{qw(uid gid)} = @$a{qw(uid gid)} if $a->{flags} & SSH2_FILEXFER_ATTR_UIDGID;
    @h{qw(atime mtime)} = @$a{qw(atime mtime)} if $a->{flags} & SSH2_FILEXFER_ATTR_ACMODTIME;
    croak 'setting the size (truncate) is not supported by the bridge' if $a->{flags} & SSH2_FILEXFER_ATTR_SIZE;
    return \%h;
}

sub new_from_stat {
    if (@_ > 1) {
        my ($class, undef, undef, $mode, undef, $uid, $gid, undef, $size, $atime, $mtime) = @_;
        my $a = $class->new;
        $a->set_perm($mode);
        $a->set_ugid($uid, $gid);
        $a->set_size($size);
        $a->set_amtime($atime, $mtime);
        return $a;
    }
    return undef;
}

sub flags { shift->{flags} }
sub size  { shift->{size} }
sub uid   { shift->{uid} }
sub gid   { shift->{gid} }
sub perm  { shift->{perm} }
sub atime { shift->{atime} }
sub mtime { shift->{mtime} }
sub extended { @{ shift->{extended} || [] } }

sub set_size {
    my ($a, $size) = @_;
    if (defined $size) { $a->{flags} |= SSH2_FILEXFER_ATTR_SIZE; $a->{size} = $size }
    else { $a->{flags} &= ~SSH2_FILEXFER_ATTR_SIZE; delete $a->{size} }
}

sub set_ugid {
    my ($a, $uid, $gid) = @_;
    if (defined $uid and defined $gid) { $a->{flags} |= SSH2_FILEXFER_ATTR_UIDGID; $a->{uid} = $uid; $a->{gid} = $gid }
    elsif (!defined $uid and !defined $gid) { $a->{flags} &= ~SSH2_FILEXFER_ATTR_UIDGID; delete $a->{uid}; delete $a->{gid} }
    else { croak 'wrong arguments for set_ugid' }
}

sub set_perm {
    my ($a, $perm) = @_;
    if (defined $perm) { $a->{flags} |= SSH2_FILEXFER_ATTR_PERMISSIONS; $a->{perm} = $perm }
    else { $a->{flags} &= ~SSH2_FILEXFER_ATTR_PERMISSIONS; delete $a->{perm} }
}

sub set_amtime {
    my ($a, $atime, $mtime) = @_;
    if (defined $atime and defined $mtime) { $a->{flags} |= SSH2_FILEXFER_ATTR_ACMODTIME; $a->{atime} = $atime; $a->{mtime} = $mtime }
    elsif (!defined $atime and !defined $mtime) { $a->{flags} &= ~SSH2_FILEXFER_ATTR_ACMODTIME; delete $a->{atime}; delete $a->{mtime} }
    else { croak 'wrong arguments for set_amtime' }
}

sub set_extended { croak 'extended attributes are not supported by the bridge' }

sub append_extended { croak 'extended attributes are not supported by the bridge' }

sub clone { my $a = shift; return bless {%$a}, ref $a }

1;
