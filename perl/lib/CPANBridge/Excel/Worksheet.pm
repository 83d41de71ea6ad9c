package CPANBridge::Excel::Worksheet;

# A worksheet of Excel::Writer::XLSX's API: write()'s type dispatch, return codes and
# limits are decided here as the real module decides them; the writes go through the
# workbook's buffer, every other method is a recorded call (_call).

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();

my $ROWMAX = 1048576;
my $COLMAX = 16384;
my $STRMAX = 32767;

sub _wb { $_[0]->{_wbobj} or Carp::croak('Excel::Writer::XLSX: the workbook of this worksheet is gone') }

sub get_name { $_[0]->{_name} }
sub name     { $_[0]->{_name} }

sub _dims_bad {
    my ($row, $col) = @_;
    return 1 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    return 0;
}

sub keep_leading_zeros { my ($s, $v) = @_; $s->{_leading_zeros} = defined $v ? $v : 1; return }

sub add_write_handler {
    my ($self, $re, $sub) = @_;
    return unless @_ == 3 && ref $sub eq 'CODE';
    push @{ $self->{_write_match} }, [ $re, $sub ];
    return;
}

sub write {
    # The common call, decided here without the five method calls of the general path below
    # (write_number/write_string, _wb, _cell, _dim_col, the batch's add: ~60% of a cell's cost):
    # row and column numbers, a number, a plain string or undef, at most a format; no write
    # handlers, no keep_leading_zeros, not in constant memory mode. Same checks, same order,
    # same record, same return codes as the general path.
    if (@_ <= 5 && defined $_[1] && defined $_[2] && !($_[0]{_write_match} && @{ $_[0]{_write_match} }) && !$_[0]{_leading_zeros}
        && $_[1] !~ /^\D/) {
        my $wb = $_[0]{_wbobj};
        my $token = $_[3];
        if ($wb && !$wb->{_optimization} && !$wb->{_fileclosed} && !ref $token) {
            my ($row, $col, $fmt) = @_[ 1, 2, 4 ];
            # undef: write_blank without a format writes nothing
            return 0 if !defined $token && !defined $fmt;
            my ($type, $v, $err);
            if (!defined $token || $token eq '') { }
            # the number test below, without its captures (a third of its cost)
            elsif ($token =~ /^[+-]?(?=[0-9]|\.[0-9])[0-9]*(?:\.[0-9]*)?(?:[Ee][+-]?[0-9]+)?$/) {
                my $num = $token + 0;
                ($type, $v, $err) = ('n', "$num", 0);
            }
            # what goes to write_url or write_formula below, in one pattern
            elsif ($token !~ /^(?:[fh]tt?ps?:\/\/|mailto:|(?:in|ex)ternal:|=|\{=.*\}$)/) { ($type, $v, $err) = ('s', "$token", 0) }
            if ($type) {
                return -2 if $row >= $ROWMAX || $col >= $COLMAX;
                if ($type eq 's') {
                    if (length $v > $STRMAX) { $v = substr($v, 0, $STRMAX); $err = -3 }
                    $v =~ s/([\x1c-\x1f])/"\x1c" . chr(ord($1) + 32)/ge if $v =~ tr/\x1c-\x1f//;
                }
                my $sheet = $_[0]{_idx};
                my $cm = $wb->{_colmin}[$sheet];
                $wb->{_colmin}[$sheet] = $col if !defined $cm || $col < $cm;
                my $fi = '';
                if (ref $fmt) {
                    $fi = $fmt->{_idx};
                    $fi = '' unless defined $fi && $fmt->{_wb_id} && $fmt->{_wb_id} eq $wb->{_wb};
                }
                # CPANBridge::Shim::Batch::add, inlined
                my $b = $wb->{_cells};
                $b->{buf} .= ($b->{n}++ ? "\x1e" : '') . join("\x1f", $sheet, $row, $col, $type, $fi, $v);
                $b->flush if $b->{n} >= $b->{records} || length($b->{buf}) >= $b->{bytes};
                return $err;
            }
        }
    }
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my $token = $_[2];
    $token = '' unless defined $token;
    for my $aref (@{ $self->{_write_match} }) {
        my ($re, $sub) = @$aref;
        if ($token =~ /$re/) {
            my $match = &$sub($self, @_);
            return $match if defined $match;
        }
    }
    if (ref $token eq 'ARRAY') { return $self->write_row(@_) }
    elsif ($self->{_leading_zeros} and $token =~ /^0\d+$/) { return $self->write_string(@_) }
    elsif ($token =~ /^([+-]?)(?=[0-9]|\.[0-9])[0-9]*(\.[0-9]*)?([Ee]([+-]?[0-9]+))?$/) { return $self->write_number(@_) }
    elsif ($token =~ m|^[fh]tt?ps?://|) { return $self->write_url(@_) }
    elsif ($token =~ m/^mailto:/) { return $self->write_url(@_) }
    elsif ($token =~ m[^(?:in|ex)ternal:]) { return $self->write_url(@_) }
    elsif ($token =~ /^=/) { return $self->write_formula(@_) }
    elsif ($token =~ /^{=.*}$/) { return $self->write_formula(@_) }
    elsif ($token eq '') { splice @_, 2, 1; return $self->write_blank(@_) }
    else { return $self->write_string(@_) }
}

sub write_number {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col) = @_;
    my $num = $_[2] + 0;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'n', $_[3], "$num");
}

