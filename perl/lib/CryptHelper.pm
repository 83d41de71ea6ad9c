package CryptHelper;

# The predecessor's Crypt::CBC replacement, kept with its own format so that what it stored still
# decrypts: encrypt() returns hex(random IV || CBC/PKCS#7 of the hex of the plaintext), decrypt()
# takes that hex (both sides hex-encode, as the predecessor did); its key schedule is the daemon's
# (src/modules/crypto/helper.ts). -iv, -header and -padding are accepted and ignored, as there.
# Not Crypt::CBC's format: `use Crypt::CBC` (perl/compat) is the real module's API and bytes.

use strict;
use warnings;
use Carp ();
use CPANBridge ();

our $VERSION = '2.00';

sub import {
    # Crypt::CBC->new gives a CryptHelper, as under the predecessor, unless the real name is loaded
    no strict 'refs';
    *{'Crypt::CBC::new'} = sub { shift; CryptHelper->new(@_) } unless defined &{'Crypt::CBC::new'};
    return;
}

sub _arg {
    my ($a, $name) = @_;
    return exists $a->{"-$name"} ? $a->{"-$name"} : $a->{$name};
}

sub new {
    my ($class, %a) = @_;
    my $key = _arg(\%a, 'key');
    my $cipher = _arg(\%a, 'cipher');
    $cipher = 'Blowfish' unless defined $cipher && length $cipher;
    $cipher =~ s/^Crypt:://;
    my $file = _arg(\%a, 'key_file');
    if (!(defined $key && length $key) && defined $file) {
        # the key file is read here, on the script's machine: PEM armour lines and newlines removed
        open my $fh, '<', $file or Carp::croak("Failed to read key from file: $file");
        local $/;
        $key = <$fh>;
        close $fh;
        $key =~ s/^-.*-$//gm;
        $key =~ s/\n//g;
    }
    Carp::croak('Either key or key_file must be provided') unless defined $key && length $key;
    my $self = bless { cipher => $cipher, key => $key, error => undef }, $class;
    my $r = $self->_call('helper_new', { key => $key, cipher => $cipher });
    $self->{cipher_id} = $r->{cipher_id};
    return $self;
}

sub _call {
    my ($self, $fn, $params) = @_;
    my $r = eval { CPANBridge::call('crypto', $fn, $params) };
    if (my $e = $@) {
        my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
        $self->{error} = $m;
        Carp::croak($m);
    }
    $self->{error} = undef;
    return $r;
}

sub encrypt {
    my ($self, $plain) = @_;
    $plain = '' unless defined $plain;
    utf8::encode($plain) if utf8::is_utf8($plain);
    return $self->_call('helper_encrypt', { cipher_id => $self->{cipher_id}, plaintext => unpack('H*', $plain) })->{encrypted};
}

sub decrypt {
    my ($self, $hex) = @_;
    my $r = $self->_call('helper_decrypt', { cipher_id => $self->{cipher_id}, hex => defined $hex ? "$hex" : '' });
    return pack 'H*', $r->{decrypted};
}

sub error  { $_[0]{error} }
sub cipher { $_[0]{cipher} }
sub key    { $_[0]{key} }

sub DESTROY {
    my $self = shift;
    return unless $self->{cipher_id};
    local ($@, $!, $?);
    eval { CPANBridge::call('crypto', 'helper_cleanup', { cipher_id => delete $self->{cipher_id} }) };
}

1;
