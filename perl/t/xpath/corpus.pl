#!/usr/bin/perl
# The XPath corpus: expressions over varied documents (namespaces, CDATA, unicode, attributes,
# comments, processing instructions, mixed content), each result printed as one line (type,
# value, nodes with type, name, string value and XML) or the error text. Run once with the real
# XML::XPath and once on the bridge: the outputs must be equal line for line.
use strict;
use warnings;
use XML::XPath;
binmode STDOUT, ':encoding(UTF-8)';
$SIG{__WARN__} = sub { };

my %docs = (
    cfg => <<'X',
<?xml version="1.0" encoding="UTF-8"?>
<!-- nightly job configuration -->
<config version="2.50" env="prod">
  <db host="db1.local" port="5432"><name>sales</name><user>batch</user></db>
  <jobs>
    <job id="j1" minutes="90" enabled="yes"><name>export</name><cmd><![CDATA[run --all <fast>]]></cmd></job>
    <job id="j2" minutes="15" enabled="no"><name>import</name><cmd>load &amp; check</cmd></job>
    <job id="j3" minutes="-5" enabled="yes"><name>purge</name><cmd>rm  old   files</cmd></job>
  </jobs>
  <?report format="csv"?>
  <limits><max>10</max><min>0.5</min><ratio>1.0</ratio><neg>-3</neg><big>12345678901234567</big></limits>
</config>
X
    ns => <<'X',
<?xml version="1.0"?>
<ops:feed xmlns="urn:default" xmlns:ops="urn:ops" xmlns:x="urn:x">
  <item code="A1">first</item>
  <ops:item code="B2"><ops:sla minutes="90"/></ops:item>
  <x:item x:code="C3" code="c3">third</x:item>
  <group xmlns="urn:other"><item>inner</item></group>
</ops:feed>
X
    mixed => <<'X',
<doc><p>Hello <b>bold</b> and <i>it<b>al</b></i>ic &lt;tag&gt; text.</p><p xml:lang="de-CH">Grüße — ünïcødé ✓</p><!-- c1 --><p/><?pi one two?><p>  spaced
  out  </p></doc>
X
    nums => <<'X',
<n><v>1</v><v>2</v><v>3.5</v><v>abc</v><v> 7 </v><v>1e3</v><v>-0</v><v></v></n>
X
);

