#!/usr/bin/perl
# SFTP as batch jobs use it, through unchanged Net::SFTP::Foreign code: one session, a file put
# and got back (checked), then N small files put, listed and removed. Prints "BENCH {json}".
#   sftp.pl PORT SSHD_DIR LOCAL_FILE SMALL_N
use strict;
use warnings;
use Time::HiRes ();
use Digest::SHA ();
use Net::SFTP::Foreign;

my ($port, $sd, $file, $n) = @ARGV;
my $t0 = Time::HiRes::time();
my $s = Net::SFTP::Foreign->new(host => '127.0.0.1', user => 'nobody', port => $port,
    more => [-o => "UserKnownHostsFile=$sd/known_hosts", -o => 'BatchMode=yes', -o => 'IdentitiesOnly=yes', -i => "$sd/user_key"]);
die 'connect: ' . $s->error . "\n" if $s->error;
my $t1 = Time::HiRes::time();
my $remote = "bench-$$.bin";
$s->put($file, $remote) or die 'put: ' . $s->error . "\n";
my $t2 = Time::HiRes::time();
$s->get($remote, "$file.back") or die 'get: ' . $s->error . "\n";
my $t3 = Time::HiRes::time();
die "the round trip differs\n" unless Digest::SHA->new(256)->addfile($file, 'b')->hexdigest eq Digest::SHA->new(256)->addfile("$file.back", 'b')->hexdigest;
unlink "$file.back";
$s->remove($remote) or die 'remove: ' . $s->error . "\n";
my $dir = "small-$$";
$s->mkdir($dir) or die 'mkdir: ' . $s->error . "\n";
my $t4 = Time::HiRes::time();
for my $i (1 .. $n) { $s->put_content("line $i\n", "$dir/f$i.txt") or die 'put_content: ' . $s->error . "\n" }
my $ls = $s->ls($dir, names_only => 1) or die 'ls: ' . $s->error . "\n";
die "ls gave " . scalar(@$ls) . " names\n" unless scalar(grep { /^f\d+\.txt$/ } @$ls) == $n;
for my $i (1 .. $n) { $s->remove("$dir/f$i.txt") or die 'remove: ' . $s->error . "\n" }
my $t5 = Time::HiRes::time();
$s->rmdir($dir);
$s->disconnect;
printf "BENCH {\"connect_ms\":%.3f,\"put_ms\":%.3f,\"get_ms\":%.3f,\"small_ms\":%.3f,\"bytes\":%d}\n",
    ($t1 - $t0) * 1000, ($t2 - $t1) * 1000, ($t3 - $t2) * 1000, ($t5 - $t4) * 1000, -s $file;
