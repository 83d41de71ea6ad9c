#!/usr/bin/perl
# Predecessor-style script (Test_Scripts/test_crypto_basic.pl, Test_Failed_Crypto.pl): call_python
# 'crypto' round trips of byte strings (no `use utf8`), character strings and binary data.
use strict;
use warnings;
use CPANBridge;

my $bridge = CPANBridge->new();
sub check { my ($ok, $name) = @_; print $ok ? "ok: $name\n" : "FAIL: $name\n"; $ok }

my $n = $bridge->call_python('crypto', 'new', { key => 'TestKey123456789', cipher => 'Blowfish' });
my $cid = $n->{result}{cipher_id};
check($n->{success} && $cid, 'new');
my $round = sub {
    my ($in) = @_;
    my $e = $bridge->call_python('crypto', 'encrypt', { cipher_id => $cid, plaintext => $in });
    my $d = $bridge->call_python('crypto', 'decrypt', { cipher_id => $cid, hex_ciphertext => $e->{result}{encrypted} });
    return $d->{result}{decrypted};
};
my $bytes = "Unicode test: \xe4\xb8\x96\xe7\x95\x8c caf\xc3\xa9";    # UTF-8 bytes, as without `use utf8`
check($round->($bytes) eq $bytes, 'a byte string comes back as the same bytes');
my $chars = "caf\x{e9} \x{4e16}\x{754c} \x{1f30d}";
check($round->($chars) eq $chars, 'a character string comes back as the same characters');
my $bin = join '', map { chr } 0 .. 255;
check($round->($bin) eq $bin, 'every byte value');
my $lines = "line 1\nline 2\r\n\ttab";
check($round->($lines) eq $lines, 'newlines and tabs kept');
my $e = $bridge->call_python('crypto', 'encrypt', { cipher_id => $cid, plaintext_hex => unpack('H*', "\0\n\0") });
my $d = $bridge->call_python('crypto', 'decrypt', { cipher_id => $cid, hex_ciphertext => $e->{result}{encrypted} });
check($d->{success} && pack('H*', $d->{result}{decrypted_hex}) eq "\0\n\0", 'plaintext_hex / decrypted_hex');
check($bridge->call_python('crypto', 'cleanup_cipher', { cipher_id => $cid })->{success}, 'cleanup_cipher');
print "done\n";
