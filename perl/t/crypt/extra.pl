# Run by 90-crypt-cbc.t twice (real Crypt::CBC, bridge): defaults, positional new, randomiv, keysizes,
# hashers, accessors, croak texts and the deprecation warnings (in order with stdout).
use strict; use warnings;
use Crypt::CBC;
$| = 1;
$SIG{__WARN__} = sub { my $w = shift; $w =~ s/ at \S+ line (\d+)\.?\n/ at line $1/; print "WARN $w\n" };
sub err { (my $m = $@) =~ s/ at \S+ line (\d+)\.?\n/ at line $1/; $m }
sub h { unpack 'H*', $_[0] }
# default: opensslv1 + random salt + the deprecation warning at each start()
my $c = Crypt::CBC->new(-key => 'Opal-Heron-secret');
my $ct = $c->encrypt("hello\n");
print "default header ", substr($ct, 0, 8), " len ", length $ct, " pbkdf ", $c->pbkdf, " cipher ", $c->cipher, "\n";
print "default salt is header ", ($c->salt eq substr($ct, 8, 8) ? 1 : 0), "\n";
print "default dec ", $c->decrypt($ct), "";
print "hex roundtrip ", $c->decrypt_hex($c->encrypt_hex("hex me")), "\n";
# legacy positional new($key, $cipher)
my $p = Crypt::CBC->new('my key', 'Blowfish');
print "positional ", $p->cipher, " ", $p->keysize, " ", $p->blocksize, " ", $p->decrypt($p->encrypt("positional")), "\n";
# randomiv header (8-byte block ciphers): RandomIV + iv, key from md5 of the passphrase
for my $ci (qw(Blowfish DES Cipher::IDEA CAST5)) {
  my $r = Crypt::CBC->new(-key => 'legacy pass', -cipher => $ci, -header => 'randomiv');
  my $e = $r->encrypt('randomiv data that is long enough'); my $dd = eval { $r->decrypt($e) }; print "randomiv dec $ci ", (defined $dd ? "no error" : err()), "\n";
  print "randomiv $ci ", substr($e, 0, 8), " iv ", ($r->iv eq substr($e, 8, 8) ? 1 : 0), " key ", length($r->key), "\n";
}
# legacy ciphertexts made by the real module (fixed below) decrypt
print "randomiv fixed ", Crypt::CBC->new(-key => 'legacy pass', -cipher => 'Blowfish', -header => 'randomiv')->decrypt(pack 'H*', $ARGV[0] // ''), "\n" if @ARGV;
# keysize 16 / 24 AES
for my $ks (16, 24) {
  my $k = Crypt::CBC->new(-pass => 'p', -keysize => $ks, -pbkdf => 'pbkdf2', -salt => 'saltsalt', -cipher => 'Rijndael');
  print "keysize $ks ", h($k->encrypt('keysize test')), " ", h($k->key), "\n";
}
# hasher, iter
for my $hs (qw(HMACSHA1 HMACSHA2)) {
  my $k = Crypt::CBC->new(-pass => 'p', -pbkdf => 'pbkdf2', -hasher => $hs, -iter => 500, -salt => 'saltsalt');
  print "hasher $hs ", h($k->encrypt('hasher test')), "\n";
}
# -salt => 1 means random; set_initialization_vector; accessors
my $s = Crypt::CBC->new(-pass => 'p', -pbkdf => 'opensslv2', -salt => 1, -iv => '0123456789abcdef');
my $se = $s->encrypt('iv given');
print "salt=>1 random ", (length $s->salt), " iv kept ", $s->iv, " dec ", $s->decrypt($se), "\n";
eval { $s->set_initialization_vector('short') }; print "set_iv short: ", err(), "\n";
$s->set_initialization_vector('fedcba9876543210'); print "iv now ", $s->get_initialization_vector, "\n";
# streaming: crypt before start, start args
my $t = Crypt::CBC->new(-pass => 'p', -pbkdf => 'pbkdf2');
eval { $t->crypt('x') }; print "crypt before start: ", err(), "\n";
eval { $t->start('x') }; print "start x: ", err(), "\n";
# new() croaks
for my $args ([], [-cipher => 'Rijndael'], [-key => 'k', -literal_key => 1], [-key => 'k', -iv => 'short'],
              [-key => 'k', -padding => 'weird'], [-key => 'k', -header => 'bogus'], [-key => 'k', -bogus => 1],
              [-key => 'k', -salt => 'short'], [-key => 'k', -header => 'randomiv', -cipher => 'Rijndael'],
              [-key => 'k', -pbkdf => 'none'], [-key => 'k', -header => 'randomiv', -pbkdf => 'pbkdf2', -cipher => 'DES'],
              [-key => '0123456789abcdef0123456789abcdef', -literal_key => 1, -header => 'salt'],
              [-key => 'k', -cipher => 'NoSuchCipher']) {
  my $o = eval { Crypt::CBC->new(@$args) };
  my $m = err(); $m =~ s/^(Couldn't load Crypt::NoSuchCipher):.*/$1/s;
  print "new(@$args): ", ($o ? 'ok' : $m), "\n";
}
# wrong pass: garbage or empty, no error
my $w = Crypt::CBC->new(-pass => 'right', -pbkdf => 'pbkdf2')->encrypt('secret text');
my $g = eval { Crypt::CBC->new(-pass => 'wrong', -pbkdf => 'pbkdf2')->decrypt($w) };
print "wrong pass: ", (defined $g ? 'no error' : 'error ' . err()), "\n";
eval { Crypt::CBC->new(-pass => 'p', -pbkdf => 'pbkdf2')->decrypt('not a header at all') }; print "no header: ", err(), "\n";
# the deprecation warning on a streaming start, and none when decrypting
my $d = Crypt::CBC->new(-pass => 'p');
$d->start('encrypting'); my $x = $d->crypt('abc'); $x .= $d->finish;
$d->start('decrypting'); my $y = $d->crypt($x); $y .= $d->finish; print "stream $y\n";
# padding is a code ref; a custom padding sub (checked by new(), run on the last block)
print "padding ref ", ref(Crypt::CBC->new(-pass => 'p')->padding), " ", (Crypt::CBC->new(-pass => 'p')->padding == \&Crypt::CBC::_standard_padding ? 1 : 0), "\n";
my $xpad = sub { my ($b, $bs, $d) = @_; if ($d eq 'd') { my $n = ord substr($b, -1); return substr($b, 0, length($b) - $n) } my $n = $bs - length($b) % $bs; $b . ('X' x ($n - 1)) . chr($n) };
for my $ci (qw(Rijndael Blowfish)) {
  for my $in ('', 'a', 'A' x 16, 'seventeen bytes!!') {
    my $k = Crypt::CBC->new(-pass => 'p', -cipher => $ci, -pbkdf => 'pbkdf2', -salt => 'saltsalt', -padding => $xpad);
    my $e = $k->encrypt($in);
    $k->start('encrypting'); my $s = $k->crypt($in); $s .= $k->finish;
    print "custom $ci ", length $in, " ", h($e), " ", ($s eq $e ? 'same' : 'differs'), " ", h($k->decrypt($e)), "\n";
  }
}
my $bad = eval { Crypt::CBC->new(-pass => 'p', -padding => sub { 'x' }) }; print "bad custom: ", err(), "\n";
# headerless with a derived key: the decrypt reuses the salt of the encrypt; key() after a streamed run
{
my $c = Crypt::CBC->new(-pass => 'p', -pbkdf => 'pbkdf2', -header => 'none', -iter => 100);
my $e = $c->encrypt('headerless with derived key');
print "salt len ", length $c->salt, "\n";
print "dec ", $c->decrypt($e), "\n";
$c->start('encrypting'); my $s = $c->crypt('streamed and key asked after finish'); $s .= $c->finish;
print "key after stream ", length($c->key), " ", ($c->decrypt($s) eq 'streamed and key asked after finish' ? 'ok' : 'bad'), "\n";
my $c2 = Crypt::CBC->new(-pass => 'p', -pbkdf => 'opensslv2', -header => 'none', -salt => 'saltsalt', -nodeprecate => 1);
print "fixed ", h($c2->encrypt('abc')), " ", h($c2->key), "\n";
}
