package CPANBridge::Excel::Worksheet;

# The worksheet's notes as Excel::Writer::XLSX 1.10 has them: write_comment, show_comments,
# set_comments_author, insert_button and add_table (with the header, total and data cells it
# writes), and the image options of set_header/set_footer. Each method checks its arguments, warns,
# croaks and returns as the real method does; what it stores is sent as a recorded call
# (excel.call, pipelined after the cells before it) that the daemon replays at close
# (src/modules/excel/xlsx/methods/notes.ts) and writes (src/modules/excel/xlsx/notes/).

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Excel::Chart ();

my $NOTES_ROWMAX = 1_048_576;
my $NOTES_COLMAX = 16_384;

# The recorded call of this worksheet (core's Worksheet::_call: formats as references).
sub _notes_call {
    my $self = shift;
    return $self->_call(@_);
}

# Worksheet::_check_dimensions' range test (the daemon widens <dimension> when it replays).
sub _notes_dims_bad {
    my ($row, $col) = @_;
    return 1 if !defined $row || $row >= $NOTES_ROWMAX || !defined $col || $col >= $NOTES_COLMAX;
    return 0;
}

sub _notes_fmt {
    my ($f) = @_;
    return undef unless Scalar::Util::blessed($f) && defined $f->{_idx};
    return { '$fmt' => $f->{_idx} + 0 };
}

# sizes, offsets and scales with all their digits (chart's '%.17g': the real module computes with them)
sub _notes_num { defined $_[0] ? CPANBridge::Excel::Chart::_num17($_[0]) : undef }
sub _notes_str { defined $_[0] ? "$_[0]" : undef }

# --- comments --------------------------------------------------------------------------------

my @COMMENT_NUM = qw(width height x_offset y_offset x_scale y_scale start_row start_col);
# start_cell is converted at close, as the real module converts it (and croaks there about a bad one)
my @COMMENT_STR = qw(author color visible font font_size font_family start_cell);

sub write_comment {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col) = @_;
    Carp::croak('Uneven number of additional arguments') unless @_ % 2;
    return -2 if _notes_dims_bad($row, $col);
    # constant memory mode: rows already written out take no more (Worksheet::_check_dimensions)
    return -2 if ($self->{_optimization} || 0) == 1 && $row < ($self->{_previous_row} || 0);
    my (undef, undef, $string, %o) = @_;
    my %opt;
    for (@COMMENT_NUM) { $opt{$_} = _notes_num($o{$_}) if exists $o{$_} }
    for (@COMMENT_STR) { $opt{$_} = _notes_str($o{$_}) if exists $o{$_} }
    # numbers stay numbers: the daemon prints them as Perl does
    for (qw(font_size font_family visible)) {
        $opt{$_} = $o{$_} + 0 if defined $o{$_} && $o{$_} =~ /^-?\d+(?:\.\d+)?$/;
    }
    $string = '' unless defined $string;
    $self->_notes_call('write_comment', $row + 0, $col + 0, "$string", \%opt);
    return [ $row, $col, $string, %o ];
}

sub show_comments {
    my $self = shift;
    my $v = defined $_[0] ? $_[0] : 1;
    $self->_notes_call('show_comments', $v =~ /^-?\d+(?:\.\d+)?$/ ? $v + 0 : "$v");
    return $v;
}

sub set_comments_author {
    my $self = shift;
    return '' unless defined $_[0];    # what the real one's `... if defined` gives back
    $self->_notes_call('set_comments_author', "$_[0]");
    return $_[0];
}

# --- buttons ---------------------------------------------------------------------------------

sub insert_button {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $p) = @_;
    # Worksheet::_button_params sizes the button in the caller's hash (a hash used again keeps them)
    $p->{width}    = 64 if !$p->{width};
    $p->{height}   = ($self->_wb->{_excel2003_style} ? 17 : 20) if !$p->{height};
    $p->{x_offset} = 0 if !$p->{x_offset};
    $p->{y_offset} = 0 if !$p->{y_offset};
    $p->{width}    = $p->{width} * $p->{x_scale}  if $p->{x_scale};
    $p->{height}   = $p->{height} * $p->{y_scale} if $p->{y_scale};
    $p->{width}    = int(0.5 + $p->{width});
    $p->{height}   = int(0.5 + $p->{height});
    @$p{qw(start_row start_col)} = ($row, $col);
    my %opt = map { ($_ => _notes_num($p->{$_})) } qw(width height x_offset y_offset);
    for (qw(caption macro description)) { $opt{$_} = _notes_str($p->{$_}) if exists $p->{$_} }
    $self->_notes_call('insert_button', $row + 0, $col + 0, \%opt);
    return 1;
}

