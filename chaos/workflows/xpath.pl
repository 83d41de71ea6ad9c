#!/usr/bin/perl
# Reading a partner configuration and rewriting it, as batch jobs do with XML::XPath: queries
# (node lists, typed values, namespaced attributes), setNodeText and createNode, the changed
# values read back, and the document written out to a file renamed into place.
# Usage: xpath.pl IN_FILE OUT_FILE
use strict;
use warnings;
use FindBin;
use XML::XPath;
use Digest::SHA ();
require "$FindBin::Bin/common.pl";
chaos_assert_shims('XML/XPath.pm');

my ($in, $out) = @ARGV;
my $xp = XML::XPath->new(filename => $in);
my @partners = $xp->findnodes('//partner');
print 'partners: ', scalar(@partners), "\n";
for my $p (@partners) {
    print join(' ', $p->getAttribute('id'), $p->findvalue('host'), $p->findvalue('ops:sla/@minutes')), "\n";
}
print 'total minutes: ', $xp->findvalue('sum(//ops:sla/@minutes)'), "\n";
print 'average: ', $xp->findvalue('sum(//ops:sla/@minutes) div count(//partner)'), "\n";
for my $i (1 .. @partners) {
    $xp->setNodeText("//partner[$i]/host", "host$i.internal");
    $xp->setNodeText("//partner[$i]/\@checked", 'yes');
}
$xp->createNode('/partners/partner[1]/contact/email');
$xp->setNodeText('/partners/partner[1]/contact/email', 'ops@example.com');
print 'hosts now: ', join(',', map { $_->string_value } $xp->findnodes('//host')), "\n";
print 'first partner: ', $partners[0]->toString, "\n";
my $doc = $xp->findnodes_as_string('/');
print 'checked: ', $xp->find('count(//partner[@checked="yes"])'), "\n";
# the document is let go (its dispose is the last request) and the file written after it: the
# daemon's after_reply crash point of that request fires while the script still works (the
# suite checks that every point fired)
@partners = ();
undef $xp;
open my $fh, '>:encoding(UTF-8)', "$out.part" or die "$out.part: $!\n";
print {$fh} $doc;
close $fh or die "close: $!\n";
rename "$out.part", $out or die "rename: $!\n";
open my $back, '<:raw', $out or die "$out: $!\n";
my $bytes = do { local $/; <$back> };
print 'written: ', length($bytes), ' bytes, sha256 ', Digest::SHA::sha256_hex($bytes), "\n";
