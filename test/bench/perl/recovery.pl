#!/usr/bin/perl
# Recovery: a job holding a connection with an open cursor and a workbook of CELLS cells. The
# daemon was started with CPAN_BRIDGE_CRASH_AT=database.fetch#1:before_journal, so the next
# cursor fetch is the request in flight when the daemon SIGKILLs itself. Measured from just
# before that request is sent to its successful reply (client reconnect, daemon autostart,
# lazy rehydration of connection + statement, re-execution skipping the delivered rows), then
# to the reply of the first workbook call (workbook rehydration).
#   recovery.pl DB OUTDIR CELLS
use strict;
use warnings;
use Time::HiRes ();
use DBI;
use Excel::Writer::XLSX;
use CPANBridge ();
my ($db, $dir, $cells) = @ARGV;
$CPANBridge::PREFETCH = 100;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
my $sth = $dbh->prepare('SELECT id, name, city, amount, qty, created FROM export ORDER BY id');
$sth->execute;
my $got = 0;
# 49 rows of the first batch of 100: the client reads the next batch ahead once half of the buffer
# is used, so the fetch request goes out at row 50 (after the clock starts, below)
$got++ while $got < 49 && $sth->fetchrow_arrayref;
my $wb = Excel::Writer::XLSX->new("$dir/recovery-$$.xlsx") or die;
my $ws = $wb->add_worksheet('R');
my $cols = 10;
for my $i (0 .. $cells - 1) { $ws->write(int($i / $cols), $i % $cols, $i % 3 ? $i : "s$i") }
$wb->_flush;
CPANBridge::flush();
my $pid = CPANBridge::daemon_pid();
my $t0 = Time::HiRes::time();
my $row;
$row = $sth->fetchrow_arrayref for 50 .. 101;    # the read-ahead fetch is in flight when the daemon dies
my $t1 = Time::HiRes::time();
die "fetch after recovery returned no row\n" unless $row;
die "fetch after recovery returned row $row->[0], expected 101\n" unless $row->[0] == 101;
my $info = CPANBridge::call('excel', 'info', { wb => $wb->{_wb} });
my $t2 = Time::HiRes::time();
die "workbook has $info->{cells} cells after recovery, expected $cells\n" unless $info->{cells} == $cells;
my $newpid = CPANBridge::daemon_pid();
die "the daemon did not restart\n" if !$newpid || $newpid == $pid;
$sth->finish;
$dbh->disconnect;
printf "BENCH {\"fetch_ms\":%.3f,\"workbook_ms\":%.3f,\"old_pid\":%d,\"new_pid\":%d,\"cells\":%d}\n",
    ($t1 - $t0) * 1000, ($t2 - $t0) * 1000, $pid, $newpid, $info->{cells};
$wb->close;
