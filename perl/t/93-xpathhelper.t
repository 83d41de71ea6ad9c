#!/usr/bin/perl
# XPathHelper, the predecessor's API on the xpath module: documents from a file and a string,
# node-sets, nodes copied eagerly with the predecessor's text rule, relative finds, its errors.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $work = BridgeTest::work();
BridgeTest::write_file("$work/cfg.xml", qq{<cfg><db host="h1" port="5"><name> sales </name></db><db host="h2"><x> a </x><y>b</y></db></cfg>\n});
my $code = <<'EOP';
use strict; use warnings; use XPathHelper;
my ($file) = @ARGV;
my $h = XPathHelper->new(filename => $file);
my $ns = $h->find('//db');
print "size ", $ns->size, " first [", $ns->string_value, "] ", ref($ns), "\n";
for my $n ($ns->get_nodelist) {
    my %a = $n->getAttributes;
    print join(' ', $n->getName, $n->getAttribute('host'), "[" . $n->string_value . "]", "[" . $n->toString . "]", $n->getNodeType,
        join(',', map { "$_=$a{$_}" } sort keys %a), $n->find('name')->size), "\n";
}
print "second ", $ns->get_node(2)->getAttribute('host'), " none ", (defined $ns->get_node(3) ? 'def' : 'undef'), "\n";
print "text ", $h->getNodeText($h->find('//name')->get_node(1)), " scalar ", $h->getNodeText('plain'), " root ", $h->getDocumentElement->getName, "\n";
my $s = XPathHelper->new(xml => '<a><b>1</b><b>2</b></a>');
print "xml ", $s->find('//b')->size, "\n";
eval { XPathHelper->new(xml => '<a>') }; print "bad xml: ", ($@ =~ /^ERROR: Unparsable XML String\n/ ? 'ok' : $@), "\n";
eval { XPathHelper->new(filename => "$file.nope") }; print "bad file: ", ($@ =~ /^ERROR: Unparsable Config File \[\Q$file\E.nope\]/ ? 'ok' : $@), "\n";
eval { XPathHelper->new() }; print "neither: ", ($@ =~ /filename or xml is required/ ? 'ok' : $@), "\n";
$h->dispose;
eval { $h->find('//db') }; print "disposed: ", ($@ =~ /disposed/ ? 'ok' : $@), "\n";
EOP
my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => ["$work/cfg.xml"]);
is($rc, 0, 'the XPathHelper script ran') or diag $err;
is($out, <<'EXP', 'XPathHelper answers as the predecessor did');
size 2 first [sales] XPathHelper::NodeSet
db h1 [sales] [sales] 1 host=h1,port=5 1
db h2 [ab] [ab] 1 host=h2 0
second h2 none undef
text sales scalar plain root cfg
xml 2
bad xml: ok
bad file: ok
neither: ok
disposed: ok
EXP
done_testing;
