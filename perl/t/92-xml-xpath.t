#!/usr/bin/perl
# XML::XPath on the bridge against the real XML::XPath 1.48, line for line: the corpus of
# expressions over varied documents (perl/t/xpath/corpus.pl: types, values, nodes in order,
# number formatting, namespaces, error texts), and the API surface (perl/t/xpath/surface.pl:
# constructors, NodeSet/node methods, setNodeText/createNode, parse errors).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use XML::XPath 1.48; print 1;\n"))[0];
plan skip_all => 'the real XML::XPath 1.48 is not installed (libxml-xpath-perl)' unless $real_ok;

my $dir = "$FindBin::Bin/xpath";
# known differences, documented in README (none in the corpus now)
my %KNOWN = map { $_ => 1 } ();

for my $script (qw(corpus.pl surface.pl)) {
    my ($rout, $rerr, $rrc) = BridgeTest::run_script("$dir/$script", { PERL5LIB => undef, PERL5OPT => undef }, dir => $dir);
    my ($bout, $berr, $brc) = BridgeTest::run_script("$dir/$script", {}, dir => $dir, timeout => 120);
    is($brc, $rrc, "$script: exit code") or diag $berr;
    # expat prints whatever follows the end of its buffer after "no element found": not comparable
    s/(no element found at line \d+, column \d+, byte -?\d+:)[^\n]*?( at \/usr\/)/$1 ...$2/g for $rout, $bout;
    my @r = split /\n/, $rout;
    my @b = split /\n/, $bout;
    is(scalar @b, scalar @r, "$script: as many lines as the real module");
    my @diff = grep { ($r[$_] // '') ne ($b[$_] // '') } 0 .. $#r;
    my @known = grep { $r[$_] =~ /^\d+ \[\w+\] (.*?) => / && $KNOWN{$1} } @diff;
    my %k = map { $_ => 1 } @known;
    my @bad = grep { !$k{$_} } @diff;
    is(scalar @bad, 0, "$script: every line equal (" . (@r - @diff) . " of " . scalar(@r) . ", known differences: " . scalar(@known) . ")")
        or diag(join "\n", map { "real:   $r[$_]\nbridge: " . ($b[$_] // '(none)') } @bad[0 .. ($#bad < 5 ? $#bad : 4)]);
    like($r[-1], qr/^(cases|done): \d+/, "$script: ran to its end with the real module");
}

done_testing;
