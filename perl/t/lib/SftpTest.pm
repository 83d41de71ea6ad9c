package SftpTest;
# The test sshd (test/sshd.ts, built to dist/test/sshd.js) for the prove tests, and the snapshot of
# a directory tree the SFTP tests compare.
use strict;
use warnings;
use Digest::MD5 ();
use File::Find ();
use BridgeTest ();

my $NODE_SSHD = "$BridgeTest::REPO/dist/test/sshd.js";

sub available { -x '/usr/sbin/sshd' && -e $NODE_SSHD }

sub start {
    # the SFTP user (nobody, when the tests run as root) must reach the server's root
    chmod 0755, BridgeTest::work();
    my $dir = BridgeTest::work() . '/sshd';
    my $json = `node $NODE_SSHD start $dir`;
    die "sshd did not start: $json" unless $json =~ /"port":(\d+)/;
    my %s = (dir => $dir, port => $1, root => "$dir/root");
    # a known_hosts naming another key for the same host: a changed host key
    open my $k, '<', "$dir/bad_key.pub" or die; my ($t, $b64) = split ' ', scalar <$k>; close $k;
    open my $o, '>', "$dir/known_hosts_changed" or die; print $o "[127.0.0.1]:$s{port} $t $b64\n"; close $o;
    # an ssh_config naming the test server 'partner' (Net::SFTP::Foreign->new('partner', more => [-F => ...]))
    open my $c, '>', "$dir/ssh_config" or die;
    print $c "Host other\n  Port 1\nHost partner\n  HostName 127.0.0.1\n  Port $s{port}\n  User " . ($> == 0 ? 'nobody' : scalar getpwuid($>))
        . "\n  IdentityFile $dir/user_key\n  UserKnownHostsFile $dir/known_hosts\n  BatchMode yes\n  ServerAliveInterval 30\n";
    close $c;
    return \%s;
}

sub stop { my $s = shift; _unmount($s); system('node', $NODE_SSHD, 'stop', $s->{dir}) }

sub _mounted { my $d = shift; open my $m, '<', '/proc/mounts' or return 0; return scalar grep { (split ' ')[1] eq $d } <$m> }

sub _unmount { my $s = shift; my $d = "$s->{root}/full"; system('umount', $d) if _mounted($d) }

sub restart { my $s = shift; system('node', $NODE_SSHD, 'restart', $s->{dir}) == 0 or die 'sshd restart failed' }

# An empty SFTP root, with what the permission cases need: files the SFTP user (nobody) may not
# read or remove.
sub reset_tree {
    my $s = shift;
    _unmount($s);
    system('rm', '-rf', $s->{root});
    mkdir $s->{root} or die "mkdir $s->{root}: $!";
    chmod 0777, $s->{root};
    my $as_root = $> == 0;
    # a full disk on the server side: a small tmpfs (root only; else the cases see a plain directory)
    if ($as_root) {
        mkdir "$s->{root}/full";
        system('mount', '-t', 'tmpfs', '-o', 'size=256k,mode=0777', 'tmpfs', "$s->{root}/full") == 0
            or rmdir "$s->{root}/full";
    }
    open my $f, '>', "$s->{root}/secret.txt" or die; print $f "secret\n"; close $f;
    chmod 0600, "$s->{root}/secret.txt";
    mkdir "$s->{root}/locked"; chmod 0755, "$s->{root}/locked";
    open $f, '>', "$s->{root}/locked/keep.txt" or die; print $f "keep\n"; close $f;
    chmod($as_root ? 0644 : 0444, "$s->{root}/locked/keep.txt");
    chmod 0555, "$s->{root}/locked" unless $as_root;
}

# path => "type mode size md5" for every entry under $dir
sub tree {
    my ($dir) = @_;
    my %t;
    return \%t unless -d $dir;
    File::Find::find({ no_chdir => 1, wanted => sub {
        my $rel = substr($File::Find::name, length $dir) || '/';
        return if $rel =~ /kh_new$/;
        my @st = lstat $File::Find::name;
        my $type = -d _ ? 'd' : -l _ ? 'l' : 'f';
        my $md5 = '';
        if ($type eq 'f' and open my $fh, '<:raw', $File::Find::name) { $md5 = Digest::MD5->new->addfile($fh)->hexdigest }
        $t{$rel} = sprintf '%s %04o %s %s', $type, $st[2] & 07777, ($type eq 'd' ? '-' : $st[7]), $md5;
    } }, $dir);
    return \%t;
}

1;
