package Crypt::CBC;
# Crypt::CBC 3.04's API on the CPAN Bridge. The object's fields and new()'s option checks are
# the real module's (same order, same croak texts); the bytes (key derivation, ciphers, chaining,
# padding) are done by the daemon's crypto module. Deprecation warnings are printed here, from
# the script's own STDERR, as the real start() carps them.
use strict;
use Carp 'croak', 'carp';
use CPANBridge ();
use CPANBridge::Codec ();
use MIME::Base64 ();
my $CPANBridge_error;    # the last daemon error of _call, for the fields it carries
no warnings 'uninitialized';
use vars qw($VERSION);
$VERSION = '3.04';

use constant DEFAULT_PBKDF => 'opensslv1';
use constant DEFAULT_ITER  => 10_000;

my @valid_options = qw(pass key cipher keysize chain_mode pbkdf nodeprecate iter hasher header iv
                       salt padding literal_key pcbc add_header generate_key prepend_iv);

# block and key sizes of the cipher classes the daemon has (as the Perl classes report them)
my %CIPHERS = (
    'Crypt::Cipher::AES' => [32, 16], 'Crypt::Rijndael' => [32, 16], 'Crypt::OpenSSL::AES' => [32, 16],
    'Crypt::Rijndael_PP' => [32, 16],
    'Crypt::Cipher::Camellia' => [32, 16], 'Crypt::Camellia' => [32, 16], 'Crypt::Camellia_PP' => [32, 16],
    'Crypt::Cipher::Blowfish' => [56, 8], 'Crypt::Blowfish' => [56, 8], 'Crypt::Blowfish_PP' => [56, 8],
    'Crypt::Cipher::DES' => [8, 8], 'Crypt::DES' => [8, 8], 'Crypt::DES_PP' => [8, 8],
    'Crypt::Cipher::DES_EDE' => [24, 8], 'Crypt::DES_EDE3' => [24, 8],
    'Crypt::Cipher::IDEA' => [16, 8], 'Crypt::IDEA' => [16, 8],
    'Crypt::Cipher::CAST5' => [16, 8], 'Crypt::CAST5' => [16, 8], 'Crypt::CAST5_PP' => [16, 8],
);
# classes that Crypt::CBC reports without "Crypt::" (they have no Crypt::-prefixed keysize method)
my %BARE = map { $_ => 1 } qw(Crypt::Rijndael_PP);

my %PADDINGS = map { $_ => 1 } qw(standard null space oneandzeroes rijndael_compat none);

