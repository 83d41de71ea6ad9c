#!/usr/bin/perl
# Journaling overhead: the same state-creating and state-changing calls, one round trip each
# (CPANBridge::call waits for each reply), plus a pipelined run of cell writes
# (CPANBridge::send_async, as the Excel shim sends them) ended by flush.
#   calls.pl DB OUTDIR N NPIPE
use strict;
use warnings;
use Time::HiRes ();
use CPANBridge ();
my ($db, $dir, $n, $npipe) = @ARGV;
my $call = \&CPANBridge::call;
my $dbh = $call->('database', 'connect', { dsn => "dbi:SQLite:dbname=$db", attrs => { AutoCommit => \1 } })->{dbh};
my $wb = $call->('excel', 'new_workbook', { filename => "$dir/calls-$$.xlsx", cwd => $dir, options => {} })->{wb};
$call->('excel', 'add_worksheet', { wb => $wb, idx => 0, name => 'S' });
$call->('system', 'ping', {}) for 1 .. 50;    # warm up
my (@ping, @create, @mutate, @cell);
for my $i (1 .. $n) {
    my $t = Time::HiRes::time();
    $call->('system', 'ping', {});
    my $t1 = Time::HiRes::time();
    my $sth = $call->('database', 'prepare', { dbh => $dbh, sql => 'SELECT 1' })->{sth};    # create
    my $t2 = Time::HiRes::time();
    $call->('excel', 'call', { wb => $wb, target => { sheet => 0 }, method => 'set_zoom', args => [100 + $i % 50] });    # mutate
    my $t3 = Time::HiRes::time();
    $call->('excel', 'write_batch', { wb => $wb, cells => join("\x1f", 0, $i, 0, 'n', '', $i) });    # mutate (one cell)
    my $t4 = Time::HiRes::time();
    $call->('database', 'free', { sth => $sth });    # close (not timed)
    push @ping, ($t1 - $t) * 1e6;
    push @create, ($t2 - $t1) * 1e6;
    push @mutate, ($t3 - $t2) * 1e6;
    push @cell, ($t4 - $t3) * 1e6;
}
my $tp = Time::HiRes::time();
for my $i (1 .. $npipe) {
    CPANBridge::send_async('excel', 'write_batch', { wb => $wb, cells => join("\x1f", 0, $i, 1, 'n', '', $i) });
}
CPANBridge::flush();
my $pipe_us = (Time::HiRes::time() - $tp) * 1e6 / ($npipe || 1);
$call->('excel', 'close', { wb => $wb });
$call->('database', 'disconnect', { dbh => $dbh });
my $j = sub { join ',', map { sprintf '%.1f', $_ } @{ $_[0] } };
printf "BENCH {\"ping\":[%s],\"create\":[%s],\"mutate\":[%s],\"cell\":[%s],\"pipelined_us_per_call\":%.2f,\"codec\":\"%s\"}\n",
    $j->(\@ping), $j->(\@create), $j->(\@mutate), $j->(\@cell), $pipe_us, CPANBridge::Codec::backend();
