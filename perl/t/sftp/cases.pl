#!/usr/bin/perl
# Net::SFTP::Foreign cases, run once with the real module and once on the bridge against the same
# sshd (perl/t/93-sftp-foreign.t compares the output lines, the remote tree and the local files).
# Args: port, sshd dir (keys, known_hosts), local work dir. Times that differ between runs are masked.
use strict;
use warnings;
use utf8;
use Net::SFTP::Foreign;
use Net::SFTP::Foreign::Constants qw(:error :status);
binmode STDOUT, ':encoding(UTF-8)';

my ($port, $sd, $work) = @ARGV;
chdir $work or die "chdir $work: $!";
umask 022;
my @more = (-o => "UserKnownHostsFile=$sd/known_hosts", -o => 'BatchMode=yes', -o => 'IdentitiesOnly=yes');
my %base = (host => '127.0.0.1', user => 'nobody', port => $port, more => [@more, -i => "$sd/user_key"]);

sub ev { my $s = shift; sprintf '%d|%s', $s->error, $s->error }
sub st { my $s = shift; sprintf '%d|%s', $s->status, $s->status }
sub show { my ($s, $what, $r) = @_; printf "%s => %s; error %s; status %s\n", $what, (defined $r ? (ref $r ? ref $r : $r) : 'undef'), ev($s), st($s) }
sub spew { my ($f, $d) = @_; open my $fh, '>:raw', $f or die "$f: $!"; print $fh $d; close $fh }
sub slurp { my $f = shift; open my $fh, '<:raw', $f or return "(none: $!)"; local $/; my $d = <$fh>; $d }
sub lmode { sprintf '%04o', (stat $_[0])[2] & 07777 }
sub names { join ',', map { ref $_ ? $_->{filename} : $_ } @{ $_[0] || [] } }
# the processes whose parent is $_[0], from /proc
sub children {
    my $ppid = shift;
    my @c;
    for my $st (glob '/proc/[0-9]*/stat') {
        open my $f, '<', $st or next;
        my $l = <$f> // next;
        push @c, $1 if $l =~ /^(\d+) \(.*\) \S (\d+) / and $2 == $ppid;
    }
    return @c;
}
sub mask { my $l = shift; $l =~ s/\w{3} [ \d]\d (?:\d\d:\d\d| \d{4})/DATE/; $l }

# --- connecting
for my $c (
    [refused => host => '127.0.0.1', user => 'nobody', port => 1, more => [@more]],
    [bad_key => %base, more => [@more, -i => "$sd/bad_key"]],
    [unknown_host => %base, more => [-o => 'UserKnownHostsFile=/dev/null', -o => 'BatchMode=yes', -i => "$sd/user_key"]],
    [changed_host => %base, more => [-o => "UserKnownHostsFile=$sd/known_hosts_changed", -o => 'BatchMode=yes', -i => "$sd/user_key"]],
    [key_path => host => '127.0.0.1', user => 'nobody', port => $port, key_path => "$sd/user_key", more => [@more]],
    [o_port => host => '127.0.0.1', user => 'nobody', more => [@more, -o => "Port=$port", -i => "$sd/user_key"]],
    [user_at_host => host => 'nobody@127.0.0.1', port => $port, more => [@more, "-i$sd/user_key"]],
    [ssh_config => host => 'partner', more => [-F => "$sd/ssh_config"]],
    [strict_no => %base, more => [-o => 'UserKnownHostsFile=/dev/null', -o => 'StrictHostKeyChecking=no', -o => 'BatchMode=yes', -i => "$sd/user_key"]],
) {
    my ($name, @opts) = @$c;
    my $s = Net::SFTP::Foreign->new(@opts);
    show($s, "new $name", 1);
    $s->disconnect;
}
{
    unlink "$work/kh_new";
    my $s = Net::SFTP::Foreign->new(%base, more => [-o => "UserKnownHostsFile=$work/kh_new", -o => 'StrictHostKeyChecking=accept-new', -o => 'BatchMode=yes', -i => "$sd/user_key"]);
    show($s, 'new accept-new', 1);
    my @kh = split /\n/, slurp("$work/kh_new");
    print 'accept-new wrote ', scalar(@kh), " line(s)\n";
    $s->disconnect;
    unlink "$work/kh_new";
}
eval { Net::SFTP::Foreign->new(host => '127.0.0.1', port => 1, user => 'nobody', more => [@more], autodie => 1); 1 } or print "autodie new: $@";

