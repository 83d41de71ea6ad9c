# Run by 90-crypt-cbc.t twice, under the real Crypt::CBC and on the bridge: every line must match.
# Fixed salts and IVs make every ciphertext deterministic; the wrong passphrase gives garbage.
use strict; use warnings;
use Crypt::CBC;
$SIG{__WARN__} = sub { my $w = shift; $w =~ s/ at \S+ line \d+\.?\n//; print "WARN $w" };
my @ciphers = @ARGV ? @ARGV : qw(Crypt::Cipher::AES Rijndael Blowfish DES CAST5 Cipher::Camellia Cipher::IDEA Cipher::DES_EDE Cipher::Blowfish);
my @inputs = ('', 'x', 'A' x 16, 'odd length input!', join('', map chr, 0..255) . "\n\0tail");
my @pads = qw(standard null space oneandzeroes rijndael_compat none);
sub h { unpack 'H*', $_[0] }
for my $c (@ciphers) {
  for my $kdf (qw(opensslv1 opensslv2 pbkdf2 literal)) {
    for my $pad (@pads) {
      for my $in (@inputs) {
        my $tag = "$c/$kdf/$pad/" . length($in);
        my %o = (-cipher => $c, -padding => $pad, -nodeprecate => 1);
        my $cbc = eval {
          if ($kdf eq 'literal') {
            my $tmp = Crypt::CBC->new(-cipher => $c, -pass => 'k', -nodeprecate => 1);
            Crypt::CBC->new(%o, -key => substr('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 0, $tmp->keysize), -literal_key => 1, -header => 'none', -iv => substr('IVIVIVIVivivivivX', 0, $tmp->blocksize));
          } else {
            Crypt::CBC->new(%o, -pass => 'Opal-Heron-secret', -pbkdf => $kdf, -salt => 'saltsalt', ($kdf eq 'pbkdf2' ? (-iter => 1000) : ()));
          }
        };
        if (!$cbc) { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "$tag NEW ERR $e\n"; next }
        my $ct = eval { $cbc->encrypt($in) };
        if (!defined $ct) { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "$tag ENC ERR $e\n"; next }
        print "$tag enc ", h($ct), " key ", h($cbc->key), " iv ", h($cbc->iv), "\n";
        my $pt = eval { $cbc->decrypt($ct) };
        if (!defined $pt) { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "$tag DEC ERR $e\n"; next }
        print "$tag dec ", h($pt), "\n";
        # streaming in odd chunks
        my $s = eval { $cbc->start('encrypting'); my $s = '';
        for (my $i = 0; $i < length($in) || $i == 0; $i += 7) { $s .= $cbc->crypt(substr($in, $i, 7)) }
        $s .= $cbc->finish; $s };
        if (!defined $s) { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "$tag STREAM ERR $e\n"; }
        else { print "$tag stream ", ($s eq $ct ? 'same' : h($s)), "\n"; }
        my $d = eval { $cbc->start('decrypting'); my $s = '';
        $s .= $cbc->crypt(substr($ct, 0, 21)); for (my $i = 21; $i < length $ct; $i += 5) { $s .= $cbc->crypt(substr($ct, $i, 5)) }
        $s .= $cbc->finish; $s };
        if (!defined $d) { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "$tag DSTREAM ERR $e\n"; }
        else { print "$tag dstream ", h($d), "\n"; }
        my $wrong = Crypt::CBC->new(-cipher => $c, -pass => 'wrong', -pbkdf => ($kdf eq 'literal' ? 'opensslv2' : $kdf), -padding => $pad, -nodeprecate => 1);
        if ($kdf ne 'literal') { my $g = eval { $wrong->decrypt($ct) }; print "$tag wrong ", (defined $g ? h($g) : "ERR $@"), "\n" }
      }
    }
  }
}
for my $c (qw(Crypt::Cipher::AES Rijndael Blowfish DES CAST5 Cipher::Blowfish)) {
  my $x = Crypt::CBC->new(-cipher => $c, -pass => 'x', -pbkdf => 'pbkdf2', -salt => 'saltsalt');
  my $e = $x->encrypt('hello world, this is long');
  my $r = eval { unpack 'H*', $x->decrypt(substr($e, 0, -3)) };
  (my $m = $@) =~ s/ at \S+ line \d+\.?\n//;
  print "$c truncated ", $r // "ERR $m", "\n";
}
