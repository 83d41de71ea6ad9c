#!/usr/bin/perl
# Every public method of the real Excel::Writer::XLSX (Workbook, Worksheet, Format, Chart,
# Chartsheet) and every function of its Utility exists in the shim, and none is a stub: a method
# whose body only returns a constant (where the real one does more), or that warns "not supported
# ... ignored", fails. A method the bridge cannot do must die saying so (that is not a stub).
# The constructors of the classes the workbook makes (Worksheet, Chart, Chartsheet: new, factory)
# are the real module's internals, not methods a script calls.
use strict;
use warnings;
use Test::More;
use lib do { (my $d = __FILE__) =~ s{[^/]+$}{lib}; $d };
use BridgeTest;
use B::Deparse ();

BEGIN { $ENV{CPAN_BRIDGE_EXCEL_WRITER} = 'xlsx' }
BridgeTest::setup();

my %CLASSES = (
    'Excel::Writer::XLSX::Workbook'   => 'Excel::Writer::XLSX::Workbook',
    'Excel::Writer::XLSX::Worksheet'  => 'Excel::Writer::XLSX::Worksheet',
    'Excel::Writer::XLSX::Format'     => 'Excel::Writer::XLSX::Format',
    'Excel::Writer::XLSX::Chart'      => 'Excel::Writer::XLSX::Chart',
    'Excel::Writer::XLSX::Chartsheet' => 'Excel::Writer::XLSX::Chartsheet',
);

# The real module's public methods: subs defined in each package itself (not imported), not _private.
my $lister = <<'PERL';
use strict; use B (); use B::Deparse ();
my $dp = B::Deparse->new;
use Excel::Writer::XLSX; use Excel::Writer::XLSX::Chartsheet; use Excel::Writer::XLSX::Utility;
for my $pkg (qw(Excel::Writer::XLSX::Workbook Excel::Writer::XLSX::Worksheet Excel::Writer::XLSX::Format
                Excel::Writer::XLSX::Chart Excel::Writer::XLSX::Chartsheet)) {
    no strict 'refs';
    for my $name (sort keys %{"${pkg}::"}) {
        next if $name =~ /^_/ || $name =~ /^[A-Z_]+$/ || !defined &{"${pkg}::$name"};
        next if B::svref_2object(\&{"${pkg}::$name"})->GV->STASH->NAME ne $pkg;
        next if ($name eq 'new' && $pkg ne 'Excel::Writer::XLSX::Workbook') || $name eq 'factory';
        # whether the real body is itself empty (a method kept for compatibility)
        (my $body = $dp->coderef2text(\&{"${pkg}::$name"})) =~ s/^\s*(?:use|no|package) [^;]*;\s*$//mg;
        print "$pkg $name ", ($body =~ /^\s*\{\s*\}\s*$/s ? 1 : 0), "\n";
    }
}
print "Excel::Writer::XLSX::Utility $_ 0\n" for sort @Excel::Writer::XLSX::Utility::EXPORT, @Excel::Writer::XLSX::Utility::EXPORT_OK;
PERL

my ($out, $err, $rc) = BridgeTest::run_perl_real($lister);
plan skip_all => "the real Excel::Writer::XLSX is not installed ($err)" if $rc;
my @methods = map { [ split ' ' ] } grep { /\S/ } split /\n/, $out;
cmp_ok(scalar @methods, '>', 150, 'the real module lists its public methods');

require Excel::Writer::XLSX;
require Excel::Writer::XLSX::Chartsheet;
require Excel::Writer::XLSX::Utility;

my $deparse = B::Deparse->new;
for my $m (@methods) {
    my ($pkg, $name, $real_empty) = @$m;
    my $code;
    if ($pkg eq 'Excel::Writer::XLSX::Utility') {
        no strict 'refs';
        $code = defined &{"Excel::Writer::XLSX::Utility::$name"} ? \&{"Excel::Writer::XLSX::Utility::$name"} : undef;
    }
    else {
        $code = $CLASSES{$pkg}->can($name);
    }
    ok($code, "$pkg\::$name exists in the shim") or next;
    my $body = $deparse->coderef2text($code);
    $body =~ s/^\s*(?:use|no) [^;]*;\s*$//mg;
    $body =~ s/^\s*package [^;]*;\s*$//mg;
    my $stub = (!$real_empty && $body =~ /^\s*\{\s*(?:return\s*)?(?:0|1|undef|''|\(\))?;?\s*\}\s*$/s)
        || $body =~ /_unsupported|not supported[^']*; ignored/;
    ok(!$stub, "$pkg\::$name is not a stub") or diag $body;
}

done_testing;