# $cbc->padding is a code ref, as in the real module; the daemon pads for the named ones and the
# shim runs any other sub on the last block. These are the real subs' rules (same results).
sub _standard_padding ($$$) {
    my ($b, $bs, $decrypt) = @_;
    if ($decrypt eq 'd') { my $pad_length = unpack("C", substr($b, -1)); return substr($b, 0, $bs - $pad_length) }
    my $pad = $bs - length($b);
    return $b . pack("C*", ($pad) x $pad);
}
sub _space_padding ($$$) {
    my ($b, $bs, $decrypt) = @_;
    if ($decrypt eq 'd') { $b =~ s/ *\z//s } else { $b .= pack("C*", (32) x ($bs - length($b))) }
    return $b;
}
sub _no_padding ($$$) { return $_[0] }
sub _null_padding ($$$) {
    my ($b, $bs, $decrypt) = @_;
    return unless length $b;
    if ($decrypt eq 'd') { $b =~ s/\0*\z//s; return $b }
    return $b . pack("C*", (0) x ($bs - length($b) % $bs));
}
sub _oneandzeroes_padding ($$$) {
    my ($b, $bs, $decrypt) = @_;
    if ($decrypt eq 'd') { $b =~ s/\x80\0*\z//s; return $b }
    return $b . pack("C*", 128, (0) x ($bs - length($b) - 1));
}
sub _rijndael_compat ($$$) {
    my ($b, $bs, $decrypt) = @_;
    return unless length $b;
    if ($decrypt eq 'd') { $b =~ s/\x80\0*\z//s; return $b }
    return $b . pack("C*", 128, (0) x ($bs - length($b) % $bs - 1));
}
my %PADDING_SUB = (standard => \&_standard_padding, null => \&_null_padding, space => \&_space_padding,
    oneandzeroes => \&_oneandzeroes_padding, rijndael_compat => \&_rijndael_compat, none => \&_no_padding);
my %PADDING_NAME = reverse %PADDING_SUB;

# the daemon's name for the object's padding ('custom': the shim runs the sub)
sub _padding_name { my $n = $PADDING_NAME{ $_[0]{padding} }; defined $n ? $n : 'custom' }

sub new {
    my $class = shift;
    my $options = $class->_get_options(@_);
    eval { $class->_validate_options($options) } or croak $@;

    my $cipher = $options->{cipher} || 'Crypt::Cipher::AES';
    croak "the bridge does not support a pre-initialized cipher object as -cipher" if ref $cipher;
    $cipher = $cipher =~ /^Crypt::/ ? $cipher : "Crypt::$cipher";
    my $sizes = $CIPHERS{$cipher}
        or croak "Couldn't load $cipher: the CPAN Bridge does not support this cipher";

    my %valid_modes = map { $_ => 1 } qw(none salt randomiv);
    my $header_mode = $options->{header};
    $header_mode ||= 'none' if exists $options->{prepend_iv} && !$options->{prepend_iv};
    $header_mode ||= 'none' if exists $options->{add_header} && !$options->{add_header};
    $header_mode ||= 'none' if $options->{literal_key} || (exists $options->{pbkdf} && $options->{pbkdf} eq 'none');
    $header_mode ||= 'salt';
    croak "Invalid -header mode '$header_mode'" unless $valid_modes{$header_mode};

    my $ks = $options->{keysize} || $sizes->[0];
    my $bs = $sizes->[1];

    # key materials (_get_key_materials)
    my $pass = $options->{pass} || $options->{key};
    croak "Please provide an encryption/decryption passphrase using -pass or -key" unless defined $pass;
    croak "The options -literal_key and -regenerate_key are incompatible with each other"
        if exists $options->{literal_key} && exists $options->{regenerate_key};
    my $key;
    $key = $pass if $options->{literal_key};
    my $salt = $options->{salt};
    my $random_salt; $random_salt = 1 unless defined $salt && $salt ne '1';
    croak "Argument to -salt must be exactly 8 bytes long" if defined $salt && length $salt != 8 && $salt ne '1';
    my $iv = $options->{iv};
    my $random_iv; $random_iv = 1 unless defined $iv;
    undef $pass if $options->{literal_key};

    # padding (_get_padding_mode)
    my $padding = $options->{padding} || 'standard';
    if (ref $padding eq 'CODE') {
        # the real module's check of a custom padding sub
        for my $i (1 .. $bs - 1) {
            my $rbs = length($padding->(" " x $i, $bs, 'e'));
            croak "padding method callback does not behave properly: expected $bs bytes back, got $rbs bytes back."
                unless $rbs == $bs;
        }
    }
    else {
        croak "'$padding' padding not supported.  See perldoc Crypt::CBC for instructions on creating your own."
            unless $PADDINGS{$padding};
        $padding = $PADDING_SUB{$padding};
    }

    # key derivation options
    my $pbkdf = $options->{pbkdf} || ($options->{literal_key} ? 'none' : $header_mode eq 'randomiv' ? 'randomiv' : DEFAULT_PBKDF);
    my $iter = $options->{iter} || DEFAULT_ITER;
    $iter =~ /[\d_]+/ && $iter >= 1 or croak "-iterations argument must be greater than or equal to 1";
    my $hc = $options->{hasher};
    croak "the CPAN Bridge does not support a -hasher object; pass a Crypt::PBKDF2 hash class name" if ref $hc;
    my $chain_mode = $options->{chain_mode} ? $options->{chain_mode} : $options->{pcbc} ? 'pcbc' : 'cbc';

    $key ||= $pass if $pbkdf eq 'none';
    my $literal_key = defined $key;
    my $cname = $BARE{$cipher} ? do { (my $c = $cipher) =~ s/^Crypt:://; $c } : $cipher;
    croak "Initialization vector must be exactly $bs bytes long when using the $cname cipher"
        if defined $iv and length($iv) != $bs;
    croak "invalid cipher block chain mode: $chain_mode" unless $chain_mode =~ /^(cbc|pcbc|cfb|ofb|ctr)$/;
    croak "the CPAN Bridge supports the cbc chain mode only, not $chain_mode" unless $chain_mode eq 'cbc';
    if (defined $key && length($key) != $ks) {
        croak "If specified by -literal_key, then the key length must be equal to the chosen cipher's key length of $ks bytes";
    }
    if ($header_mode eq 'salt') {
        croak "Cannot use salt-based key generation if literal key is specified" if $literal_key;
    }
    elsif ($header_mode eq 'randomiv') {
        croak "Cannot encrypt using a non-8 byte blocksize cipher when using randomiv header mode" unless $bs == 8;
    }
    croak "If a key derivation function (-pbkdf) of 'none' is provided, a literal key and iv must be provided"
        if $pbkdf eq 'none' && (!defined $key || !defined $iv);
    croak "If a -header mode of 'randomiv' is provided, then the -pbkdf key derivation function must be 'randomiv' or undefined"
        if $header_mode eq 'randomiv' and $pbkdf ne 'randomiv';
    croak "'$pbkdf' is not a supported key derivation function" unless $pbkdf =~ /^(opensslv1|opensslv2|pbkdf2|none|randomiv)$/;

    return bless {
        cipher => $cname, passphrase => $pass, key => $key, iv => $iv, salt => $salt, padding => $padding,
        blocksize => $bs, keysize => $ks, header_mode => $header_mode, literal_key => $literal_key,
        literal_iv => defined $iv, chain_mode => $chain_mode, make_random_salt => $random_salt,
        make_random_iv => $random_iv, pbkdf => $pbkdf, iter => $iter, hasher => $hc, nodeprecate => $options->{nodeprecate},
    }, $class;
}

sub _get_options {
    my $class = shift;
    my $options = {};
    if (ref $_[0] eq 'HASH') { $options = shift }
    elsif ($_[0] =~ /^-[a-zA-Z_]{1,20}$/) {
        my %tmp = @_;
        while (my ($key, $value) = each %tmp) { $key =~ s/^-//; $options->{lc $key} = $value }
    }
    else { $options->{key} = shift; $options->{cipher} = shift }
    return $options;
}

sub _validate_options {
    my ($self, $options) = @_;
    my %valid = map { $_ => 1 } @valid_options;
    for my $o (keys %$options) { die "'$o' is not a recognized argument" unless $valid{$o} }
    return 1;
}

sub _b { defined $_[0] ? CPANBridge::Codec::bytes("$_[0]") : undef }

# the object's fields as the daemon's start/encrypt/decrypt take them
sub _spec {
    my ($self, $decrypt) = @_;
    (my $cipher = $self->{cipher}) =~ s/^(?!Crypt::)/Crypt::/;
    return {
        cipher => $cipher, keysize => 0 + $self->{keysize}, decrypt => $decrypt ? \1 : \0,
        header => $self->{header_mode}, pbkdf => $self->{pbkdf}, iter => 0 + $self->{iter},
        hasher => defined $self->{hasher} ? "$self->{hasher}" : undef, padding => $self->_padding_name,
        map({ $_ => $self->{$_} ? \1 : \0 } qw(literal_key literal_iv make_random_salt make_random_iv)),
        pass => _b($self->{passphrase}), key => _b($self->{literal_key} ? $self->{key} : undef),
        # the object's current salt and iv, as the real start() finds them (a headerless decrypt
        # reuses the salt of the previous encrypt; a new random salt is the daemon's job)
        iv => _b($self->{iv}), salt => _b($self->{salt}),
    };
}

sub _call {
    my ($function, $params) = @_;
    undef $CPANBridge_error;
    my $r = eval { CPANBridge::call('crypto', $function, $params) };
    if (my $e = $@) {
        $CPANBridge_error = $e if ref $e;
        my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
        $m =~ s/^crypto\.\w+: //;
       
        croak $m;
    }
    return $r;
}

sub _absorb {
    my ($self, $r, $with_key) = @_;
    $self->{salt} = $r->{salt} if exists $r->{salt};
    $self->{iv} = $r->{iv} if exists $r->{iv};
    $self->{key} = $r->{key} if $with_key && exists $r->{key};
}

sub _deprecation_warning {
    my $self = shift;
    return if $self->{nodeprecate};
    return if $self->{decrypt};
    my $pbkdf = $self->{pbkdf};
   
    carp <<END if $pbkdf =~ /^(opensslv1|randomiv)$/;
WARNING: The key derivation method "$pbkdf" is deprecated. Using -pbkdf=>'pbkdf2' would be better.
Pass -nodeprecate=>1 to inhibit this message.
END
}

sub _oneshot {
    my ($self, $decrypt, $data) = @_;
    # what start() does, then crypt() and finish() in one request
    delete $self->{stream};
    $self->{decrypt} = $decrypt;
    $self->_deprecation_warning;
    if ($self->_padding_name eq 'custom') {
        # the sub runs here: start/crypt/finish, as the real encrypt() does
        $self->{buffer} = '';
        my $out = $self->crypt($data);
        return $out . $self->finish;
    }
    my $r = eval { _call($decrypt ? 'decrypt' : 'encrypt', { %{ $self->_spec($decrypt) }, data => _b($data) }) };
    if (my $e = $@) {
        # what the real object had derived before its croak
        if (ref $CPANBridge_error && ref $CPANBridge_error->{fields} eq 'HASH') {
            my $f = $CPANBridge_error->{fields};
            $self->{$_} = defined $f->{$_} ? MIME::Base64::decode_base64($f->{$_}) : undef for grep { exists $f->{$_} } qw(salt iv key);
        }
        die $e;
    }
    $self->_absorb($r, 1);
    return $r->{out};
}

sub encrypt { my ($self, $data) = @_; $self->_oneshot(0, $data) }
sub decrypt { my ($self, $data) = @_; $self->_oneshot(1, $data) }
sub encrypt_hex { my ($self, $data) = @_; join '', unpack 'H*', $self->_oneshot(0, $data) }
sub decrypt_hex { my ($self, $data) = @_; $self->_oneshot(1, pack 'H*', $data) }

sub start {
    my ($self, $operation) = @_;
    croak "Specify <e>ncryption or <d>ecryption" unless $operation =~ /^[ed]/i;
    $self->_drop_stream;
    $self->{decrypt} = $operation =~ /^d/i ? 1 : '';
    $self->{buffer} = '';
    $self->_deprecation_warning;
    return $self->{decrypt};
}

sub _drop_stream {
    my $self = shift;
    my $s = delete $self->{stream} or return;
    eval { CPANBridge::call('crypto', 'finish', { stream => $s }) };
}

sub crypt {
    my ($self, $data) = @_;
    croak "crypt() called without a preceding start()" unless exists $self->{buffer};
    $self->{stream} ||= _call('start', $self->_spec($self->{decrypt}))->{stream};
    my $r = _call('crypt', { stream => $self->{stream}, data => _b($data) });
    $self->_absorb($r, 0);
    $self->{key_stale} = 1;
    return $r->{out};
}

sub finish {
    my $self = shift;
    my $s = delete $self->{stream};
    delete $self->{buffer};
    unless (defined $s) {
        # the real finish() with nothing crypted: '' where it never touches the cipher
        my $p = $self->_padding_name;
        return '' if $p eq 'rijndael_compat' || ($p eq 'none' && !$self->{decrypt});
        croak "finish() without a crypt() since start() is not supported by the CPAN Bridge";
    }
    $self->_fresh_key;    # the key this run derived, before the stream goes
    my $custom = $self->_padding_name eq 'custom';
    my %block;
    if ($custom && !$self->{decrypt}) {
        my $pending = _call('pending', { stream => $s })->{pending};
        my $padded = $self->{padding}->($pending, $self->{blocksize}, 'e');
        %block = (block => _b(defined $padded ? $padded : ''));
    }
    my $r = _call('finish', { stream => $s, %block });
    $self->_absorb($r, 0);
    return $self->{padding}->($r->{out}, $self->{blocksize}, 'd') if $custom && $self->{decrypt};
    return $r->{out};
}

sub DESTROY { local $@; $_[0]->_drop_stream }

# A streaming run derives its key in the daemon: fetched when asked for.
sub _fresh_key {
    my $self = shift;
    if ($self->{stream} && delete $self->{key_stale}) {
        my $r = _call('fields', { stream => $self->{stream} });
        $self->_absorb($r, 1);
    }
}

sub get_initialization_vector { my $self = shift; $self->iv() }
sub set_initialization_vector {
    my ($self, $iv) = @_;
    my $bs = $self->blocksize;
    croak "Initialization vector must be $bs bytes in length" unless length($iv) == $bs;
    $self->iv($iv);
}
sub salt { my $self = shift; my $d = $self->{salt}; $self->{salt} = shift if @_; $d }
sub iv   { my $self = shift; my $d = $self->{iv};   $self->{iv}   = shift if @_; $d }
sub key  { my $self = shift; $self->_fresh_key; my $d = $self->{key}; $self->{key} = shift if @_; $d }
sub passphrase {
    my $self = shift;
    my $d = $self->{passphrase};
    if (@_) { undef $self->{key}; undef $self->{iv}; $self->{passphrase} = shift }
    $d;
}
sub keysize { my $self = shift; $self->{keysize} = shift if @_; $self->{keysize} }
sub random_bytes {
    my $self = shift;
    my $n = shift or croak "usage: random_bytes(\$byte_length)";
    open my $fh, '<', '/dev/urandom' or croak "cannot read /dev/urandom: $!";
    read $fh, my $r, $n;
    return $r;
}
sub chain_mode  { shift->{chain_mode} || 'cbc' }
sub cipher      { shift->{cipher} }
sub padding     { shift->{padding} }
sub blocksize   { shift->{blocksize} }
sub pcbc        { shift->{pcbc} }
sub header_mode { shift->{header_mode} }
sub literal_key { shift->{literal_key} }
sub nodeprecate { shift->{nodeprecate} }
sub pbkdf       { shift->{pbkdf} }

1;