my $s = Net::SFTP::Foreign->new(%base);
show($s, 'new', 1);
print 'cwd starts in the sftp root: ', ($s->cwd =~ m{/root$} ? 1 : 0), "\n";

# --- directories
show($s, 'mkdir d', $s->mkdir('d'));
show($s, 'mkdir d again', $s->mkdir('d'));
show($s, 'mkdir x/y', $s->mkdir('x/y'));
show($s, 'mkpath p/q/r', $s->mkpath('p/q/r'));
show($s, 'mkpath p/q/r again', $s->mkpath('p/q/r'));
show($s, 'rmdir p/q/r', $s->rmdir('p/q/r'));
show($s, 'rmdir p (not empty)', $s->rmdir('p'));
show($s, 'rmdir missing', $s->rmdir('nope'));
show($s, 'test_d d', $s->test_d('d'));
show($s, 'test_e nope', $s->test_e('nope'));

# --- put
spew("$work/a.txt", "alpha\n" x 100);
chmod 0640, "$work/a.txt";
utime 1_600_000_000, 1_600_000_000, "$work/a.txt";
show($s, 'put a.txt', $s->put("$work/a.txt", 'd/a.txt'));
my $a = $s->stat('d/a.txt');
printf "stat d/a.txt: size %d perm %o mtime %d\n", $a->size, $a->perm, $a->mtime;
show($s, 'put missing local', $s->put("$work/none.txt", 'd/none.txt'));
show($s, 'put overwrite=>0 existing', $s->put("$work/a.txt", 'd/a.txt', overwrite => 0));
show($s, 'put atomic overwrite=>0 existing', $s->put("$work/a.txt", 'd/a.txt', overwrite => 0, atomic => 1));
show($s, 'put perm 0600 copy_time 0', $s->put("$work/a.txt", 'd/b.txt', perm => 0600, copy_time => 0));
printf "stat d/b.txt: perm %o\n", $s->stat('d/b.txt')->perm;
{
    local $SIG{__WARN__} = sub { print "warn: $_[0]" };
    my $n;
    show($s, 'put numbered', $s->put("$work/a.txt", 'd/a.txt', numbered => \$n));
    print "numbered as $n\n";
    show($s, 'put numbered again', $s->put("$work/a.txt", 'd/a.txt', numbered => 1));
}
{
    umask 027;
    chmod 0666, "$work/a.txt";
    show($s, 'put copy_perm under umask 027', $s->put("$work/a.txt", 'd/u.txt'));
    printf "stat d/u.txt: perm %o\n", $s->stat('d/u.txt')->perm;
    show($s, 'put late_set_perm', $s->put("$work/a.txt", 'd/l.txt', late_set_perm => 1));
    printf "stat d/l.txt: perm %o\n", $s->stat('d/l.txt')->perm;
    umask 022;
}
show($s, 'put atomic', $s->put("$work/a.txt", 'd/atomic.txt', atomic => 1));
show($s, 'put into a new path (mkpath)', $s->put("$work/a.txt", 'new/deep/a.txt'));
show($s, 'put mkpath => 0', $s->put("$work/a.txt", 'other/deep/a.txt', mkpath => 0));
show($s, 'put permission denied', $s->put("$work/a.txt", 'locked/x.txt'));
spew("$work/r.txt", "0123456789" x 50);
show($s, 'put_content partial', $s->put_content("0123456789" x 20, 'd/r.txt'));
show($s, 'put resume', $s->put("$work/r.txt", 'd/r.txt', resume => 1));
print 'resumed content ok: ', ($s->get_content('d/r.txt') eq slurp("$work/r.txt") ? 1 : 0), "\n";
spew("$work/1m.bin", 'x' x (1024 * 1024));
{
    local $SIG{__WARN__} = sub { print "warn: $_[0]" };
    show($s, 'put onto a full disk', $s->put("$work/1m.bin", 'full/big.bin'));
    show($s, 'put atomic onto a full disk', $s->put("$work/1m.bin", 'full/big2.bin', atomic => 1));
}
# the real put leaves its partial file at the target (the bridge's never does): not compared
{ local $s->{_autodie}; $s->remove('full/big.bin'); $s->_clear_error_and_status if $s->can('_clear_error_and_status') }
my $uni = "Résumé à l'été 2024.txt";
show($s, 'put unicode and spaces', $s->put("$work/a.txt", "d/$uni"));

