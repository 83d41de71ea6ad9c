package BridgeTest::Fidelity;

# Fidelity tests: one scenario script run through the real DBI + DBD drivers (Debian's; perl/lib
# and perl/compat not in @INC) and through the bridge (real DBI hidden), each in its own perl.
# The scenario records every call with S/L/V (see prelude()): return value, fetched structure,
# die/warn text, $DBI::err/errstr/state, serialised with Data::Dumper; compare() checks them
# label by label. Used by 70-dbi-fidelity.t and 71-dbi-complete.t.

use strict;
use warnings;
use Test::More;
use BridgeTest;

our %REAL_ENV = (PERL5LIB => undef, PERL5OPT => undef);

# The scenario's opening: norm(), rec(), S (scalar context), L (list), V (a value).
sub prelude {
    return <<'PRELUDE';
use strict;
use warnings;
use DBI qw(:sql_types);
use Data::Dumper;
use Scalar::Util ();

my ($dir) = (shift(@ARGV) // die "usage: scenario.pl DIR\n") =~ /\A(.*)\z/s;    # untainted (perl -T)
chdir $dir or die "chdir $dir: $!";
binmode STDOUT;
print "INC $INC{q{DBI.pm}}\n";

my @LOG;

# Normalise a value for comparison: handles become their class, strings with
# non-ASCII characters carry their UTF-8 flag.
sub norm {
    my ($v, $seen) = @_;
    $seen ||= {};
    return undef unless defined $v;
    if (my $r = ref $v) {
        return "<$r>" if Scalar::Util::blessed($v);
        return '<cycle>' if $seen->{ Scalar::Util::refaddr($v) }++;
        return [ map { norm($_, $seen) } @$v ] if $r eq 'ARRAY';
        return { map { ($_ => norm($v->{$_}, $seen)) } keys %$v } if $r eq 'HASH';
        return \(norm($$v, $seen)) if $r eq 'SCALAR' || $r eq 'REF';
        return "<$r>";
    }
    return (utf8::is_utf8($v) ? 'U8:' : 'B:') . $v if $v =~ /[^\x00-\x7f]/;
    return $v;
}

# Run a call in list or scalar context; record its result, the die/warn texts
# and $DBI::err/errstr/state afterwards.
sub rec {
    my ($label, $ctx, $code) = @_;
    my @w;
    local $SIG{__WARN__} = sub { push @w, $_[0] };
    my @r;
    my $ok = eval {
        if ($ctx eq 'list') { @r = $code->() }
        else { $r[0] = scalar $code->() }
        1;
    };
    my $die = $ok ? undef : $@;
    s/\(0x[0-9a-f]+\)/(0xADDR)/g for @w;
    push @LOG, [ $label, {
        ($ctx eq 'list' ? (list => norm(\@r)) : (scalar => norm($r[0]))),
        (defined $die ? (die => $die) : ()),
        (@w ? (warn => [@w]) : ()),
        dbi => [ $DBI::err, $DBI::errstr, $DBI::state ],
    } ];
    return wantarray ? @r : $r[0];
}
sub S { rec($_[0], 'scalar', $_[1]) }
sub L { rec($_[0], 'list', $_[1]) }
sub V { my ($label, $v) = @_; push @LOG, [ $label, { value => norm($v) } ]; $v }
PRELUDE
}

# The scenario's end: every record printed as "== label\n  dump".
sub epilogue {
    return <<'EPILOGUE';
local $Data::Dumper::Sortkeys = 1;
local $Data::Dumper::Useqq = 1;
local $Data::Dumper::Indent = 1;
local $Data::Dumper::Terse = 1;
for my $e (@LOG) {
    my $d = Dumper($e->[1]);
    $d =~ s/\n/\n  /g;
    print "== $e->[0]\n  $d\n";
}
print "== END\n";
EPILOGUE
}

# Runs the scenario body (between prelude and epilogue) on both sides; -> ($real_out, $bridge_out).
# taint => 1 runs both with perl -T (libraries as -I, the DBI-hiding hook as -M: taint mode
# reads neither PERL5LIB nor PERL5OPT).
sub run_both {
    my ($body, %opt) = @_;
    my $tmp = File::Temp::tempdir('fid-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $script = BridgeTest::write_file("$tmp/scenario.pl", prelude() . $body . epilogue());
    mkdir "$tmp/$_" or die for qw(real bridge);
    my @t = $opt{taint} ? ('-T') : ();
    my ($real_out, $real_err, $real_rc) = BridgeTest::run_command([$^X, @t, $script, "$tmp/real"], \%REAL_ENV, timeout => 120);
    is $real_rc, 0, 'scenario ran on the real DBI' or diag $real_err;
    unlike $real_out, qr{^INC \S*perl/compat/}m, 'real half did not load the shim';
    BridgeTest::start_daemon() unless BridgeTest::daemon_pid() && BridgeTest::alive(BridgeTest::daemon_pid());
    my @inc = $opt{taint} ? ((map { "-I$_" } split /:/, BridgeTest::perl5lib()), '-MBridgeTest::HideDBI') : ();
    my ($br_out, $br_err, $br_rc) = BridgeTest::run_command([$^X, @t, @inc, $script, "$tmp/bridge"], {}, timeout => 300);
    is $br_rc, 0, 'scenario ran on the bridge' or diag $br_err;
    like $br_out, qr{^INC \S*perl/compat/DBI\.pm\n}, 'bridge half loaded perl/compat/DBI.pm';
    return ($real_out, $br_out);
}

# Compares the two outputs label by label; %$deliberate: label => why a difference is kept.
sub compare {
    my ($real_out, $br_out, $deliberate) = @_;
    $deliberate ||= {};
    my ($real, $order) = entries($real_out);
    my ($br) = entries($br_out);
    ok exists $real->{END} && exists $br->{END}, 'both halves ran to the end';
    for my $label (@$order) {
        if (my $why = $deliberate->{$label}) {
            note "$label: deliberate difference: $why";
            next;
        }
        my $got = $br->{$label};
        if (!defined $got) { fail "$label: missing on the bridge"; next }
        is $got, $real->{$label}, "same result: $label" or diag diff_text($real->{$label}, $got);
    }
    for my $label (sort keys %$br) {
        fail "$label: only on the bridge" unless exists $real->{$label} || $deliberate->{$label};
    }
    return scalar @$order;
}

sub entries {
    my ($text) = @_;
    my (%e, @order);
    for my $chunk (split /^== /m, $text) {
        next unless $chunk =~ s/^(\S+)\n//;
        push @order, $1;
        $e{$1} = $chunk;
    }
    return (\%e, \@order);
}

sub diff_text {
    my ($a, $b) = @_;
    my @a = split /\n/, $a;
    my @b = split /\n/, $b;
    my %in_b = map { $_ => 1 } @b;
    my %in_a = map { $_ => 1 } @a;
    return join "\n", 'real DBI vs bridge:', (map { "- $_" } grep { !$in_b{$_} } @a), (map { "+ $_" } grep { !$in_a{$_} } @b);
}

1;
