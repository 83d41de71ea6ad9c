#!/usr/bin/perl
# XML::XPath's API as scripts use it, printed line by line (run with the real module and on the
# bridge; the outputs must be equal): constructors, findnodes in list and scalar context,
# typed results and their overloading, NodeSet and node methods, changes, errors.
use strict;
use warnings;
use XML::XPath;
use XML::XPath::NodeSet;
binmode STDOUT, ':encoding(UTF-8)';
$SIG{__WARN__} = sub { };
my $n = 0;
sub out { $n++; my $s = join('', map { defined $_ ? $_ : 'U' } @_); $s =~ s/\n/\\n/g; print "$n $s\n" }
sub err { my $e = shift; $e =~ s/\n/\\n/g; $e }

my $xp = XML::XPath->new(filename => 'partner.xml');
out('ref new: ', ref $xp);
my @list = $xp->findnodes('//partner');
my $set = $xp->findnodes('//partner');
out('list: ', scalar(@list), ' scalar: ', ref($set), ' size ', $set->size);
out('empty list: ', scalar(my @e = $xp->findnodes('//nothing')), ' empty scalar: ', ref(scalar $xp->findnodes('//nothing')), ' ', $xp->findnodes('//nothing')->size);
out('findnodes of a value: ', scalar(my @v = $xp->findnodes('count(//partner)')), ' ', ref(scalar $xp->findnodes('1+1')));
for my $p (@list) {
    out('partner ', $p->getAttribute('id'), ' name=', $p->getAttribute('name'), ' missing=', $p->getAttribute('nope'),
        ' host=', $p->findvalue('host'), ' sla=', $p->findvalue('ops:sla/@minutes'), ' type=', $p->getNodeType,
        ' ', $p->getName, ' ', $p->getLocalName, ' [', $p->getPrefix, ']');
    out('  attrs: ', join(',', map { $_->getName . '=' . $_->getValue . '/' . $_->getNodeValue . '/' . ref($_) } $p->getAttributes));
    out('  children: ', join(',', map { ref($_) . ':' . ($_->getName // 'U') } $p->getChildNodes), ' n=', scalar(@{ $p->getChildNodes }));
    out('  parent: ', ref($p->getParentNode), ' ', $p->getParentNode->getName);
    out('  string_value: ', $p->string_value);
    out('  toString: ', $p->toString);
    out('  find: ', ref($p->find('host')), ' ', $p->find('host')->size, ' ', $p->find('count(*)'));
    out('  exists: ', $xp->exists('ops:sla', $p), ' ', $xp->exists('nothing', $p));
}
my $v = $xp->findvalue('count(//partner)');
out('findvalue count: ', ref($v), ' ', $v, ' +1=', $v->value + 1, ' bool=', ($v ? 'true' : 'false'), ' eq=', ($v == 2 ? 'y' : 'n'));
my $none = $xp->findvalue('//nothing');
out('findvalue none: ', ref($none), ' [', $none, '] defined=', defined($none) ? 1 : 0, ' true=', ($none ? 1 : 0), ' value=[', $none->value, ']');
my $all = $xp->findvalue('//host');
out('findvalue joined: ', ref($all), ' ', $all);
my $b = $xp->find('contains(//host, "acme")');
out('boolean: ', ref($b), ' [', $b, '] ', $b->to_literal, ' ', $b->to_number, ' ', ($b ? 'T' : 'F'));
my $lit = $xp->find('concat("a", "b")');
out('literal: ', ref($lit), ' ', $lit, ' ', $lit->value, ' ', ($lit eq 'ab' ? 'eq' : 'ne'), ' ', $lit->to_boolean->value, ' ', ref($lit->to_number), ' [', $lit->to_number->value, ']');
my $num = $xp->find('sum(//ops:sla/@minutes) div 7');
out('number: ', ref($num), ' ', $num, ' ', $num->value, ' ', $num->to_literal, ' ', $num->value * 7, ' ', ($num > 17 ? 'gt' : 'le'));
out('nan: [', $xp->find('number("x")'), '] ', $xp->find('number("x")')->to_literal, ' ', ref($xp->find('1 div 0')), ' ', $xp->find('1 div 0'));
# NodeSet methods
my $ns = $xp->find('//host | //ops:sla');
out('nodeset: size ', $ns->size, ' first ', $ns->get_node(1)->getName, ' last ', $ns->get_node($ns->size)->getName,
    ' beyond ', defined($ns->get_node(9)) ? 'def' : 'undef');
out('  string_value ', $ns->string_value, ' to_literal ', $ns->to_literal, ' to_number [', $ns->to_number->value, '] bool ', $ns->to_boolean->value);
out('  overloaded "', "$ns", '" ', ($ns ? 'true' : 'false'));
my $popped = $ns->pop; my $shifted = $ns->shift;
out('  pop ', $popped->getName, ' shift ', $shifted->getName, ' size ', $ns->size);
my $ns2 = $xp->find('//partner');
$ns->append($ns2); out('  append size ', $ns->size, ' ', join(',', map { $_->getName } $ns->get_nodelist));
$ns->push($shifted); $ns->sort; out('  sorted ', join(',', map { $_->getName } $ns->get_nodelist));
$ns->push($ns->get_node(1)); $ns->sort; out('  sorted with duplicate ', $ns->size);
my $empty = XML::XPath::NodeSet->new; out('  new empty ', $empty->size, ' [', $empty->string_value, '] ', $empty->to_boolean->value);
# node identity and matches
my ($p1) = $xp->findnodes('//partner[@id="p1"]');
out('matches: ', $xp->matches($p1, '//partner') ? 1 : 0, ' ', $xp->matches($p1, '//host') ? 1 : 0, ' same object: ', ($p1 == ($xp->findnodes('//partner'))[0]) ? 1 : 0);
# text and attribute nodes
my ($t) = $xp->findnodes('//partner[2]/note/text()');
out('text node: ', ref($t), ' ', $t->getNodeType, ' [', $t->getValue, '] [', $t->string_value, '] ', $t->toString, ' ', $t->getName);
my ($a) = $xp->findnodes('//partner[1]/@name');
out('attr node: ', ref($a), ' ', $a->getNodeType, ' ', $a->getName, ' ', $a->getValue, ' ', $a->toString, ' ', ref($a->getParentNode));
my ($sla) = $xp->findnodes('//ops:sla');
out('prefixed: ', $sla->getName, ' ', $sla->getLocalName, ' ', $sla->getPrefix, ' ', $sla->getNamespace->getValue, ' ', $sla->getNamespace->getPrefix, ' ', $sla->toString);
# getNodeText / findnodes_as_string / namespaces
out('getNodeText: ', $xp->getNodeText('//partner[1]/host'), ' ', ref($xp->getNodeText('//partner[1]/host')), ' ', $xp->getNodeText($p1));
out('as_string: ', $xp->findnodes_as_string('//host'), ' ', $xp->findnodes_as_string('count(//host)'));
$xp->set_namespace('o', 'urn:ops');
out('set_namespace: ', $xp->findvalue('//o:sla/@minutes'), ' ', $xp->find('//o:sla')->size);
$xp->clear_namespaces;
out('clear_namespaces: ', $xp->find('//o:sla')->size);
# changes
out('setNodeText: ', $xp->setNodeText('//partner[1]/host', 'new.host'), ' ', $xp->findvalue('//partner[1]/host'), ' ', $p1->findvalue('host'));
out('setNodeText attr: ', $xp->setNodeText('//partner[2]/@name', 'Acme & Co'), ' ', $xp->findvalue('//partner[2]/@name'));
out('setNodeText new attr: ', $xp->setNodeText('//partner[2]/@region', 'EU'), ' ', $xp->findvalue('//partner[2]/@region'), ' ', $xp->findnodes_as_string('//partner[2]/@*'));
out('setNodeText none: ', $xp->setNodeText('//nothing', 'x'));
my $made = $xp->createNode('/partners/partner[1]/contact/email');
out('createNode: ', ref($made), ' ', $made->getName, ' ', $xp->findnodes_as_string('//partner[1]/contact'));
out('createNode existing: ', $xp->createNode('/partners/partner[1]/host')->getName);
out('set new: ', $xp->setNodeText('/partners/partner[1]/contact/email', 'ops@example.com'), ' ', $xp->findvalue('//email'));
out('string after: ', $p1->string_value);
out('toString after: ', $p1->toString);
# other constructors
my $x2 = XML::XPath->new(xml => '<a><b>1</b><b>2</b></a>');
out('xml: ', $x2->findvalue('sum(//b)'));
my $x3 = XML::XPath->new('<a><c/></a>');
out('scalar xml: ', $x3->find('count(//c)'));
open my $fh, '<', 'partner.xml' or die;
my $x4 = XML::XPath->new(ioref => $fh);
out('ioref: ', $x4->findvalue('//partner[2]/@id'));
my $x5 = XML::XPath->new(context => $p1);
out('context: ', $x5->findvalue('host'), ' ', $x5->findvalue('@id'));
my $x6 = XML::XPath->new('latin1.xml');
out('filename, latin1: ', $x6->findvalue('//v'), ' ', $x6->findvalue('string-length(//v)'));
my $x7 = XML::XPath->new(xml => qq{<?xml version="1.0"?>\n<!DOCTYPE cfg [\n<!ENTITY host "db1.example">\n<!ENTITY who 'ops &amp; dev &#x263A;'>\n]>\n<cfg><h>&host;</h><w>&who;</w><a v="&host;:5432"/></cfg>\n});
out('DTD entities: ', $x7->findvalue('//h'), ' | ', $x7->findvalue('//w'), ' | ', $x7->findvalue('//a/@v'), ' | ', $x7->findnodes_as_string('/'), ' | ', $x7->find('count(/node())'));
# errors
out('missing file: ', err(eval { XML::XPath->new(filename => 'nope.xml'); 1 } ? 'none' : $@));
my $bad = XML::XPath->new(xml => "<a>\n<b>\n</a>\n");
out('new of bad xml: ', ref $bad);
out('first query of bad xml: ', err(eval { $bad->find('/a'); 1 } ? 'none' : $@));
out('again: ', err(eval { $bad->find('/a'); 1 } ? 'none' : $@));
for my $x ('<a x="1" x="2"/>', '<a><b></a>', '<a>', '<a/><b/>', '<a>&nope;</a>', "<a>\n<b x=1/>\n</a>\n", 'text only', "<a>\n  <b>x</b>\n<c>\n") {
    my $q = XML::XPath->new(xml => $x);
    out('parse error: ', err(eval { $q->find('/'); 1 } ? 'none' : $@));
}
out('empty path: ', err(eval { $xp->find(''); 1 } ? 'none' : $@));
out('bad expr: ', err(eval { $xp->find('//partner[@id='); 1 } ? 'none' : $@));
out('step error: ', err(eval { $xp->find('//partner/,'); 1 } ? 'none' : $@));
out('invalid token: ', err(eval { $xp->find('(1'); 1 } ? 'none' : $@));
print "done: $n\n";