# --- conversion (CR LF split across the bridge's 1 MiB chunks, a CR at the very end)
spew("$work/dos.txt", ("x" x (1024 * 1024 - 1)) . "\r\nline\r\nlast\r");
show($s, 'put dos2unix', $s->put("$work/dos.txt", 'd/unix.txt', conversion => 'dos2unix'));
printf "unix.txt: %d bytes, %d CR\n", $s->stat('d/unix.txt')->size, ($s->get_content('d/unix.txt') =~ tr/\r//);
show($s, 'get unix2dos', $s->get('d/unix.txt', "$work/dos.back", conversion => 'unix2dos'));
printf "dos.back: %d bytes\n", -s "$work/dos.back";
show($s, 'get with a code ref', $s->get('d/c.txt.none', "$work/x", conversion => sub { $_[0] =~ tr/a-z/A-Z/ }));
show($s, 'put_content dos2unix', $s->put_content("a\r\nb\r\n", 'd/pc.txt', conversion => 'dos2unix'));
print 'pc.txt: ', join(',', map { ord } split //, $s->get_content('d/pc.txt')), "\n";

# --- content
show($s, 'put_content', $s->put_content("line 1\nline 2\0\n", 'd/c.bin'));
my $c = $s->get_content('d/c.bin');
print 'get_content: ', join(',', map { ord } split //, $c), "\n";
show($s, 'get_content missing', $s->get_content('d/none'));
show($s, 'get_content denied', $s->get_content('secret.txt'));

# --- get
show($s, 'get', $s->get('d/a.txt', "$work/got.txt"));
printf "got.txt: %d bytes mode %s mtime %d\n", -s "$work/got.txt", lmode("$work/got.txt"), (stat "$work/got.txt")[9];
show($s, 'get missing', $s->get('d/none', "$work/none.got"));
print 'missing left a file: ', (-e "$work/none.got" ? 1 : 0), "\n";
show($s, 'get overwrite=>0 existing', $s->get('d/a.txt', "$work/got.txt", overwrite => 0));
show($s, 'get copy_perm => 0 copy_time => 0', $s->get('d/b.txt', "$work/got2.txt", copy_perm => 0, copy_time => 0));
printf "got2.txt mode %s\n", lmode("$work/got2.txt");
show($s, 'get denied', $s->get('secret.txt', "$work/secret.got"));
print 'denied left a file: ', (-e "$work/secret.got" ? 1 : 0), "\n";
show($s, 'get unicode', $s->get("d/$uni", "$work/$uni"));
show($s, 'get into a missing local dir', $s->get('d/a.txt', "$work/ldir/sub/a.txt"));

# --- listings
my $ls = $s->ls('d');
print 'ls d (sorted): ', join(',', sort map { $_->{filename} } @$ls), "\n";
print 'ls d entry has a: ', ref($ls->[0]{a}), "\n";
print 'ls names_only ordered: ', names($s->ls('d', names_only => 1, ordered => 1)), "\n";
print 'ls wanted regex: ', names($s->ls('d', wanted => qr/^a/, ordered => 1)), "\n";
print 'ls no_wanted: ', names($s->ls('d', no_wanted => qr/^\./, ordered => 1)), "\n";
print 'ls wanted sub: ', names($s->ls('d', wanted => sub { $_[1]{a}->size > 500 }, ordered => 1, names_only => 1)), "\n";
show($s, 'ls missing', $s->ls('nope'));
print 'ls longname of a.txt: ', mask((grep { $_->{filename} eq 'a.txt' } @$ls)[0]{longname}), "\n";
my @g = $s->glob('d/*.txt', names_only => 1);
print 'glob d/*.txt: ', join(',', sort @g), "\n";
my $gc = $s->glob('d/*.txt');
print "glob count: $gc\n";
print 'glob d/{a,b}.txt ordered: ', join(',', map { $_->{filename} } $s->glob('d/{a,b}.txt', ordered => 1)), "\n";
print 'find ordered names_only: ', join(',', $s->find('.', ordered => 1, names_only => 1, no_wanted => qr/secret|locked/)), "\n";
my $fc = $s->find('d', wanted => sub { $_[1]{filename} =~ /\.txt$/ });
print "find count: $fc\n";

# --- renames, removes, attributes
show($s, 'rename onto existing', $s->rename('d/b.txt', 'd/a.txt'));
show($s, 'rename overwrite', $s->rename('d/b.txt', 'd/a.txt', overwrite => 1));
show($s, 'rename missing', $s->rename('d/none', 'd/x'));
my $num;
show($s, 'rename numbered', $s->rename('d/u.txt', 'd/a.txt', numbered => \$num));
print "renamed to $num\n";
show($s, 'remove', $s->remove('d/l.txt'));
show($s, 'remove missing', $s->remove('d/l.txt'));
show($s, 'remove denied', $s->remove('locked/keep.txt'));
my $at = Net::SFTP::Foreign::Attributes->new;
$at->set_perm(0604);
show($s, 'setstat perm', $s->setstat('d/a.txt', $at));
printf "perm now %o\n", $s->stat('d/a.txt')->perm;
show($s, 'setstat missing', $s->setstat('d/none', $at));
show($s, 'chmod', $s->chmod('d/atomic.txt', 0640));
my $la = $s->lstat('d');
printf "lstat d: dir %d\n", (($la->perm & 0170000) == 0040000 ? 1 : 0);
show($s, 'lstat missing', $s->lstat('nope'));
print 'realpath d/../d: ', ($s->realpath('d/../d') =~ m{/root/d$} ? 'ok' : $s->realpath('d/../d')), "\n";

# --- symlinks
show($s, 'symlink', $s->symlink('d/link.txt', 'a.txt'));
show($s, 'symlink onto existing', $s->symlink('d/link.txt', 'b.txt'));
show($s, 'readlink', $s->readlink('d/link.txt'));
print 'readlink value: ', $s->readlink('d/link.txt'), "\n";
show($s, 'readlink of a file', $s->readlink('d/a.txt'));
printf "lstat link: %o\n", $s->lstat('d/link.txt')->perm & 0170000;
print 'ls follow_links: ', join(',', map { sprintf '%s:%o', $_->{filename}, $_->{a}->perm & 0170000 } @{ $s->ls('d', wanted => qr/^link/, follow_links => 1) }), "\n";
show($s, 'symlink in a missing dir', $s->symlink('nope/l', 'x'));

# --- cwd
show($s, 'setcwd d', ($s->setcwd('d') ? 1 : undef));
print 'cwd ends in /d: ', ($s->cwd =~ m{/root/d$} ? 1 : 0), "\n";
show($s, 'stat relative to cwd', $s->stat('a.txt'));
show($s, 'setcwd missing', $s->setcwd('nope'));
show($s, 'setcwd to a file', $s->setcwd('a.txt'));
show($s, 'remove missing under cwd', $s->remove('zz'));
(my $e = $s->error) =~ s{'/\S*/root}{'ROOT}g;
print "error names the absolute path: $e\n";
$s->setcwd(undef);

# --- rput / rget
mkdir "$work/tree"; mkdir "$work/tree/sub";
spew("$work/tree/one", "1\n"); spew("$work/tree/sub/two", "22\n"); spew("$work/tree/sub/three", "333\n");
print 'rput: ', $s->rput("$work/tree", 'rtree'), "\n";
print 'rget: ', $s->rget('rtree', "$work/back"), "\n";
print 'rget content: ', slurp("$work/back/sub/three");

# --- die_on_error, autodie
$s->remove('nope');
eval { $s->die_on_error('cleaning up'); 1 } or print "die_on_error: $@";
{
    my $d = Net::SFTP::Foreign->new(%base, autodie => 1);
    eval { $d->stat('nope'); 1 } or print "autodie stat: $@";
    eval { $d->put("$work/none", 'x'); 1 } or print "autodie put: $@";
    print 'autodie get ok: ', ($d->get('d/a.txt', "$work/ad.txt") ? 1 : 0), "\n";
}
# timeout: the server stops answering (its session processes stopped)
{
    my $t = Net::SFTP::Foreign->new(%base, timeout => 2);
    show($t, 'new timeout => 2', 1);
    show($t, 'stat before the stall', ($t->stat('.') ? 1 : undef));
    open my $pf, '<', "$sd/sshd.pid" or die;
    my $listener = <$pf> + 0;
    my @kids = children($listener);
    my @all = (@kids, map { children($_) } @kids);
    kill 'STOP', @all;
    show($t, 'stat while the server is stopped', $t->stat('.'));
    kill 'CONT', @all;
    show($t, 'stat after the stall', $t->stat('.'));
}
show($s, 'disconnect', $s->disconnect);
show($s, 'stat after disconnect', $s->stat('d'));
print "end\n";
