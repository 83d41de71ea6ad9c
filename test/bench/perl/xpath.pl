#!/usr/bin/perl
# A large document through XML::XPath (the real module or the bridge's shim, by PERL5LIB): parse
# at the first query, then a few queries. Prints BENCH {json} with the times in milliseconds.
use strict;
use warnings;
use Time::HiRes ();
use JSON::PP ();
use XML::XPath;

my ($file) = @ARGV;
my $t0 = Time::HiRes::time();
my $xp = XML::XPath->new(filename => $file);
my $count = $xp->findvalue('count(//order)');
my $t1 = Time::HiRes::time();
my $one = $xp->findvalue('//order[@id="o1234"]/amount');
my $t2 = Time::HiRes::time();
my $done = $xp->findvalue('count(//order[@status="done"])');
my $t3 = Time::HiRes::time();
print 'BENCH ', JSON::PP->new->canonical->encode({
    orders => "$count", amount => "$one", done => "$done",
    parse_ms => ($t1 - $t0) * 1000, lookup_ms => ($t2 - $t1) * 1000, filter_ms => ($t3 - $t2) * 1000,
}), "\n";
