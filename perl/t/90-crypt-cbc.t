#!/usr/bin/perl
# Crypt::CBC on the bridge against the real Crypt::CBC 3.04, byte for byte: every cipher x key
# derivation x padding with empty, 1-byte, block-aligned and odd inputs (one-shot and streamed),
# croak texts, warnings; `openssl enc` both ways; the passphrase nowhere in the state directory.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Crypt::CBC 3.04; use Crypt::Rijndael; use Crypt::Blowfish; use Crypt::DES; use Crypt::CAST5; use Crypt::Cipher::AES; print 1;\n"))[0];
plan skip_all => 'the real Crypt::CBC 3.04 and its ciphers are not installed (libcrypt-cbc-perl, libcrypt-rijndael-perl, ...)' unless $real_ok;

my $dir = "$FindBin::Bin/crypt";
# lines that name a file inside the module itself (the shim is not at /usr/share/perl5/Crypt/CBC.pm)
sub norm { my $s = shift; $s =~ s/ at line \d+ at (\S+) line/ at line N at $1 line/g; $s =~ s/(FATAL: cipher setup failed: Invalid key size\.) at line \d+/$1/g; $s }

for my $script (qw(cases.pl extra.pl)) {
    my ($rout, $rerr, $rrc) = BridgeTest::run_script("$dir/$script", { PERL5LIB => undef, PERL5OPT => undef }, timeout => 120);
    my ($bout, $berr, $brc) = BridgeTest::run_script("$dir/$script", {}, timeout => 300);
    is($brc, $rrc, "$script: exit code");
    is($berr, $rerr, "$script: stderr");
    my @r = split /\n/, norm($rout);
    my @b = split /\n/, norm($bout);
    is(scalar @b, scalar @r, "$script: as many lines as the real module");
    my @diff = grep { ($r[$_] // '') ne ($b[$_] // '') } 0 .. $#r;
    is(scalar @diff, 0, "$script: every line equal") or diag(join "\n", map { "real:   $r[$_]\nbridge: " . ($b[$_] // '(none)') } @diff[0 .. ($#diff < 5 ? $#diff : 4)]);
}

# openssl enc interop: ours decrypts openssl's and openssl decrypts ours
SKIP: {
    my ($openssl) = grep { -x } map { "$_/openssl" } split /:/, $ENV{PATH};
    skip 'openssl not installed', 6 unless $openssl;
    my $work = BridgeTest::work();
    my $plain = join('', map { chr(($_ * 7) % 256) } 0 .. 999) . "end\n";
    BridgeTest::write_file("$work/plain", $plain);
    my $pass = 'Zebra-Quartz-7731';
    my %enc = (pbkdf2 => '-pbkdf2', opensslv1 => '-md md5', opensslv2 => '-md sha256');
    for my $kdf (sort keys %enc) {
        system("$openssl enc -aes-256-cbc $enc{$kdf} -salt -pass pass:$pass -in $work/plain -out $work/ossl.$kdf 2>/dev/null") == 0 or die "openssl enc failed";
    }
    my $code = <<'EOP';
use strict; use warnings; use Crypt::CBC;
my ($work, $pass) = @ARGV;
sub slurp { open my $f, '<:raw', $_[0] or die "$_[0]: $!"; local $/; <$f> }
for my $kdf (qw(opensslv1 opensslv2 pbkdf2)) {
    my $c = Crypt::CBC->new(-pass => $pass, -pbkdf => $kdf, -nodeprecate => 1);
    my $p = $c->decrypt(slurp("$work/ossl.$kdf"));
    print "$kdf ", length $p, "\n";
    open my $o, '>:raw', "$work/dec.$kdf" or die; print $o $p; close $o;
    open my $e, '>:raw', "$work/ours.$kdf" or die; print $e $c->encrypt(slurp("$work/plain")); close $e;
}
EOP
    my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => [$work, $pass]);
    is($rc, 0, 'openssl interop script ran') or diag $err;
    for my $kdf (sort keys %enc) {
        open my $f, '<:raw', "$work/dec.$kdf" or die; local $/; my $d = <$f>;
        ok($d eq $plain, "openssl enc ($enc{$kdf}) output decrypts byte-exact ($kdf)");
        my $back = `$openssl enc -d -aes-256-cbc $enc{$kdf} -pass pass:$pass -in $work/ours.$kdf 2>/dev/null`;
        ok($back eq $plain, "openssl enc -d ($enc{$kdf}) decrypts ours");
    }
}

# the passphrase and a literal key nowhere in the journal, its WAL or the logs
{
    my $secret = 'Kestrel-' . join('', map { ('a' .. 'z')[rand 26] } 1 .. 12);
    my $lkey = 'Lk' . join('', map { ('A' .. 'Z')[rand 26] } 1 .. 30);
    my $code = "my (\$secret, \$lkey) = ('$secret', '$lkey');\n" . <<'EOP';
use strict; use warnings; use Crypt::CBC;
$| = 1;
my $c = Crypt::CBC->new(-pass => $secret, -pbkdf => 'pbkdf2');
$c->start('encrypting'); my $ct = ''; $ct .= $c->crypt("chunk $_ " x 3) for 1 .. 5;
my $l = Crypt::CBC->new(-key => $lkey, -literal_key => 1, -iv => 'i' x 16, -header => 'none');
$l->start('encrypting'); my $lt = $l->crypt("literal streamed");
print "open\n";
sleep 2;    # the handles are live (and journaled) while the test looks
$ct .= $c->finish; $lt .= $l->finish;
print "done ", length $ct, "\n";
EOP
    my ($pid, $fh) = BridgeTest::spawn_script(BridgeTest::write_file(BridgeTest::work() . '/sec.pl', $code), {});
    my $line = <$fh>;
    is($line, "open\n", 'streams open');
    my $found = '';
    for my $f (glob(BridgeTest::home() . '/*')) {
        next unless -f $f;
        open my $x, '<:raw', $f or next; local $/; my $b = <$x> // '';
        $found .= " $f" if index($b, $secret) >= 0 || index($b, $lkey) >= 0;
    }
    is($found, '', 'the passphrase and the key are in no file of the state directory (journal, -wal, logs)');
    my $rest = do { local $/; <$fh> };
    waitpid($pid, 0);
    like($rest, qr/^done \d+/, 'streams finished');
}

done_testing;
