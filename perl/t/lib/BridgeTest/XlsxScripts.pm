package BridgeTest::XlsxScripts;

# The scripts of the Excel comparison tests: the usual start of one (a workbook on $ARGV[0],
# warnings printed to stdout without their place, `show` printing return values), and the three
# checks of a script run with the real module and with the shim (same parts, same output, same
# stderr).
#
#   use BridgeTest::XlsxScripts qw(script_pre same_as_real);
#   same_as_real('name', $body);                          # workbook + one worksheet, then $body, then close
#   same_as_real('name', $body, pre => script_pre(new_options => '{ excel2003_style => 1 }', sheet => 0));
#   same_after_crashes($script, [ 'excel.call#2:before_journal', ... ]);   # the daemon killed at each point

use strict;
use warnings;
use Exporter 'import';
use Test::More ();
use BridgeTest ();
use BridgeTest::XlsxCompare qw(compare_with_real);

our @EXPORT_OK = qw(script_pre same_as_real same_after_crashes);

# before_sheet: code between new() and add_worksheet (set_optimization); sheet => 0: no worksheet
sub script_pre {
    my (%o) = @_;
    my $new = defined $o{new_options} ? "\$ARGV[0], $o{new_options}" : '$ARGV[0]';
    return join '', <<"PERL", ($o{before_sheet} // ''), (($o{sheet} // 1) ? "my \$worksheet = \$workbook->add_worksheet();\n" : ''), <<'PERL2';
use strict;
use warnings;
use Excel::Writer::XLSX;
local \$SIG{__WARN__} = sub { my \$m = shift; \$m =~ s/ at \\S+ line \\d+\\.?\\n//; print "warn: \$m\\n" };
my \$workbook = Excel::Writer::XLSX->new($new);
PERL
sub show { print join(',', map { defined $_ ? (ref $_ ? ref $_ : $_) : 'undef' } @_), "\n" }
PERL2
}

sub same_as_real {
    my ($name, $body, %o) = @_;
    my $r = compare_with_real(($o{pre} // script_pre()) . "$body\n\$workbook->close;\n", name => $name, %{ $o{compare} || {} });
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is_deeply($r->{diffs}, [], "$name: same parts");
    Test::More::is($r->{shim}{out}, $r->{real}{out}, "$name: same return codes and warnings");
    Test::More::is($r->{shim}{err}, $r->{real}{err}, "$name: same stderr");
    return $r;
}

# The whole script run once per crash point, with a daemon that kills itself there
# (CPAN_BRIDGE_CRASH_AT): $o{check}->($r, $point) asserts the outcome (default: the same parts as
# the real module's), then the daemon must have been restarted. A plain daemon is left running.
sub same_after_crashes {
    my ($script, $points, %o) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $check = $o{check} || sub { my ($r, $point) = @_; Test::More::is_deeply($r->{diffs}, [], "crash at $point: same parts") };
    for my $point (@$points) {
        BridgeTest::kill_daemon();
        { local $ENV{CPAN_BRIDGE_CRASH_AT} = $point; BridgeTest::start_daemon() }
        my $before = BridgeTest::daemon_pid();
        my $r = compare_with_real($script, name => "crash $point");
        $check->($r, $point);
        Test::More::isnt(BridgeTest::daemon_pid() // 0, $before, "crash at $point: the daemon was restarted");
    }
    BridgeTest::kill_daemon();
    BridgeTest::start_daemon();
}

1;
