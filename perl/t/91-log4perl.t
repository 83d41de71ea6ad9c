#!/usr/bin/perl
# Log::Log4perl on the bridge against the real Log::Log4perl 1.57 (and Log::Dispatch::FileRotate),
# byte for byte: a matrix of configurations (every specifier, widths, categories, thresholds,
# additivity, filters, MDC/NDC, config syntax, File options, easy_init forms, size rotation), the
# screen interleaved with the script's prints and warns, die/warn texts; the files, their names
# and modes. Clock and pid fixed by the script (perl/t/log4perl/cases.pl).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Log::Log4perl 1.57; use Log::Dispatch::FileRotate; print 1;\n"))[0];
plan skip_all => 'the real Log::Log4perl 1.57 and Log::Dispatch::FileRotate are not installed (liblog-log4perl-perl, liblog-dispatch-filerotate-perl)' unless $real_ok;

sub tree {
    my ($dir) = @_;
    my %t;
    my $walk;
    $walk = sub {
        my ($d, $rel) = @_;
        opendir my $dh, $d or die "$d: $!";
        for my $f (sort grep { !/^\.\.?$/ } readdir $dh) {
            my $p = "$d/$f";
            my $r = length $rel ? "$rel/$f" : $f;
            my $mode = sprintf '%04o', (stat $p)[2] & 07777;
            if (-d $p) { $t{"$r/"} = "dir $mode"; $walk->($p, $r) }
            else { ($t{$r} = "mode $mode\n" . BridgeTest::read_file($p)) =~ s/=HASH\(0x[0-9a-f]+\)/=HASH(ADDR)/g }    # %T prints a reference
        }
    };
    $walk->($dir, '');
    return \%t;
}

my $script = "$FindBin::Bin/log4perl/cases.pl";
my $work = BridgeTest::work();
mkdir "$work/real"; mkdir "$work/bridge";
my ($rout, $rerr, $rrc) = BridgeTest::run_script($script, { PERL5LIB => undef, PERL5OPT => undef }, args => ["$work/real"], timeout => 60);
my ($bout, $berr, $brc) = BridgeTest::run_script($script, {}, args => ["$work/bridge"], timeout => 60);
is($brc, $rrc, 'exit code');
is($berr, $rerr, 'stderr (empty: the script sends it to stdout)');
$rout =~ s{\Q$work\E/real}{WORK}g;
$bout =~ s{\Q$work\E/bridge}{WORK}g;
# warnings raised inside the module name its own file (the shim is not at /usr/share/perl5/Log/Log4perl/...)
s{ at (?!\S*cases\.pl)/\S+ line \d+}{ at MODULE line N}g for $rout, $bout;
my @r = split /\n/, $rout, -1;
my @b = split /\n/, $bout, -1;
is(scalar @b, scalar @r, 'as many output lines (screen, prints, warns) as the real module');
my @diff = grep { ($r[$_] // '') ne ($b[$_] // '') } 0 .. $#r;
is(scalar @diff, 0, 'every output line equal, in the same order') or diag(join "\n", map { "line $_\nreal:   $r[$_]\nbridge: " . ($b[$_] // '(none)') } @diff[0 .. ($#diff < 6 ? $#diff : 5)]);
like($rout, qr/== errors.*done/s, 'the script ran to its end');

my $rt = tree("$work/real");
my $bt = tree("$work/bridge");
delete $rt->{$_} for grep { /\.LCK$/ } keys %$rt;    # FileRotate's lock file (removed at exit when it can)
is_deeply([sort keys %$bt], [sort keys %$rt], 'the same files and directories');
for my $f (sort keys %$rt) {
    is($bt->{$f}, $rt->{$f}, "$f: same bytes and mode");
}
cmp_ok(scalar(keys %$rt), '>=', 25, 'the matrix wrote its files');

done_testing;
