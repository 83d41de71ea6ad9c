#!/usr/bin/perl
# Bulk file encryption as batch jobs do it, through unchanged Crypt::CBC code: a file read in
# 1 MiB chunks, start / crypt per chunk / finish into an output file, then the same for the
# decryption, and the round trip checked. Prints "BENCH {json}".
#   crypt.pl IN OUT
use strict;
use warnings;
use Time::HiRes ();
use Crypt::CBC;
use Digest::SHA ();

my ($in, $out) = @ARGV;
my $cbc = Crypt::CBC->new(-cipher => 'Crypt::Rijndael', -pass => 'bench passphrase', -pbkdf => 'pbkdf2', -nodeprecate => 1);

sub run_file {
    my ($mode, $from, $to) = @_;
    open my $src, '<:raw', $from or die "$from: $!\n";
    open my $dst, '>:raw', $to or die "$to: $!\n";
    $cbc->start($mode);
    my $buf;
    while (read($src, $buf, 1 << 20)) {
        my $o = $cbc->crypt($buf);
        print {$dst} $o if defined $o;
    }
    print {$dst} $cbc->finish;
    close $dst or die "close $to: $!\n";
}

my $t0 = Time::HiRes::time();
run_file('encrypting', $in, $out);
my $t1 = Time::HiRes::time();
run_file('decrypting', $out, "$out.plain");
my $t2 = Time::HiRes::time();
my $same = Digest::SHA->new(256)->addfile($in, 'b')->hexdigest eq Digest::SHA->new(256)->addfile("$out.plain", 'b')->hexdigest;
die "the round trip differs\n" unless $same;
unlink "$out.plain";
printf "BENCH {\"encrypt_ms\":%.3f,\"decrypt_ms\":%.3f,\"bytes\":%d}\n", ($t1 - $t0) * 1000, ($t2 - $t1) * 1000, -s $in;
