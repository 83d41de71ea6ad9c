#!/usr/bin/perl
# An SFTP push/pull job, as batch jobs do it with Net::SFTP::Foreign: connect with a key checked
# against known_hosts, make the outbound tree, upload a dozen report files (one of 3 MiB, several
# chunks; some atomic), archive some with renames (one overwriting), remove two, write a manifest,
# pull three files and the manifest back, and print the remote tree with checksums (so a file
# done twice, a partial file or a temporary left behind shows in the golden comparison).
# Usage: sftp.pl PORT SSHD_DIR IN_DIR OUT_DIR
use strict;
use warnings;
use FindBin;
use Digest::MD5 ();
use Net::SFTP::Foreign;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('Net/SFTP/Foreign.pm');

my ($port, $sd, $in, $out) = @ARGV;
my $sftp = Net::SFTP::Foreign->new('127.0.0.1', user => ($> == 0 ? 'nobody' : scalar getpwuid($>)), port => $port,
    more => [-i => "$sd/user_key", -o => "UserKnownHostsFile=$sd/known_hosts", -o => 'BatchMode=yes']);
$sftp->die_on_error('connect');
# for the sshd-restart fault (chaos/faults.ts): the session is up, the job is under way
{ open my $up, '>', "$sd/session.up" or die "$sd/session.up: $!\n"; close $up }
sub step { my ($what, $ok) = @_; chaos_step($what, sub { $ok }) ; $ok or die "$what failed: " . $sftp->error . "\n"; print "$what: ok\n" }

step('mkpath outbound/2024', $sftp->mkpath('outbound/2024'));
step('mkdir archive', $sftp->mkdir('archive'));
step('setcwd outbound', $sftp->setcwd('outbound'));
opendir my $dh, $in or die "$in: $!\n";
my @files = sort grep { -f "$in/$_" } readdir $dh;
closedir $dh;
for my $i (0 .. $#files) {
    my $f = $files[$i];
    step("put $f", $sftp->put("$in/$f", "2024/$f", ($i % 3 == 0 ? (atomic => 1) : ()), copy_time => 0));
}
for my $f (@files[0 .. 3]) { step("archive $f", $sftp->rename("2024/$f", "../archive/$f")) }
step('archive overwrite', $sftp->rename("2024/$files[4]", "../archive/$files[0]", overwrite => 1));
step("remove $_", $sftp->remove("2024/$_")) for @files[5, 6];
step('manifest', $sftp->put_content(join('', map { "$_\n" } @files), '2024/MANIFEST'));
for my $f (@files[7 .. 9]) { step("get $f", $sftp->get("2024/$f", "$out/$f", copy_time => 0)) }
my $manifest = $sftp->get_content('2024/MANIFEST');
print 'manifest lines: ', scalar(split /\n/, $manifest), "\n";
$sftp->setcwd(undef);
for my $e (sort { $a->{filename} cmp $b->{filename} } $sftp->find(['outbound', 'archive'])) {
    my $a = $e->{a};
    my $dir = (($a->perm & 0170000) == 0040000);
    my $sum = $dir ? '-' : Digest::MD5::md5_hex($sftp->get_content($e->{filename}) // 'MISSING');
    printf "%s %s %s %s\n", $e->{filename}, ($dir ? 'dir' : 'file'), ($dir ? '-' : $a->size), $sum;
}
$sftp->disconnect;
print "done\n";
