package Excel::Writer::XLSX::Utility;

# Excel::Writer::XLSX::Utility: cell-reference and date helpers, pure functions run here, with the
# real module's exports (all by default; :rowcol and :dates tags) and results. The date parsers
# use Date::Calc and Date::Manip when they are called, as the real module does (autouse: a script
# that never calls them needs neither).
use strict;
use warnings;
use Exporter 'import';
use autouse 'Date::Calc'  => qw(Delta_DHMS Decode_Date_EU Decode_Date_US);
use autouse 'Date::Manip' => qw(ParseDate Date_Init);
use CPANBridge::Excel ();

our $VERSION = $CPANBridge::Excel::VERSION;
my @rowcol = qw(xl_rowcol_to_cell xl_cell_to_rowcol xl_col_to_name xl_range xl_range_formula
    xl_inc_row xl_dec_row xl_inc_col xl_dec_col);
my @dates = qw(xl_date_list xl_date_1904 xl_parse_time xl_parse_date xl_parse_date_init
    xl_decode_date_EU xl_decode_date_US);
our @EXPORT_OK   = ();
our @EXPORT      = (@rowcol, @dates, 'quote_sheetname');
our %EXPORT_TAGS = (rowcol => \@rowcol, dates => \@dates);

sub xl_col_to_name {
    my ($col, $abs) = @_;
    return ($abs ? '$' : '') . CPANBridge::Excel::col_to_name($col);
}

sub xl_rowcol_to_cell {
    my ($row, $col, $row_abs, $col_abs) = @_;
    return xl_col_to_name($col, $col_abs) . ($row_abs ? '$' : '') . ($row + 1);
}

# (0, 0, 0, 0) for an empty reference; the letters and digits wherever they are in the string
sub xl_cell_to_rowcol {
    my $cell = shift;
    return (0, 0, 0, 0) unless $cell;
    $cell =~ /(\$?)([A-Z]{1,3})(\$?)(\d+)/;
    my ($col_abs, $letters, $row_abs, $row) = ($1 eq '' ? 0 : 1, $2, $3 eq '' ? 0 : 1, $4);
    my $col = 0;
    $col = $col * 26 + ord($_) - 64 for split //, $letters;
    return ($row - 1, $col - 1, $row_abs, $col_abs);
}

# one cell when both corners are the same cell
sub xl_range {
    my ($r1, $r2, $c1, $c2, $ra1, $ra2, $ca1, $ca2) = @_;
    my $a = xl_rowcol_to_cell($r1, $c1, $ra1, $ca1);
    my $b = xl_rowcol_to_cell($r2, $c2, $ra2, $ca2);
    return $a eq $b ? $a : "$a:$b";
}

sub xl_range_formula {
    my ($sheet, $r1, $r2, $c1, $c2) = @_;
    return '=' . quote_sheetname($sheet) . '!' . xl_range($r1, $r2, $c1, $c2, 1, 1, 1, 1);
}

# quoted when the name has a non-word character and is not quoted already
sub quote_sheetname {
    my $name = $_[0];
    if ($name =~ /\W/ && $name !~ /^'/) {
        $name =~ s/'/''/g;
        $name = "'$name'";
    }
    return $name;
}

sub _shift { my ($cell, $dr, $dc) = @_; my ($r, $c, $ra, $ca) = xl_cell_to_rowcol($cell); xl_rowcol_to_cell($r + $dr, $c + $dc, $ra, $ca) }
sub xl_inc_row { _shift($_[0], 1, 0) }
sub xl_dec_row { _shift($_[0], -1, 0) }
sub xl_inc_col { _shift($_[0], 0, 1) }
sub xl_dec_col { _shift($_[0], 0, -1) }

# (year, month, day, hours, minutes, seconds) -> Excel's serial date (1900 system, with its
# phantom 1900-02-29)
sub xl_date_list {
    return undef unless @_;
    my ($y, $m, $d, $h, $mi, $s) = ($_[0], $_[1] || 1, $_[2] || 1, $_[3] || 0, $_[4] || 0, $_[5] || 0);
    my ($days, $hours, $minutes, $seconds) = Delta_DHMS(1899, 12, 31, 0, 0, 0, $y, $m, $d, $h, $mi, $s);
    my $date = $days + ($hours * 3600 + $minutes * 60 + $seconds) / 86400;
    $date++ if $date > 59;
    return $date;
}

sub xl_parse_time {
    my $time = shift;
    return undef unless $time =~ /(\d+):(\d\d):?((?:\d\d)(?:\.\d+)?)?(?:\s+)?(am|pm)?/i;
    my ($h, $m, $s, $mer) = ($1, $2, $3 || 0, lc($4 || ''));
    $h = 0 if $h == 12 && $mer ne '';
    $h += 12 if $mer eq 'pm';
    return ($h * 3600 + $m * 60 + $s) / 86400;
}

sub xl_parse_date {
    my $date = ParseDate($_[0]);
    my ($y, $mo, $d, $h, undef, $mi, undef, $s) = unpack('A4 A2 A2 A2 C A2 C A2', $date);
    return xl_date_list($y, $mo, $d, $h, $mi, $s);
}

sub xl_parse_date_init { Date_Init(@_) }

sub _decode_date {
    my ($decode, $date) = @_;
    my $time = 0;
    $time = xl_parse_time($1) if $date =~ s/(\d+:\d\d:?(\d\d(\.\d+)?)?(\s+)?(am|pm)?)//i;
    return $time if $date =~ /^\s*$/;
    my @date = $decode->($date);
    return undef unless @date;
    return xl_date_list(@date) + $time;
}
sub xl_decode_date_EU { return undef unless @_; _decode_date(\&Decode_Date_EU, $_[0]) }
sub xl_decode_date_US { return undef unless @_; _decode_date(\&Decode_Date_US, $_[0]) }

# a 1900-system serial date as the 1904 system's (0 before 1904)
sub xl_date_1904 {
    my $date = $_[0] || 0;
    return $date < 1462 ? 0 : $date - 1462;
}

1;