sub write_string {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $str, $xf) = @_;
    return -4 if !defined $str;
    return -2 if _dims_bad($row, $col);
    my $err = 0;
    if (length $str > $STRMAX) { $str = substr($str, 0, $STRMAX); $err = -3 }
    my $rc = $self->_wb->_cell($self->{_idx}, $row, $col, 's', $xf, "$str");
    return $rc || $err;
}

sub write_blank {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 2;
    return 0 if !defined $_[2];
    my ($row, $col, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'b', $xf);
}

sub write_boolean {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($row, $col, $val, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'l', $xf, $val ? 1 : 0);
}

sub write_date_time {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $str, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    my $dt = CPANBridge::Excel::convert_date_time($str, $self->{_date_1904});
    return $self->write_string(@_) if !defined $dt;
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'n', $xf, "$dt");
}

# the epoch the workbook had when this sheet was added, as the real worksheet keeps it
sub convert_date_time { my ($s, $d) = @_; CPANBridge::Excel::convert_date_time($d, $s->{_date_1904}) }

sub write_row {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak("Not an array ref in call to write_row()$!") if ref $_[2] ne 'ARRAY';
    my ($row, $col, $tokens, @options) = @_;
    my $error = 0;
    for my $token (@$tokens) {
        my $ret = ref $token eq 'ARRAY' ? $self->write_col($row, $col, $token, @options)
                                        : $self->write($row, $col, $token, @options);
        $error ||= $ret;
        $col++;
    }
    return $error;
}

sub write_col {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak("Not an array ref in call to write_col()$!") if ref $_[2] ne 'ARRAY';
    my ($row, $col, $tokens, @options) = @_;
    my $error = 0;
    for my $token (@$tokens) {
        my $ret = $self->write($row, $col, $token, @options);
        $error ||= $ret;
        $row++;
    }
    return $error;
}

sub merge_range {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak('Incorrect number of arguments') if @_ < 6;
    Carp::croak('Fifth parameter must be a format object') unless ref $_[5];
    my ($r1, $c1, $r2, $c2, $string, $format, @extra) = @_;
    Carp::croak("Can't merge single cell") if $r1 == $r2 && $c1 == $c2;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    ($c1, $c2) = ($c2, $c1) if $c1 > $c2;
    return -2 if _dims_bad($r1, $c1) || _dims_bad($r2, $c2);
    $self->_call('merge_range', $r1 + 0, $c1 + 0, $r2 + 0, $c2 + 0);
    $self->write($r1, $c1, $string, $format, @extra);
    $self->_merge_blanks($r1, $c1, $r2, $c2, $format);
    return;
}

# As the real one: the first cell is written by the type's method with the arguments as given
# (a blank's format is its last argument), the other cells become formatted blanks.
sub merge_range_type {
    my $self = shift;
    my $type = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($r1, $c1, $r2, $c2, @args) = @_;
    my $format = ($type eq 'array_formula' || $type eq 'blank' || $type eq 'rich_string') ? $args[-1] : $args[1];
    Carp::croak('Format object missing or in an incorrect position') unless ref $format;
    Carp::croak("Can't merge single cell") if $r1 == $r2 && $c1 == $c2;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    ($c1, $c2) = ($c2, $c1) if $c1 > $c2;
    return -2 if _dims_bad($r1, $c1) || _dims_bad($r2, $c2);
    $self->_call('merge_range', $r1 + 0, $c1 + 0, $r2 + 0, $c2 + 0);
    my %m = (string => 'write_string', number => 'write_number', blank => 'write_blank', date_time => 'write_date_time',
             rich_string => 'write_rich_string', url => 'write_url', formula => 'write_formula',
             # the real module's own name here (a method it does not have)
             array_formula => 'write_formula_array');
    my $m = $m{$type} or Carp::croak("Unknown type '$type'");
    $self->$m($r1, $c1, @args);
    $self->_merge_blanks($r1, $c1, $r2, $c2, $format);
    return;
}

sub _merge_blanks {
    my ($self, $r1, $c1, $r2, $c2, $format) = @_;
    for my $r ($r1 .. $r2) {
        for my $c ($c1 .. $c2) {
            next if $r == $r1 && $c == $c1;
            $self->write_blank($r, $c, $format);
        }
    }
}

# A recorded call of this worksheet (see Workbook::_call).
sub _call {
    my ($self, $method, @args) = @_;
    return $self->_wb->_call({ sheet => $self->{_idx} + 0 }, $method, \@args);
}

# The rest of the class, a file per owner of the workbook writer: page setup, views, columns and
# rows, formulas, links (Core), rules (Rules), comments, buttons and tables (Notes), charts, images
# and shapes (Drawing).
require CPANBridge::Excel::Worksheet::Core;
require CPANBridge::Excel::Worksheet::Rules;
require CPANBridge::Excel::Worksheet::Notes;
require CPANBridge::Excel::Worksheet::Drawing;

1;
