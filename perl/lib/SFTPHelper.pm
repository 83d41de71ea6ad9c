package SFTPHelper;

# The predecessor's SFTP helper (its Perl API, return values 1/0 and flat ls entries), on the
# bridge's Net::SFTP::Foreign (perl/compat, loaded by path so that PERL5LIB=perl/lib is enough).
# Kept: new returns an object even on failure (the text in error, "SFTP connection failed: ..."),
# put creates missing remote directories, ls entries with filename/longname/size/mtime/
# permissions/is_dir (and `a`, which the predecessor lacked), cwd without a round trip.
# Not kept: host keys accepted without checking (they are checked against known_hosts as ssh
# does), rename with overwrite as remove-then-rename (it is an atomic posix-rename here).

use strict;
use warnings;
use Carp ();

our $VERSION = '2.00';

BEGIN {
    # the shim's files beside this one (perl/compat next to perl/lib), unless already loaded
    require File::Spec;
    (my $compat = File::Spec->rel2abs($INC{'SFTPHelper.pm'} || __FILE__)) =~ s{/lib/SFTPHelper\.pm$}{/compat};
    for my $m (qw(Net/SFTP/Foreign/Constants.pm Net/SFTP/Foreign/Attributes.pm Net/SFTP/Foreign.pm)) {
        next if $INC{$m};
        require "$compat/$m";
        $INC{$m} = "$compat/$m";
    }
}

sub _opts {
    my $class = shift;
    unshift @_, 'host' if @_ & 1;
    return @_;
}

sub new {
    my %o = _opts(@_);
    my $class = 'SFTPHelper';
    Carp::croak('SFTPHelper: host is required') unless defined $o{host} && length $o{host};
    Carp::croak('SFTPHelper: user is required') unless defined $o{user} && length $o{user};
    my %pass = map { $_ => $o{$_} } grep { defined $o{$_} } qw(host user password port timeout more key_path passphrase);
    $pass{port} = 22 unless defined $pass{port};
    $pass{timeout} = 60 unless defined $pass{timeout};
    my $self = bless { host => $o{host}, user => $o{user}, port => $pass{port}, error => undef }, $class;
    my $s = Net::SFTP::Foreign->new(%pass, stderr_discard => 1);
    if ($s->error) {
        $self->{error} = 'SFTP connection failed: ' . $s->error;
        return $self;
    }
    $self->{sftp} = $s;
    $self->{cwd} = $s->cwd;
    return $self;
}

sub _live {
    my ($self, $what) = @_;
    Carp::croak("SFTPHelper: not connected ($what)") unless $self->{sftp};
    return $self->{sftp};
}

# 1 on success; 0 with error set
sub _done {
    my ($self, $ok) = @_;
    if ($ok) { $self->{error} = undef; return 1 }
    $self->{error} = '' . $self->{sftp}->error;
    return 0;
}

sub _abs {
    my ($self, $p) = @_;
    return $p if $p =~ m{^/};
    return $self->{sftp}->join($self->{cwd}, $p);
}

sub put {
    my ($self, $local, $remote) = @_;
    my $s = $self->_live('put');
    Carp::croak('SFTPHelper: put needs a local and a remote path') unless defined $local && defined $remote;
    return $self->_done($s->put($local, $self->_abs($remote)));
}

sub get {
    my ($self, $remote, $local) = @_;
    my $s = $self->_live('get');
    Carp::croak('SFTPHelper: get needs a remote and a local path') unless defined $remote && defined $local;
    return $self->_done($s->get($self->_abs($remote), $local));
}

sub ls {
    my $self = shift;
    my $s = $self->_live('ls');
    my $dir = (@_ & 1) ? shift : undef;
    my %o = @_;
    if (ref $dir eq 'Regexp') { $o{wanted} = $dir; undef $dir }
    my $wanted = $o{wanted};
    $wanted = qr/$wanted/ if defined $wanted && !ref $wanted;
    my $ls = $s->ls($self->_abs(defined $dir ? $dir : '.'), (defined $wanted ? (wanted => $wanted) : ()),
                    no_wanted => qr/^\.\.?$/);
    unless ($ls) { $self->_done(0); return [] }
    $self->{error} = undef;
    return [map {
        my $a = $_->{a};
        { filename => $_->{filename}, longname => $_->{longname}, size => $a->size, mtime => $a->mtime,
          permissions => $a->perm, is_dir => (($a->perm & 0170000) == 0040000 ? 1 : 0), a => $a }
    } @$ls];
}

sub rename {
    my ($self, $old, $new, %o) = @_;
    my $s = $self->_live('rename');
    return $self->_done($s->rename($self->_abs($old), $self->_abs($new), ($o{overwrite} ? (overwrite => 1) : ())));
}

sub setcwd {
    my ($self, $dir) = @_;
    my $s = $self->_live('setcwd');
    my $cwd = $s->realpath($self->_abs($dir));
    return $self->_done(0) unless defined $cwd && $s->test_d($cwd);
    $self->{cwd} = $cwd;
    return $self->_done(1);
}

sub cwd { $_[0]{cwd} }

sub mkdir  { my ($self, $p) = @_; $self->_done($self->_live('mkdir')->mkdir($self->_abs($p))) }
sub remove { my ($self, $p) = @_; $self->_done($self->_live('remove')->remove($self->_abs($p))) }

sub error        { $_[0]{error} }
sub is_connected { $_[0]{sftp} ? 1 : 0 }

sub disconnect {
    my $self = shift;
    my $s = delete $self->{sftp};
    $s->disconnect if $s;
    return 1;
}

sub DESTROY { local ($@, $!, $?); $_[0]->disconnect }

1;
