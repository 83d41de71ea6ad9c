#!/usr/bin/perl
# Password logins with Net::SFTP::Foreign, run once with the real module and once on the bridge
# against the same sshd (perl/t/95-sftp-password.t compares): the right password, a wrong one, and
# a password for a user the server takes keys from only. Args: port, sshd dir, password user, password.
use strict;
use warnings;
use Net::SFTP::Foreign;
my ($port, $sd, $user, $password) = @ARGV;
my @more = (-o => "UserKnownHostsFile=$sd/known_hosts", -o => 'IdentitiesOnly=yes', -o => 'PubkeyAuthentication=no');
sub report {
    my ($what, $s) = @_;
    printf "%s: error %d|%s; status %d|%s\n", $what, $s->error, $s->error, $s->status, $s->status;
}
my $ok = Net::SFTP::Foreign->new('127.0.0.1', port => $port, user => $user, password => $password, more => [@more], timeout => 20);
report('right password', $ok);
if (!$ok->error) {
    print 'put_content: ', ($ok->put_content("by password\n", 'pw.txt') ? 1 : 0), "\n";
    print 'get_content: ', $ok->get_content('pw.txt') // 'undef';
    print 'remove: ', ($ok->remove('pw.txt') ? 1 : 0), "\n";
    $ok->disconnect;
}
my $bad = Net::SFTP::Foreign->new('127.0.0.1', port => $port, user => $user, password => 'not-the-password', more => [@more], timeout => 20);
report('wrong password', $bad);
my $keys_only = Net::SFTP::Foreign->new('127.0.0.1', port => $port, user => 'nobody', password => $password, more => [@more], timeout => 20);
report('keys-only user', $keys_only);
