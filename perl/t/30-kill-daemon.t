#!/usr/bin/perl
# A `use DBI;` script reads 1,000 rows from SQLite while the test SIGKILLs the
# daemon three times at different points. The script must print every row
# exactly once, in order, and exit 0 (reconnect, autostart, resend, cursor
# rehydration).
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
my $db = "$work/kill.db";

# data, prepared with the bridge itself
{
    my ($out, $err, $rc) = BridgeTest::run_perl(<<"EOF");
use DBI;
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1 });
\$dbh->do('CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)');
\$dbh->begin_work;
my \$s = \$dbh->prepare('INSERT INTO r (id, v) VALUES (?, ?)');
\$s->execute(\$_, "value \$_") for 1 .. 1000;
\$dbh->commit;
\$dbh->disconnect;
print "ready\\n";
EOF
    is $out, "ready\n", 'data loaded' or diag $err;
}

my $script = BridgeTest::write_file("$home/reader.pl", <<"EOF");
use strict;
use warnings;
use DBI;
use Time::HiRes qw(sleep);
\$| = 1;
die "wrong DBI: \$INC{'DBI.pm'}" unless \$INC{'DBI.pm'} =~ m{/perl/compat/DBI\\.pm\$};
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1 });
my \$sth = \$dbh->prepare('SELECT id, v FROM r ORDER BY id');
\$sth->execute;
while (my \@row = \$sth->fetchrow_array) {
    print join("\\t", \@row), "\\n";
    sleep 0.003;
}
\$dbh->disconnect;
print "done\\n";
exit 0;
EOF

my $first = BridgeTest::start_daemon();
ok $first, "daemon $first running";

my ($pid, $fh) = BridgeTest::spawn_script($script, { CPAN_BRIDGE_PREFETCH => 25, CPAN_BRIDGE_RECONNECT_TIMEOUT => 20 });
my %kill_at = (1 => 1, 333 => 1, 777 => 1);    # after these many rows were printed
my @lines;
my @killed;
my $deadline = time + 50;
my $daemon = $first;
local $SIG{ALRM} = sub { die "timeout\n" };
alarm 55;
while (my $l = <$fh>) {
    push @lines, $l;
    if ($kill_at{ scalar @lines }) {
        # the previous kill must have been recovered from (a new daemon serves)
        my $now = BridgeTest::wait_new_daemon(@killed ? $killed[-1] : undef, 20) || $daemon;
        kill 'KILL', $now;
        push @killed, $now;
    }
    last if time > $deadline;
}
close $fh;
my $rc = $? >> 8;
alarm 0;

is scalar(@killed), 3, 'daemon killed three times';
my %uniq = map { $_ => 1 } @killed;
is scalar(keys %uniq), 3, 'three different daemon processes were killed';
is $rc, 0, 'script exited 0';
is $lines[-1], "done\n", 'script finished';
pop @lines if @lines && $lines[-1] eq "done\n";
is scalar(@lines), 1000, '1000 rows printed';
my @expected = map { "$_\tvalue $_\n" } 1 .. 1000;
my $bad = 0;
for my $k (0 .. 999) {
    next if defined $lines[$k] && $lines[$k] eq $expected[$k];
    diag "row $k: got " . ($lines[$k] // 'undef') . " expected $expected[$k]" if $bad++ < 5;
}
is $bad, 0, 'every row exactly once, in order';
my $last = BridgeTest::daemon_pid();
ok !$uniq{$last}, "a new daemon ($last) serves at the end";

done_testing;
