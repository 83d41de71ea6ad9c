package CPANBridge::Excel;

# Excel::Writer::XLSX on the bridge. The script-facing semantics (write()'s
# type dispatch and return codes, A1 notation, sheet-name checks, croak texts)
# are decided here, in Perl, exactly as the real module decides them; the
# daemon's excel module keeps the workbook's state in its journal and renders
# it at close. Cell writes are buffered into one compact string and sent
# pipelined (CPANBridge::send_async): writing a cell costs no round trip.
#
# Classes, a file each under CPANBridge/Excel/: Workbook (the buffer and the
# ordered operations), Worksheet, Format, Chart. This file: the A1-notation and
# date utilities, and the workbooks closed at exit.
# perl/compat/Excel/Writer/XLSX.pm and perl/lib/ExcelHelper.pm subclass them
# under the original names.

use strict;
use warnings;
use Carp ();
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::Excel::Workbook ();
use CPANBridge::Excel::Worksheet ();
use CPANBridge::Excel::Format ();
use CPANBridge::Excel::Chart ();

our $VERSION = '1.10';


# Cells per write_batch request (and bytes): bounded frames, few requests.
our $BATCH_CELLS = 5000;
our $BATCH_BYTES = 512 * 1024;

our @CARP_NOT;
# Errors and warnings point at the script, not at the shim.
$Carp::Internal{$_}++ for qw(CPANBridge::Excel::Chartsheet CPANBridge::Excel::Shape Excel::Writer::XLSX::Chartsheet
    Excel::Writer::XLSX::Shape Excel::Writer::XLSX::Utility);
$Carp::Internal{$_}++ for qw(CPANBridge::Excel CPANBridge::Excel::Workbook CPANBridge::Excel::Worksheet
    CPANBridge::Excel::Format CPANBridge::Excel::Chart Excel::Writer::XLSX Excel::Writer::XLSX::Workbook
    Excel::Writer::XLSX::Worksheet Excel::Writer::XLSX::Format Excel::Writer::XLSX::Chart ExcelHelper ExcelHelper::Worksheet ExcelHelper::Format);

# The workbooks still open at exit are closed, as the real module closes them at DESTROY.
END {
    local ($?, $@, $!);
    for my $wb (CPANBridge::Shim::live('excel')) {
        eval { $wb->close; 1 } or warn "Excel::Writer::XLSX: closing $wb->{_filename} at exit failed: $@";
    }
}

# ---------------------------------------------------------------------------
# A1 notation (Excel::Writer::XLSX::Utility semantics)

sub cell_to_rowcol {
    my $cell = shift;
    return (0, 0, 0, 0) unless $cell =~ /(\$?)([A-Z]{1,3})(\$?)(\d+)/;
    my ($col_abs, $col, $row_abs, $row) = ($1 ? 1 : 0, $2, $3 ? 1 : 0, $4);
    my $n = 0;
    $n = $n * 26 + (ord($_) - 64) for split //, $col;
    return ($row - 1, $n - 1, $row_abs, $col_abs);
}

sub col_to_name {
    my ($col) = @_;
    my $s = '';
    my $c = $col + 1;
    while ($c > 0) {
        my $r = ($c - 1) % 26;
        $s = chr(65 + $r) . $s;
        $c = int(($c - 1) / 26);
    }
    return $s;
}

sub rowcol_to_cell { my ($r, $c) = @_; col_to_name($c) . ($r + 1) }

sub substitute_cellref {
    my $cell = uc(shift);
    if ($cell =~ /\$?([A-Z]{1,3}):\$?([A-Z]{1,3})/) {
        my ($r1, $c1) = cell_to_rowcol($1 . '1');
        my ($r2, $c2) = cell_to_rowcol($2 . 1048576);
        return ($r1, $c1, $r2, $c2, @_);
    }
    if ($cell =~ /\$?([A-Z]{1,3}\$?\d+):\$?([A-Z]{1,3}\$?\d+)/) {
        my ($r1, $c1) = cell_to_rowcol($1);
        my ($r2, $c2) = cell_to_rowcol($2);
        return ($r1, $c1, $r2, $c2, @_);
    }
    if ($cell =~ /\$?([A-Z]{1,3}\$?\d+)/) {
        my ($r1, $c1) = cell_to_rowcol($1);
        return ($r1, $c1, @_);
    }
    Carp::croak("Unknown cell reference $cell");
}

# Excel::Writer::XLSX::Worksheet::convert_date_time, 1900 epoch (or 1904).
sub convert_date_time {
    my ($date_time, $date_1904) = @_;
    return unless defined $date_time;
    my ($days, $seconds) = (0, 0);
    $date_time =~ s/^\s+//;
    $date_time =~ s/\s+$//;
    return if $date_time =~ /[^0-9T:\-\.Z]/;
    return unless $date_time =~ /\dT|T\d/;
    $date_time =~ s/Z$//;
    my ($date, $time) = split /T/, $date_time;
    $time = '' unless defined $time;
    if ($time ne '') {
        my ($hour, $min, $sec);
        if ($time =~ /^(\d\d):(\d\d)(:(\d\d(\.\d+)?))?/) { ($hour, $min, $sec) = ($1, $2, $4 || 0) }
        else { return undef }
        return if $hour >= 24 || $min >= 60 || $sec >= 60;
        $seconds = ($hour * 60 * 60 + $min * 60 + $sec) / (24 * 60 * 60);
    }
    return $seconds if $date eq '';
    my ($year, $month, $day);
    if ($date =~ /^(\d\d\d\d)-(\d\d)-(\d\d)$/) { ($year, $month, $day) = ($1, $2, $3) }
    else { return undef }
    if (!$date_1904) {
        return $seconds if $date eq '1899-12-31';
        return $seconds if $date eq '1900-01-00';
        return 60 + $seconds if $date eq '1900-02-29';
    }
    my $epoch  = $date_1904 ? 1904 : 1900;
    my $offset = $date_1904 ? 4 : 0;
    my $norm   = 300;
    my $range  = $year - $epoch;
    my @mdays = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31);
    my $leap = 0;
    $leap = 1 if $year % 4 == 0 and $year % 100 or $year % 400 == 0;
    $mdays[1] = 29 if $leap;
    return if $year < $epoch or $year > 9999;
    return if $month < 1 or $month > 12;
    return if $day < 1 or $day > $mdays[ $month - 1 ];
    $days = $day;
    $days += $mdays[$_] for 0 .. $month - 2;
    $days += $range * 365;
    $days += int(($range) / 4);
    $days -= int(($range + $offset) / 100);
    $days += int(($range + $offset + $norm) / 400);
    $days -= $leap;
    $days++ if !$date_1904 and $days > 59;
    return $days + $seconds;
}

1;