my @cases = (
    # cfg: paths, attributes, predicates
    [cfg => '/config/@version'], [cfg => 'string(/config/@version)'], [cfg => '/config/db/@port + 1'],
    [cfg => '//job'], [cfg => '//job[@enabled="yes"]/name'], [cfg => '//job[2]'], [cfg => '//job[last()]/@id'],
    [cfg => '//job[position() < 3]/@id'], [cfg => 'count(//job)'], [cfg => 'count(//@*)'], [cfg => 'sum(//job/@minutes)'],
    [cfg => '//job[@minutes > 20]/name'], [cfg => '//job[@minutes >= 15 and @enabled = "yes"]/@id'],
    [cfg => '//job[not(@enabled="no")]/@id'], [cfg => '//cmd'], [cfg => 'string(//job[1]/cmd)'],
    [cfg => '//job/cmd/text()'], [cfg => 'normalize-space(//job[3]/cmd)'], [cfg => 'string-length(//job[3]/cmd)'],
    [cfg => '//name'], [cfg => '//name/text()'], [cfg => '/config/jobs/job/name'], [cfg => '/config/*'],
    [cfg => '/config/node()'], [cfg => '/node()'], [cfg => '/'], [cfg => '/*'], [cfg => '//comment()'],
    [cfg => '//processing-instruction()'], [cfg => '//processing-instruction("report")'], [cfg => '//processing-instruction("nope")'],
    [cfg => '//db/@*'], [cfg => 'name(//db/@*[2])'], [cfg => '//job/@id | //db/@host'], [cfg => '//db | //jobs/job[1]'],
    [cfg => '//job[1]/following-sibling::job/@id'], [cfg => '//job[3]/preceding-sibling::job/@id'],
    [cfg => '//name[.="import"]/ancestor::*'], [cfg => '//name[.="import"]/ancestor-or-self::*[1]'],
    [cfg => '//job[2]/parent::*'], [cfg => '//job[2]/..'], [cfg => '//job[2]/.'], [cfg => '//job[2]/self::job/@id'],
    [cfg => '//user/preceding::*'], [cfg => '//user/following::name'], [cfg => '//db/descendant::*'],
    [cfg => '//db/descendant-or-self::*'], [cfg => '//limits/*[. > 1]'], [cfg => '//limits/*[. = 10]'],
    [cfg => '//limits/max + //limits/min'], [cfg => '//limits/max * //limits/min'], [cfg => '//limits/max div 3'],
    [cfg => '//limits/max mod 3'], [cfg => '//limits/neg mod 3'], [cfg => '7 mod -3'], [cfg => '-7 mod 3'], [cfg => '5.5 mod 2'],
    [cfg => '//limits/ratio'], [cfg => 'number(//limits/ratio)'], [cfg => '//limits/ratio + 0'], [cfg => 'boolean(//limits/ratio + 0)'],
    [cfg => '//limits/big + 1'], [cfg => '//limits/big * 10'], [cfg => 'sum(//limits/*)'], [cfg => 'count(//limits/*[. < 1])'],
    [cfg => 'concat(//db/@host, ":", //db/@port)'], [cfg => 'substring-before(//db/@host, ".")'],
    [cfg => 'substring-after(//db/@host, ".")'], [cfg => 'translate(//db/@host, "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")'],
    [cfg => 'translate("a-b-c", "-", "")'], [cfg => 'starts-with(//job[1]/name, "ex")'], [cfg => 'contains(//job[2]/cmd, "&")'],
    [cfg => 'local-name(/config)'], [cfg => 'name(//job[1]/@minutes)'], [cfg => 'string(//job)'], [cfg => '//job = "export"'],
    [cfg => '//job/name = "import"'], [cfg => '//job/@minutes = 15'], [cfg => '//job/@minutes != 15'], [cfg => '//job/@minutes < //job/@minutes'],
    [cfg => 'true() = //job'], [cfg => 'false() = //nothing'], [cfg => '//nothing'], [cfg => 'string(//nothing)'], [cfg => 'count(//nothing)'],
    [cfg => '//job[@id="j2"]/@minutes * 4'], [cfg => '//job[@id="j9"]/@minutes + 1'], [cfg => '/config/@env = "prod" or 1 div 0'],
    # numbers and the formatting XML::XPath gives them
    [cfg => '2.50'], [cfg => '2.50 + 0'], [cfg => '007'], [cfg => '.5'], [cfg => '5.'], [cfg => '1 div 3'], [cfg => '2 div 3'],
    [cfg => '10 div 4'], [cfg => '1 div 0'], [cfg => '-1 div 0'], [cfg => '0 div 0'], [cfg => '(1 div 0) + 1'], [cfg => '1 div 0 > 5'],
    [cfg => '0.1 + 0.2'], [cfg => '1000000 * 1000000'], [cfg => '1000000000 * 1000000000'], [cfg => '100000000000 * 100000000000'],
    [cfg => '0.1 * 0.00001'], [cfg => '0.000001 * 0.1'], [cfg => '123456789012345678'], [cfg => '-5 mod 3'], [cfg => '5 mod -3'],
    [cfg => '-(3)'], [cfg => '- - 2'], [cfg => '3 - -2'], [cfg => 'floor(2.5)'], [cfg => 'floor(-2.5)'], [cfg => 'ceiling(2.1)'],
    [cfg => 'ceiling(-2.1)'], [cfg => 'round(2.5)'], [cfg => 'round(-2.5)'], [cfg => 'round(1.49999)'], [cfg => 'number("12")'],
    [cfg => 'number("  12  ")'], [cfg => 'number("12abc")'], [cfg => 'number("abc") + 1'], [cfg => 'number(true())'],
    [cfg => 'boolean(0)'], [cfg => 'boolean(0.0)'], [cfg => 'boolean(-0)'], [cfg => 'boolean("")'], [cfg => 'boolean("0")'],
    [cfg => 'boolean(//job)'], [cfg => 'not(1)'], [cfg => 'true()'], [cfg => 'false()'], [cfg => '1 = 1.0'], [cfg => '"1" = 1.0'],
    [cfg => '"abc" = "abc"'], [cfg => '"b" > "a"'], [cfg => 'true() = 1'], [cfg => 'true() > false()'], [cfg => '2 > 1 > 0'],
    [cfg => 'string(1 div 3)'], [cfg => 'string(number("x"))'], [cfg => 'concat(1 div 3, "|", 2.50)'], [cfg => 'string-length("Grüße")'],
    [cfg => 'substring("12345", 2, 3)'], [cfg => 'substring("12345", 1.5, 2.6)'], [cfg => 'substring("12345", 0, 3)'],
    [cfg => 'substring("12345", -42, 1 div 0)'], [cfg => 'substring("12345", 2)'], [cfg => 'substring("12345", 0 div 0, 3)'],
    [cfg => 'substring("12345", 2, 0 div 0)'], [cfg => 'normalize-space("  a   b  ")'], [cfg => 'concat("a", "b", "c", "d")'],
    # namespaces: default namespace matching, document prefixes, registered prefixes
    [ns => '//item'], [ns => '//ops:item'], [ns => '//x:item'], [ns => '//ops:sla/@minutes'], [ns => '/ops:feed/*'],
    [ns => '//ops:*'], [ns => '//x:*'], [ns => '//*[local-name()="item"]'], [ns => 'count(//*)'], [ns => '//item/@code'],
    [ns => '//@x:code'], [ns => '//@code'], [ns => 'namespace-uri(//ops:sla)'], [ns => 'namespace-uri(/*)'], [ns => 'namespace-uri(//item[1])'],
    [ns => 'name(/*)'], [ns => 'local-name(/*)'], [ns => '//group/item'], [ns => '//nope:item'], [ns => '/ops:feed/namespace::*'],
    [ns => 'count(//namespace::*)'], [ns => '//group/namespace::*'], [ns => 'string(//ops:item)'],
    # mixed content, unicode, comments, PIs
    [mixed => '/doc/p'], [mixed => 'string(/doc/p[1])'], [mixed => '/doc/p[1]/node()'], [mixed => '//b'], [mixed => '//text()'],
    [mixed => 'count(//text())'], [mixed => '/doc/p[2]'], [mixed => 'string-length(/doc/p[2])'], [mixed => '//comment()'],
    [mixed => '//processing-instruction()'], [mixed => 'string(//processing-instruction())'], [mixed => '/doc/p[3]'],
    [mixed => '/doc/p[4]'], [mixed => 'normalize-space(/doc/p[4])'], [mixed => '//p[lang("de")]'], [mixed => '//p[lang("en")]'],
    [mixed => 'translate(/doc/p[2], "üé", "ue")'], [mixed => 'contains(/doc/p[2], "—")'], [mixed => 'substring(/doc/p[2], 1, 5)'],
    [mixed => '//i//b'], [mixed => '//b[. = "al"]/ancestor::p'], [mixed => 'name(/doc/node()[3])'], [mixed => '/doc/p[position()=last()]'],
    [mixed => 'substring-after("a\nb=c", "=")'], [mixed => 'substring-before("x=1\ny=2", "y")'],
    # nums: string values as numbers
    [nums => 'sum(//v)'], [nums => '//v[. > 1]'], [nums => '//v[. = 7]'], [nums => 'number(//v[5])'], [nums => '//v[5] + 0'],
    [nums => 'number(//v[6])'], [nums => '//v[7] * 1'], [nums => 'number(//v[8])'], [nums => '//v + 0'], [nums => 'boolean(//v[7] + 0)'],
    [nums => 'count(//v[. != 0])'], [nums => '//v[2] div //v[1]'], [nums => '//v[4] div 2'],
    # errors: XML::XPath's own texts
    [cfg => '1e3'], [cfg => '//job[1]]'], [cfg => '//job['], [cfg => '@'], [cfg => '1 +'], [cfg => 'string('], [cfg => "'abc"],
    [cfg => 'child::'], [cfg => 'foo(1)'], [cfg => 'count()'], [cfg => 'count(1)'], [cfg => 'sum("x")'], [cfg => '//job | 1'],
    [cfg => '1 mod 0'], [cfg => 'name(//nothing)'], [cfg => 'concat("a")'], [cfg => 'boolean()'], [cfg => 'substring("a")'],
    [cfg => 'last(1)'], [cfg => '//job/'], [cfg => '//job//'], [cfg => 'namespace-uri(//name/text())'], [cfg => 'translate("a")'],
    [cfg => '0'], [cfg => 'ancestor:a'], [cfg => '//job[@id="j1"]/name | //job[@id="j1"]'], [cfg => '(//job)[2]/name'],
    [cfg => '(//job/@id)[last()]'],
    # `//` with predicates, with and without position
    [cfg => '//job[@enabled="yes"][2]/@id'], [cfg => '//job[@enabled="yes"]/name[1]'], [cfg => '//name[. = "import"]'],
    [cfg => '//*[@id][last()]/@id'], [cfg => '//*[@minutes > 10 and @enabled = "yes"]/@id'], [cfg => '//cmd[contains(., "check")]'],
    [cfg => '5. + 1'], [cfg => '//job[2.]/@id'], [cfg => '1.0'], [cfg => 'string(10.)'],
    [cfg => '//jobs//name[2]'], [cfg => '//job//text()[1]'], [mixed => '//b[1]'], [mixed => '//p//b[not(. = "al")]'],
);