# --- tables ----------------------------------------------------------------------------------

my %TABLE_PARAM = map { $_ => 1 }
    qw(autofilter banded_columns banded_rows columns data first_column header_row last_column name style total_row);

my %SUBTOTAL = (average => 101, countNums => 102, count => 103, max => 104, min => 105, stdDev => 107, sum => 109, var => 110);

# Worksheet::_table_function_to_formula
sub _notes_total_formula {
    my ($function, $col_name) = @_;
    $col_name =~ s/'/''/g;
    $col_name =~ s/#/'#/g;
    $col_name =~ s/\[/'[/g;
    $col_name =~ s/]/']/g;
    return "SUBTOTAL($SUBTOTAL{$function},[$col_name])" if exists $SUBTOTAL{$function};
    Carp::carp("Unsupported function '$function' in add_table()");
    return '';
}

sub add_table {
    my $self = shift;
    if (($self->{_optimization} || 0) == 1) {
        Carp::carp("add_table() isn't supported when set_optimization() is on");
        return -1;
    }
    @_ = CPANBridge::Excel::substitute_cellref(@_) if @_ && $_[0] =~ /^\D/;
    if (@_ < 4) {
        Carp::carp('Not enough parameters to add_table()');
        return -1;
    }
    my ($row1, $col1, $row2, $col2) = @_;
    return -2 if _notes_dims_bad($row1, $col1) || _notes_dims_bad($row2, $col2);
    ($row1, $row2) = ($row2, $row1) if $row1 > $row2;
    ($col1, $col2) = ($col2, $col1) if $col1 > $col2;
    my $param = $_[4] || {};
    if (ref $param ne 'HASH') {
        Carp::carp("Last parameter '$param' in add_table() must be a hash ref");
        return -3;
    }
    for my $key (keys %$param) {
        next if $TABLE_PARAM{$key};
        Carp::carp("Unknown parameter '$key' in add_table()");
        return -3;
    }
    # Excel's defaults, set in the caller's hash as the real module sets them
    $param->{banded_rows} = 1 if !defined $param->{banded_rows};
    $param->{header_row}  = 1 if !defined $param->{header_row};
    $param->{autofilter}  = 1 if !defined $param->{autofilter};
    my $num_rows = $row2 - $row1;
    $num_rows -= 1 if $param->{header_row};
    if ($num_rows < 0) {
        Carp::carp('Must have at least one data row in in add_table()');
        return -3;
    }
    my %table = (_range => CPANBridge::Excel::Worksheet::_notes_range($row1, $row2, $col1, $col2));
    if (defined $param->{name}) {
        my $name = $param->{name};
        if ($name !~ m/^[\w\\][\w\\.]*$/ || $name =~ m/^\d/) {
            Carp::carp("Invalid character in name '$name' used in add_table()");
            return -3;
        }
        if ($name =~ m/^[a-zA-Z][a-zA-Z]?[a-dA-D]?[0-9]+$/) {
            Carp::carp("Invalid name '$name' looks like a cell name in add_table()");
            return -3;
        }
        if ($name =~ m/^[rcRC]$/ || $name =~ m/^[rcRC]\d+[rcRC]\d+$/) {
            Carp::carp("Invalid name '$name' like a RC cell ref in add_table()");
            return -3;
        }
        $table{_name} = $name;
    }
    my $first_data_row = $row1;
    my $last_data_row  = $row2;
    $first_data_row++ if $param->{header_row};
    $last_data_row--  if $param->{total_row};

    my (%seen, @col_formats, @columns);
    my $col_id = 1;
    for my $col_num ($col1 .. $col2) {
        my $name = 'Column' . $col_id;
        my $name_format;
        my $user = $param->{columns} ? $param->{columns}->[ $col_id - 1 ] : undef;
        if ($param->{columns}) {
            if ($user) {
                $name = $user->{header} if $user->{header};
                if ($seen{ lc $name }++) {
                    Carp::carp("add_table() contains duplicate name: '$name'");
                    return -1;
                }
                $name_format = $user->{header_format};
                if ($user->{formula}) {
                    my $formula = $user->{formula};
                    $formula =~ s/^=//;
                    $formula =~ s/@/[#This Row],/g;
                    $self->write_formula($_, $col_num, $formula, $user->{format}) for $first_data_row .. $last_data_row;
                }
                if ($user->{total_function}) {
                    my $function = lc $user->{total_function};
                    $function =~ s/_//g;
                    $function =~ s/\s//g;
                    $function = 'countNums' if $function eq 'countnums';
                    $function = 'stdDev'    if $function eq 'stddev';
                    my $formula = _notes_total_formula($function, $name);
                    $self->write_formula($row2, $col_num, $formula, $user->{format}, $user->{total_value} || 0);
                }
                elsif ($user->{total_string}) {
                    $self->write_string($row2, $col_num, $user->{total_string}, $user->{format});
                }
                # the dxf index the real add_table takes here (the daemon numbers it again at replay)
                $user->{format}->_local_dxf_index if Scalar::Util::blessed($user->{format}) && $user->{format}->can('_local_dxf_index');
                $col_formats[ $col_id - 1 ] = $user->{format};
            }
        }
        push @columns, $user ? {
            header         => _notes_str($user->{header}),
            header_format  => _notes_fmt($user->{header_format}),
            formula        => _notes_str($user->{formula}),
            total_function => _notes_str($user->{total_function}),
            total_string   => _notes_str($user->{total_string}),
            format         => _notes_fmt($user->{format}),
        } : undef;
        $self->write_string($row1, $col_num, $name, $name_format) if $param->{header_row};
        $col_id++;
    }
    if (my $data = $param->{data}) {
        my $i = 0;
        for my $row ($first_data_row .. $last_data_row) {
            my $j = 0;
            for my $col ($col1 .. $col2) {
                my $token = $data->[$i]->[$j];
                $self->write($row, $col, $token, $col_formats[$j]) if defined $token;
                $j++;
            }
            $i++;
        }
    }
    my %sent;
    for (qw(autofilter banded_columns banded_rows first_column header_row last_column total_row name style)) {
        $sent{$_} = _notes_str($param->{$_}) if exists $param->{$_};
    }
    $sent{columns} = \@columns if $param->{columns};
    $self->_notes_call('add_table', $row1 + 0, $col1 + 0, $row2 + 0, $col2 + 0, \%sent);
    return \%table;
}

# --- header/footer images ---------------------------------------------------------------------

# set_header/set_footer's image options ($kind 'H' or 'F'), in the real module's order (left,
# centre, right): [{ filename, position }]. Core's set_header/set_footer count them against the &G
# placeholders, then call _hf_images_upload and send them in the call's args.
sub _hf_images {
    my ($self, $options, $kind) = @_;
    my @images;
    for ([ image_left => 'L' ], [ image_center => 'C' ], [ image_right => 'R' ]) {
        my ($key, $place) = @$_;
        my $file = $options->{$key} or next;
        push @images, { filename => "$file", position => $place . $kind };
    }
    # the real set_header/set_footer reset the list here, whatever follows
    $self->_hf_keys($kind, []);
    return \@images;
}

# The image keys of the header images then the footer images (the order the real module reads
# them at close, in which the drawing side prints what 1.10's _process_gif prints).
sub _hf_keys {
    my ($self, $kind, $keys) = @_;
    $self->{_hf_keys_by_kind}{$kind} = $keys;
    $self->{_hf_image_keys} = [ map { @{ $self->{_hf_keys_by_kind}{$_} || [] } } qw(H F) ];
    return;
}

# The images' bytes, read here with the script's permissions and journaled with the workbook as
# insert_image's are (the daemon never opens a client's path): each gets its `image` key.
sub _hf_images_upload {
    my ($self, $images) = @_;
    my $wb = $self->_wb;
    Carp::croak('set_header/set_footer images: the workbook cannot upload images yet (not supported)')
        unless $wb->can('_image_ref');
    $_->{image} = $wb->_image_ref($_->{filename}) for @$images;
    $self->_hf_keys(substr($images->[0]{position}, 1), [ map { $_->{image} } @$images ]) if @$images;
    return $images;
}

# Utility::xl_range (relative): one cell when both corners are the same.
sub _notes_range {
    my ($r1, $r2, $c1, $c2) = @_;
    my ($a, $b) = (CPANBridge::Excel::rowcol_to_cell($r1, $c1), CPANBridge::Excel::rowcol_to_cell($r2, $c2));
    return $a eq $b ? $a : "$a:$b";
}

1;
