#!/usr/bin/perl
# Encrypting a file for a partner, as batch jobs do: Crypt::CBC streaming (start, a crypt per
# 4 KiB chunk, finish) into a temporary file renamed into place, then the file decrypted back in
# one go and compared. A fixed salt makes the ciphertext the same in every run, so its digest is
# part of the golden output. Usage: crypt.pl IN_FILE OUT_FILE
use strict;
use warnings;
use FindBin;
use Crypt::CBC;
use Digest::SHA ();
require "$FindBin::Bin/common.pl";
chaos_assert_shims('Crypt/CBC.pm');

my ($in, $out) = @ARGV;
my $cbc = Crypt::CBC->new(-cipher => 'Crypt::Cipher::AES', -pass => 'chaos partner passphrase', -pbkdf => 'pbkdf2',
                          -salt => pack('H16', '0011223344556677'));
open my $src, '<:raw', $in or die "$in: $!\n";
open my $dst, '>:raw', "$out.part" or die "$out.part: $!\n";
$cbc->start('encrypting');
my ($buf, $chunks) = ('', 0);
while (read($src, $buf, 4096)) {
    print {$dst} $cbc->crypt($buf);
    $chunks++;
}
print {$dst} $cbc->finish;
close $dst or die "close: $!\n";
close $src;
rename "$out.part", $out or die "rename: $!\n";
open my $fh, '<:raw', $out or die "$out: $!\n";
my $cipher = do { local $/; <$fh> };
close $fh;
my $plain = $cbc->decrypt($cipher);
open $src, '<:raw', $in or die;
my $orig = do { local $/; <$src> };
print "chunks: $chunks\n";
print 'ciphertext sha256: ', Digest::SHA::sha256_hex($cipher), "\n";
print 'round trip: ', ($plain eq $orig ? 'identical' : 'DIFFERENT'), "\n";
die "the decrypted file differs from the original\n" unless $plain eq $orig;
