package Excel::Writer::XLSX::Utility;

# Excel::Writer::XLSX::Utility's cell-reference helpers (pure functions, run locally).
use strict;
use warnings;
use Exporter 'import';
use CPANBridge::Excel ();

our $VERSION = $CPANBridge::Excel::VERSION;
our @EXPORT_OK = qw(xl_rowcol_to_cell xl_cell_to_rowcol xl_col_to_name xl_range xl_range_formula
    xl_inc_row xl_dec_row xl_inc_col xl_dec_col quote_sheetname xl_date_list xl_parse_time xl_parse_date);
our %EXPORT_TAGS = (rowcol => [qw(xl_rowcol_to_cell xl_cell_to_rowcol xl_col_to_name xl_range xl_range_formula
    xl_inc_row xl_dec_row xl_inc_col xl_dec_col)]);

sub xl_col_to_name {
    my ($col, $abs) = @_;
    return ($abs ? '$' : '') . CPANBridge::Excel::col_to_name($col);
}

sub xl_rowcol_to_cell {
    my ($row, $col, $row_abs, $col_abs) = @_;
    return xl_col_to_name($col, $col_abs) . ($row_abs ? '$' : '') . ($row + 1);
}

sub xl_cell_to_rowcol { CPANBridge::Excel::cell_to_rowcol($_[0]) }

sub xl_range {
    my ($r1, $r2, $c1, $c2, $ra1, $ra2, $ca1, $ca2) = @_;
    return xl_rowcol_to_cell($r1, $c1, $ra1, $ca1) . ':' . xl_rowcol_to_cell($r2, $c2, $ra2, $ca2);
}

sub quote_sheetname {
    my $name = shift;
    return $name if $name =~ /^\w+$/ && $name !~ /^\d/;
    $name =~ s/'/''/g;
    return "'$name'";
}

sub xl_range_formula {
    my ($sheet, $r1, $r2, $c1, $c2) = @_;
    return '=' . quote_sheetname($sheet) . '!' . xl_range($r1, $r2, $c1, $c2, 1, 1, 1, 1);
}

sub _shift { my ($cell, $dr, $dc) = @_; my ($r, $c, $ra, $ca) = xl_cell_to_rowcol($cell); xl_rowcol_to_cell($r + $dr, $c + $dc, $ra, $ca) }
sub xl_inc_row { _shift($_[0], 1, 0) }
sub xl_dec_row { _shift($_[0], -1, 0) }
sub xl_inc_col { _shift($_[0], 0, 1) }
sub xl_dec_col { _shift($_[0], 0, -1) }

1;
