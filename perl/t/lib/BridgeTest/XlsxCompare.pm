package BridgeTest::XlsxCompare;

# Runs one Excel::Writer::XLSX script twice, with the real module (Debian's, our libs out of @INC)
# and with the shim (the real module hidden), then compares the two workbooks part by part:
# the member list, then each part byte for byte after the normalisation of the real module's own
# regression suite (t/lib/TestFunctions.pm: core.xml dates; the elements of [Content_Types].xml and
# of the .rels parts in sorted order, since the real module lists image types in Perl's hash order,
# which changes from run to run). A differing XML part is reported as its first differing element,
# split as that suite splits (one element per line).
#
#   my $r = compare_with_real($script, name => 'case');   # $script writes the file named in $ARGV[0]
#   is_deeply $r->{diffs}, [], 'same parts';
#   # also: $r->{real}{out,err,rc,file}, $r->{shim}{out,err,rc,file,inc}, $r->{parts} (member names)

use strict;
use warnings;
use Exporter 'import';
use File::Temp ();
use Archive::Zip qw(:ERROR_CODES);
use BridgeTest ();

our @EXPORT_OK = qw(compare_with_real have_real_excel_writer read_parts);

my $HAVE;
sub have_real_excel_writer {
    $HAVE //= do {
        my (undef, undef, $rc) = BridgeTest::run_perl_real("use Excel::Writer::XLSX 1.0; use Archive::Zip; print 1;\n");
        $rc == 0 ? 1 : 0;
    };
}

# { member name => contents } of a zip file; undef when it is not one.
sub read_parts {
    my ($file) = @_;
    Archive::Zip::setErrorHandler(sub { });
    my $zip = Archive::Zip->new;
    return undef unless -s $file && $zip->read($file) == AZ_OK;
    my %p = map { ($_ => scalar $zip->contents($_)) } $zip->memberNames;
    return \%p;
}

sub _normalise {
    my ($name, $s) = @_;
    $s =~ s/\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ//g if $name eq 'docProps/core.xml';
    if ($name eq '[Content_Types].xml' || $name =~ /\.rels$/) {
        my @e = _elements($s);
        my ($head, $tail) = (shift @e, pop @e);
        $s = join "\n", $head, sort(@e), $tail;
    }
    return $s;
}

sub _elements {
    my ($s) = @_;
    $s =~ s/\r?\n//g;
    $s =~ s/>\s*</>\n</g;
    return split /\n/, $s;
}

sub _first_diff {
    my ($name, $got, $exp) = @_;
    return "$name: binary part differs (" . length($got) . " vs " . length($exp) . " bytes)"
        unless $name =~ /\.(?:xml|rels|vml)$/;
    my @g = _elements($got);
    my @e = _elements($exp);
    for my $i (0 .. ($#g > $#e ? $#g : $#e)) {
        my ($a, $b) = ($g[$i] // '(end)', $e[$i] // '(end)');
        next if $a eq $b;
        return "$name: element $i: shim $a | real $b";
    }
    return "$name: differs in bytes only (whitespace)";
}

sub _run {
    my ($script, $real, $dir, %opt) = @_;
    my $file = "$dir/" . ($real ? 'real' : 'shim') . '.xlsx';
    my $incf = "$dir/" . ($real ? 'real' : 'shim') . '.inc';
    # the epilogue says where Excel::Writer::XLSX was loaded from (the shim must be ours)
    my $code = "END { if (open my \$fh, '>', '$incf') { print \$fh \$INC{'Excel/Writer/XLSX.pm'} // '' } }\n"
        . "#line 1 \"script.pl\"\n$script";
    my @run = $real
        ? BridgeTest::run_perl_real($code, args => [$file], dir => $dir, timeout => $opt{timeout} || 120)
        : BridgeTest::run_perl($code, undef, args => [$file], dir => $dir, timeout => $opt{timeout} || 120);
    return { out => $run[0], err => $run[1], rc => $run[2], file => $file, inc => BridgeTest::read_file($incf) };
}

sub compare_with_real {
    my ($script, %opt) = @_;
    my $dir = File::Temp::tempdir('cbx-XXXXXX', TMPDIR => 1, CLEANUP => !$ENV{KEEP_XLSX});
    my $real = _run($script, 1, $dir, %opt);
    my $shim = _run($script, 0, $dir, %opt);
    my @diffs;
    push @diffs, "real module run failed (rc $real->{rc}): $real->{err}" if $real->{rc};
    push @diffs, "shim run failed (rc $shim->{rc}): $shim->{err}" if $shim->{rc};
    push @diffs, "shim loaded Excel::Writer::XLSX from $shim->{inc}" if !$shim->{rc} && $shim->{inc} !~ m{/perl/compat/Excel/Writer/XLSX\.pm$};
    my $rp = read_parts($real->{file});
    my $sp = read_parts($shim->{file});
    push @diffs, 'real module wrote no workbook' if !$rp && !$real->{rc};
    push @diffs, 'shim wrote no workbook' if !$sp && !$shim->{rc};
    my @parts;
    if ($rp && $sp) {
        @parts = sort keys %$rp;
        my $rl = join ' ', @parts;
        my $sl = join ' ', sort keys %$sp;
        push @diffs, "members: shim [$sl] | real [$rl]" if $rl ne $sl;
        for my $name (@parts) {
            next unless exists $sp->{$name};
            next if $opt{ignore} && grep { $name =~ $_ } @{ $opt{ignore} };
            my ($g, $e) = (_normalise($name, $sp->{$name}), _normalise($name, $rp->{$name}));
            push @diffs, _first_diff($name, $g, $e) if $g ne $e;
        }
    }
    return { diffs => \@diffs, real => $real, shim => $shim, parts => \@parts, dir => $dir };
}

1;