my %xp = map { $_ => XML::XPath->new(xml => $docs{$_}) } keys %docs;

sub show_node {
    my $n = shift;
    my $name = $n->getName;
    my $sv = $n->string_value;
    return join('|', ref($n), $n->getNodeType, defined $name ? $name : 'U', defined $sv ? $sv : 'U', $n->toString);
}

my $i = 0;
for my $c (@cases) {
    my ($doc, $expr) = @$c;
    $i++;
    (my $shown = $expr) =~ s/\n/\\n/g;
    my $r = eval { $xp{$doc}->find($expr) };
    if (!defined $r) {
        (my $e = $@) =~ s/\n/\\n/g;
        print "$i [$doc] $shown => ERR $e\n";
        next;
    }
    my $fv = eval { $xp{$doc}->findvalue($expr) };
    my $line = "$i [$doc] $shown => " . ref($r);
    if ($r->isa('XML::XPath::NodeSet')) {
        $line .= " size=" . $r->size . " fv=[" . (defined $fv ? $fv : 'U') . "] " . join(' ; ', map { show_node($_) } $r->get_nodelist);
    }
    else {
        my $v = $r->value;
        $line .= " [" . (defined $v ? $v : 'U') . "] lit=[" . $r->to_literal . "] bool=[" . $r->to_boolean->value . "] fv=[" . (defined $fv ? "$fv" : 'U') . "]";
    }
    $line =~ s/\n/\\n/g;
    print "$line\n";
}
print "cases: $i\n";
