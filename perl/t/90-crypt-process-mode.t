#!/usr/bin/perl
# Crypt::CBC with the legacy ciphers (Blowfish, DES, CAST5: OpenSSL's legacy provider) in process
# mode, where each call is a node process of its own: its ciphertext is the real module's to read.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Crypt::CBC; use Crypt::Blowfish; use Crypt::DES; use Crypt::CAST5; print 1;\n"))[0];
plan skip_all => 'the real Crypt::CBC with Crypt::Blowfish, Crypt::DES and Crypt::CAST5 is not installed' unless $real_ok;

for my $cipher (qw(Blowfish DES CAST5)) {
    my $enc = <<"PL";
use Crypt::CBC;
my \$c = Crypt::CBC->new(-pass => 'secret words', -cipher => '$cipher', -pbkdf => 'pbkdf2');
print unpack('H*', \$c->encrypt('nightly report 42'));
PL
    my ($hex, $err, $rc) = BridgeTest::run_perl($enc, { CPAN_BRIDGE_DAEMON => 0 });
    is($rc, 0, "$cipher: process-mode encrypt runs") or diag($err);
    like($hex, qr/^[0-9a-f]{32,}$/, "$cipher: ciphertext");
    my ($plain) = BridgeTest::run_perl_real(<<"PL");
use Crypt::CBC;
my \$c = Crypt::CBC->new(-pass => 'secret words', -cipher => 'Crypt::$cipher', -pbkdf => 'pbkdf2');
print \$c->decrypt(pack('H*', '$hex'));
PL
    is($plain, 'nightly report 42', "$cipher: the real Crypt::CBC decrypts it");
}
done_testing;
