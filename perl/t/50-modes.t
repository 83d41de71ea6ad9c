#!/usr/bin/perl
# The same `use DBI;` script gives identical output in daemon mode, in process
# mode (CPAN_BRIDGE_DAEMON=0) and when the daemon is killed mid-script and
# cannot be restarted (CPAN_BRIDGE_AUTOSTART=0 + short reconnect timeout ->
# fallback to process mode, same session, handles rehydrated from the journal).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Time::HiRes qw(time sleep);

my $home = BridgeTest::home();
my $work = BridgeTest::work();

my $script = BridgeTest::write_file("$home/job.pl", <<'EOF2');
use strict;
use warnings;
use DBI;
use Time::HiRes qw(sleep);
$| = 1;
my ($db, $go) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do("CREATE TABLE job (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
my $ins = $dbh->prepare('INSERT INTO job (name, note) VALUES (?, ?)');
print "insert: ", $ins->execute("n$_", "line1\nline2\t$_"), "\n" for 1 .. 5;
my $sth = $dbh->prepare('SELECT id, name, note FROM job ORDER BY id');
$sth->execute;
my @first = $sth->fetchrow_array;
print "first: @first[0,1]\n";
print "phase1\n";
# wait for the test (it may kill the daemon now)
for (1 .. 500) { last if -e $go; sleep 0.01 }
while (my $r = $sth->fetchrow_arrayref) {
    my @r = @$r;
    $r[2] =~ s/\n/\\n/g; $r[2] =~ s/\t/\\t/g;
    print "row: @r\n";
}
print "update: ", $dbh->do("UPDATE job SET note = 'x' WHERE id > 3"), "\n";
print "none: ", $dbh->do("DELETE FROM job WHERE id > 100"), "\n";
eval { $ins->execute('n1', 'dup') };
print "error: $@";
print "err: ", $ins->err, " state: ", $ins->state, "\n";
$dbh->begin_work;
$dbh->do("INSERT INTO job (name) VALUES ('tx')");
$dbh->rollback;
print "count: ", scalar $dbh->selectrow_array('SELECT count(*) FROM job'), "\n";
print "hash: ", join(',', map { "$_->{id}=$_->{name}" } @{ $dbh->selectall_arrayref('SELECT id, name FROM job WHERE id < 3', { Slice => {} }) }), "\n";
$dbh->disconnect;
print "done\n";
print STDERR "MODE=", CPANBridge::mode(), "\n";
EOF2

sub run_mode {
    my ($tag, $env, $on_phase1) = @_;
    my $db = "$work/$tag.db";
    my $go = "$home/$tag.go";
    BridgeTest::write_file($go, '') unless $on_phase1;
    my $errf = "$home/$tag.err";
    my $pid = open(my $fh, '-|') // die;
    if (!$pid) {
        %ENV = (%ENV, %$env);
        open STDERR, '>', $errf;
        exec $^X, $script, $db, $go or POSIX::_exit(127);
    }
    my $out = '';
    local $SIG{ALRM} = sub { kill 'KILL', $pid; die "timeout in $tag\n" };
    alarm 50;
    while (my $l = <$fh>) {
        $out .= $l;
        if ($l eq "phase1\n" && $on_phase1) { $on_phase1->(); BridgeTest::write_file($go, '') }
    }
    close $fh;
    my $rc = $? >> 8;
    alarm 0;
    my $err = do { open my $e, '<', $errf; local $/; <$e> // '' };
    return ($out, $err, $rc);
}

BridgeTest::start_daemon();
my ($d_out, $d_err, $d_rc) = run_mode('daemon', {});
is $d_rc, 0, 'daemon mode: exit 0' or diag $d_err;
like $d_err, qr/MODE=daemon/, 'ran in daemon mode';
like $d_out, qr/^error: DBD::SQLite::st execute failed: UNIQUE constraint failed: job\.name at \Q$script\E line \d+\.$/m, 'error text';
like $d_out, qr/\ndone\n\z/, 'complete output';

# process mode runs against the journal itself: no daemon beside it
BridgeTest::run_cli('stop');
BridgeTest::kill_daemon();
my $t0 = time;
my ($p_out, $p_err, $p_rc) = run_mode('process', { CPAN_BRIDGE_DAEMON => 0 });
note sprintf 'process mode run: %.1fs', time - $t0;
is $p_rc, 0, 'process mode: exit 0' or diag $p_err;
like $p_err, qr/MODE=process/, 'ran in process mode';
is $p_out, $d_out, 'process mode output identical';

BridgeTest::start_daemon();
my $killed;
$t0 = time;
my ($f_out, $f_err, $f_rc) = run_mode('fallback',
    { CPAN_BRIDGE_AUTOSTART => 0, CPAN_BRIDGE_RECONNECT_TIMEOUT => 1 },
    sub { $killed = BridgeTest::kill_daemon() });
note sprintf 'fallback run: %.1fs', time - $t0;
ok $killed, "daemon $killed killed mid-script";
is $f_rc, 0, 'fallback: exit 0' or diag $f_err;
like $f_err, qr/MODE=process/, 'fell back to process mode';
is $f_out, $d_out, 'fallback output identical';

done_testing;
