package CPANBridge::Excel::Worksheet;

# The worksheet's rules as Excel::Writer::XLSX 1.10 has them: conditional_formatting,
# data_validation, add_sparkline, autofilter, filter_column(_list), protect, unprotect_range,
# ignore_errors. Each method checks its arguments, warns, croaks and returns exactly as the real
# method does, and normalises its parameters as it does; the result is sent as a recorded call
# (excel.call, pipelined after the cells before it) that the daemon replays at close
# (src/modules/excel/xlsx/methods/rules.ts) and writes (src/modules/excel/xlsx/rules/).

use strict;
use warnings;
use Carp ();

my $ROWMAX = 1_048_576;
my $COLMAX = 16_384;

# --- helpers --------------------------------------------------------------------------------
# (calls are sent with Worksheet::_call: formats travel as references)

# A scalar as Perl prints it (the daemon writes the strings it is given); undef stays undef.
sub _rules_str { defined $_[0] ? "$_[0]" : undef }

sub _rules_strs {
    my ($h) = @_;
    return { map { ($_ => _rules_str($h->{$_})) } keys %$h };
}

# Worksheet::_get_palette_color's checks at call time (the daemon converts the colour at replay):
# an index is numified (with Perl's warning for a name) and must be in the palette, else Perl dies.
sub _rules_check_color {
    my ($self, $color) = @_;
    return if $color =~ m/^#([0-9A-F]{6})$/i;
    my $index = $color - 8;
    my $palette = $self->_wb->{_palette} || [];
    die "Can't use an undefined value as an ARRAY reference" unless ref $palette->[$index];
    return;
}

sub _rules_substitute {
    my $self = shift;
    return CPANBridge::Excel::substitute_cellref(@_);
}

# Utility::quote_sheetname, as the real module quotes names in ranges.
sub _rules_quote_sheetname {
    my $name = $_[0];
    if ($name =~ /\W/ && $name !~ /^'/) {
        $name =~ s/'/''/g;
        $name = q(') . $name . q(');
    }
    return $name;
}

sub _rules_cell { CPANBridge::Excel::rowcol_to_cell(@_) }

# Utility::xl_range (relative): one cell when both corners are the same.
sub _rules_range {
    my ($r1, $r2, $c1, $c2) = @_;
    my ($a, $b) = (_rules_cell($r1, $c1), _rules_cell($r2, $c2));
    return $a eq $b ? $a : "$a:$b";
}

sub _rules_dims_bad {
    my ($row, $col) = @_;
    return 1 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    return 0;
}

# --- protection -----------------------------------------------------------------------------

my @PROTECT_DEFAULTS = (
    sheet => 1, content => 0, objects => 0, scenarios => 0, format_cells => 0, format_columns => 0,
    format_rows => 0, insert_columns => 0, insert_rows => 0, insert_hyperlinks => 0, delete_columns => 0,
    delete_rows => 0, select_locked_cells => 1, sort => 0, autofilter => 0, pivot_tables => 0,
    select_unlocked_cells => 1,
);

sub protect {
    my $self     = shift;
    my $password = shift || '';
    my $options  = shift || {};
    $password = $self->_encode_password($password) if $password ne '';
    my %defaults = @PROTECT_DEFAULTS;
    for my $key (keys %{$options}) {
        if (exists $defaults{$key}) { $defaults{$key} = $options->{$key} }
        else { Carp::carp("Unknown protection object: $key\n") }
    }
    $defaults{password} = $password;
    $self->{_protect} = \%defaults;
    $self->_call('protect', _rules_strs(\%defaults));
    return $self->{_protect};
}

sub unprotect_range {
    my $self       = shift;
    my $range      = shift;
    my $range_name = shift;
    my $password   = shift;
    if (!defined $range) {
        Carp::carp("The range must be defined in unprotect_range())\n");
        return;
    }
    $range =~ s/\$//g;
    $range =~ s/^=//;
    $self->{_num_protected_ranges}++;
    $range_name = 'Range' . $self->{_num_protected_ranges} if !defined $range_name;
    $password = $self->_encode_password($password) if defined $password;
    push @{ $self->{_protected_ranges} }, [ $range, $range_name, $password ];
    $self->_call('unprotect_range', "$range", "$range_name", _rules_str($password));
    return scalar @{ $self->{_protected_ranges} };
}

# The real module's password hash (Daniel Rentz's algorithm for OpenOffice).
sub _encode_password {
    use integer;
    my ($self, $plaintext) = @_;
    my $i = 0;
    my @chars = split //, $plaintext;
    my $count = @chars;
    for my $char (@chars) {
        $char = ord($char) << ++$i;
        my $low_15  = $char & 0x7fff;
        my $high_15 = ($char & 0x7fff << 15) >> 15;
        $char = $low_15 | $high_15;
    }
    my $password = 0x0000;
    $password ^= $_ for @chars;
    $password ^= $count;
    $password ^= 0xCE4B;
    return sprintf '%X', $password;
}

# --- ignore_errors --------------------------------------------------------------------------

my %IGNORE_KEYS = map { $_ => 1 } qw(number_stored_as_text eval_error formula_differs formula_range
    formula_unlocked empty_cell_reference list_data_validation calculated_column two_digit_text_year);

sub ignore_errors {
    my $self    = shift;
    my $ignores = shift;
    for my $key (keys %$ignores) {
        if (!exists $IGNORE_KEYS{$key}) {
            Carp::carp("Unknown parameter '$key' in ignore_errors()");
            return -3;
        }
    }
    $self->{_ignore_errors} = {%$ignores};
    $self->_call('ignore_errors', _rules_strs($self->{_ignore_errors}));
    return $self->{_ignore_errors};
}

# --- autofilter -----------------------------------------------------------------------------

sub autofilter {
    my $self = shift;
    @_ = $self->_rules_substitute(@_) if $_[0] =~ /^\D/;
    return if @_ != 4;
    my ($row1, $col1, $row2, $col2) = @_;
    ($row1, $row2) = ($row2, $row1) if $row2 < $row1;
    ($col1, $col2) = ($col2, $col1) if $col2 < $col1;
    my $area = $self->_convert_name_area($row1, $col1, $row2, $col2);
    my $ref  = _rules_range($row1, $row2, $col1, $col2);
    $self->{_autofilter}     = $area;
    $self->{_autofilter_ref} = $ref;
    $self->{_filter_range}   = [ $col1, $col2 ];
    $self->_call('autofilter', $area, $ref, $col1 + 0, $col2 + 0);
    return $self->{_filter_range};
}

# "Sheet1!$A$1:$C$13", as worksheet defined names want it (whole rows or columns shortened).
sub _convert_name_area {
    my ($self, $row_num_1, $col_num_1, $row_num_2, $col_num_2) = @_;
    my $col_char_1 = '$' . CPANBridge::Excel::col_to_name($col_num_1);
    my $col_char_2 = '$' . CPANBridge::Excel::col_to_name($col_num_2);
    my $row_char_1 = '$' . ($row_num_1 + 1);
    my $row_char_2 = '$' . ($row_num_2 + 1);
    my ($range1, $range2, $row_col_only) = ('', '', 0);
    if ($row_num_1 == 0 and $row_num_2 == $ROWMAX - 1) {
        ($range1, $range2, $row_col_only) = ($col_char_1, $col_char_2, 1);
    }
    elsif ($col_num_1 == 0 and $col_num_2 == $COLMAX - 1) {
        ($range1, $range2, $row_col_only) = ($row_char_1, $row_char_2, 1);
    }
    else {
        ($range1, $range2) = ($col_char_1 . $row_char_1, $col_char_2 . $row_char_2);
    }
    my $area = ($range1 eq $range2 && !$row_col_only) ? $range1 : "$range1:$range2";
    return _rules_quote_sheetname($self->{_name}) . '!' . $area;
}

sub _filter_col_arg {
    my ($self, $col) = @_;
    if ($col =~ /^\D/) {
        my $col_letter = $col;
        (undef, $col) = $self->_rules_substitute($col . '1');
        Carp::croak("Invalid column '$col_letter'") if $col >= $COLMAX;
    }
    my ($col_first, $col_last) = @{ $self->{_filter_range} };
    if ($col < $col_first or $col > $col_last) {
        Carp::croak("Column '$col' outside autofilter() column range ($col_first .. $col_last)");
    }
    return $col;
}

sub filter_column {
    my $self       = shift;
    my $col        = $_[0];
    my $expression = $_[1];
    Carp::croak('Must call autofilter() before filter_column()') unless $self->{_autofilter};
    Carp::croak('Incorrect number of arguments to filter_column()') unless @_ == 2;
    $col = $self->_filter_col_arg($col);
    my @tokens = $self->_extract_filter_tokens($expression);
    Carp::croak("Incorrect number of tokens in expression '$expression'") unless @tokens == 3 or @tokens == 7;
    @tokens = $self->_parse_filter_expression($expression, @tokens);
    # Excel writes single or double equalities ("or") as list filters
    if (@tokens == 2 && $tokens[0] == 2) {
        $self->filter_column_list($col, $tokens[1]);
    }
    elsif (@tokens == 5 && $tokens[0] == 2 && $tokens[2] == 1 && $tokens[3] == 2) {
        $self->filter_column_list($col, $tokens[1], $tokens[4]);
    }
    else {
        $self->{_filter_cols}{$col} = [@tokens];
        $self->{_filter_type}{$col} = 0;
        $self->_call('filter_column', $col + 0, [ map { _rules_str($_) } @tokens ]);
    }
    $self->{_filter_on} = 1;
}

sub filter_column_list {
    my $self   = shift;
    my $col    = shift;
    my @tokens = @_;
    Carp::croak('Must call autofilter() before filter_column_list()') unless $self->{_autofilter};
    Carp::croak('Incorrect number of arguments to filter_column_list()') unless @tokens;
    $col = $self->_filter_col_arg($col);
    $self->{_filter_cols}{$col} = [@tokens];
    $self->{_filter_type}{$col} = 1;
    $self->{_filter_on}         = 1;
    $self->_call('filter_column_list', $col + 0, [ map { _rules_str($_) } @tokens ]);
    return 1;
}

# The tokens of a filter expression: non-blank runs, or double-quoted strings ("" is a quote).
sub _extract_filter_tokens {
    my ($self, $expression) = @_;
    return unless $expression;
    my @tokens = ($expression =~ /"(?:[^"]|"")*"|\S+/g);
    for (@tokens) {
        s/^"//;
        s/"$//;
        s/""/"/g;
    }
    return @tokens;
}

sub _parse_filter_expression {
    my ($self, $expression, @tokens) = @_;
    if (@tokens == 7) {
        my $conditional = $tokens[3];
        if    ($conditional =~ /^(and|&&)$/)   { $conditional = 0 }
        elsif ($conditional =~ /^(or|\|\|)$/) { $conditional = 1 }
        else {
            Carp::croak("Token '$conditional' is not a valid conditional in filter expression '$expression'");
        }
        my @expression_1 = $self->_parse_filter_tokens($expression, @tokens[0, 1, 2]);
        my @expression_2 = $self->_parse_filter_tokens($expression, @tokens[4, 5, 6]);
        return (@expression_1, $conditional, @expression_2);
    }
    return $self->_parse_filter_tokens($expression, @tokens);
}

my %FILTER_OPS = ('==' => 2, '=' => 2, '=~' => 2, 'eq' => 2, '!=' => 5, '!~' => 5, 'ne' => 5, '<>' => 5,
    '<' => 1, '<=' => 3, '>' => 4, '>=' => 6);

sub _parse_filter_tokens {
    my ($self, $expression, @tokens) = @_;
    my $operator = $FILTER_OPS{ $tokens[1] };
    my $token    = $tokens[2];
    if ($tokens[0] =~ /^top|bottom$/i) {
        my $value = $tokens[1];
        if ($value =~ /\D/ or $value < 1 or $value > 500) {
            Carp::croak("The value '$value' in expression '$expression' must be in the range 1 to 500");
        }
        $token = lc $token;
        if ($token ne 'items' and $token ne '%') {
            Carp::croak("The type '$token' in expression '$expression' must be either 'items' or '%'");
        }
        $operator = $tokens[0] =~ /^top$/i ? 30 : 32;
        $operator++ if $tokens[2] eq '%';
        $token = $value;
    }
    if (not $operator and $tokens[0]) {
        Carp::croak("Token '$tokens[1]' is not a valid operator in filter expression '$expression'");
    }
    if ($token =~ /^blanks|nonblanks$/i) {
        if ($operator != 2 and $operator != 5) {
            Carp::croak("The operator '$tokens[1]' in expression '$expression' is not valid in relation to Blanks/NonBlanks'");
        }
        $token = lc $token;
        # the operator stays 2 (=), a "simple" equality: <> becomes =
        if ($token eq 'blanks') {
            $token = ' ' if $operator == 5;
        }
        elsif ($operator == 5) { ($operator, $token) = (2, 'blanks') }
        else                   { ($operator, $token) = (5, ' ') }
    }
    # Excel's match characters make the equality a non "simple" one
    $operator = 22 if $operator == 2 and $token =~ /[*?]/;
    return ($operator, $token);
}

# --- data_validation ------------------------------------------------------------------------

my %DV_PARAMS = map { $_ => 1 } qw(validate criteria value source minimum maximum ignore_blank dropdown
    show_input input_title input_message show_error error_title error_message error_type other_cells);

my %DV_TYPES = ('any' => 'none', 'any value' => 'none', 'whole number' => 'whole', 'whole' => 'whole',
    'integer' => 'whole', 'decimal' => 'decimal', 'list' => 'list', 'date' => 'date', 'time' => 'time',
    'text length' => 'textLength', 'length' => 'textLength', 'custom' => 'custom');

my %CRITERIA = ('between' => 'between', 'not between' => 'notBetween', 'equal to' => 'equal', '=' => 'equal',
    '==' => 'equal', 'not equal to' => 'notEqual', '!=' => 'notEqual', '<>' => 'notEqual',
    'greater than' => 'greaterThan', '>' => 'greaterThan', 'less than' => 'lessThan', '<' => 'lessThan',
    'greater than or equal to' => 'greaterThanOrEqual', '>=' => 'greaterThanOrEqual',
    'less than or equal to' => 'lessThanOrEqual', '<=' => 'lessThanOrEqual');

my %ERROR_TYPES = (stop => 0, warning => 1, information => 2);

# What the writer uses of a validation (the rest of the hash stays in Perl).
my @DV_SENT = qw(validate criteria maximum error_type ignore_blank dropdown show_input show_error
    error_title error_message input_title input_message);

sub data_validation {
    my $self = shift;
    @_ = $self->_rules_substitute(@_) if $_[0] =~ /^\D/;
    return -1 if @_ != 5 && @_ != 3;
    my $options = pop;
    my ($row1, $col1, $row2, $col2) = @_;
    ($row2, $col2) = ($row1, $col1) if !defined $row2;
    return -2 if _rules_dims_bad($row1, $col1) || _rules_dims_bad($row2, $col2);
    if (ref $options ne 'HASH') {
        Carp::carp('Last parameter in data_validation() must be a hash ref');
        return -3;
    }
    my $param = {%$options};
    for my $key (keys %$param) {
        if (!exists $DV_PARAMS{$key}) {
            Carp::carp("Unknown parameter '$key' in data_validation()");
            return -3;
        }
    }
    $param->{value} = $param->{source}  if defined $param->{source};
    $param->{value} = $param->{minimum} if defined $param->{minimum};
    if (!exists $param->{validate}) {
        Carp::carp("Parameter 'validate' is required in data_validation()");
        return -3;
    }
    if (!exists $DV_TYPES{ lc $param->{validate} }) {
        Carp::carp("Unknown validation type '$param->{validate}' for parameter 'validate' in data_validation()");
        return -3;
    }
    $param->{validate} = $DV_TYPES{ lc $param->{validate} };
    # 'any' needs nothing written, unless it has an input message
    return 0 if $param->{validate} eq 'none' && !defined $param->{input_message} && !defined $param->{input_title};
    if ($param->{validate} eq 'none' || $param->{validate} eq 'list' || $param->{validate} eq 'custom') {
        $param->{criteria} = 'between';
        $param->{maximum}  = undef;
    }
    if (!exists $param->{criteria}) {
        Carp::carp("Parameter 'criteria' is required in data_validation()");
        return -3;
    }
    if (!exists $CRITERIA{ lc $param->{criteria} }) {
        Carp::carp("Unknown criteria type '$param->{criteria}' for parameter 'criteria' in data_validation()");
        return -3;
    }
    $param->{criteria} = $CRITERIA{ lc $param->{criteria} };
    if ($param->{criteria} eq 'between' || $param->{criteria} eq 'notBetween') {
        if (!exists $param->{maximum}) {
            Carp::carp("Parameter 'maximum' is required in data_validation() when using 'between' or 'not between' criteria");
            return -3;
        }
    }
    else {
        $param->{maximum} = undef;
    }
    if (!exists $param->{error_type}) {
        $param->{error_type} = 0;
    }
    elsif (!exists $ERROR_TYPES{ lc $param->{error_type} }) {
        Carp::carp("Unknown criteria type '$param->{error_type}' for parameter 'error_type' in data_validation()");
        return -3;
    }
    else {
        $param->{error_type} = $ERROR_TYPES{ lc $param->{error_type} };
    }
    if ($param->{validate} eq 'date' || $param->{validate} eq 'time') {
        my $dt = $self->convert_date_time($param->{value});
        $param->{value} = $dt if defined $dt;
        if (defined $param->{maximum}) {
            my $dt2 = $self->convert_date_time($param->{maximum});
            $param->{maximum} = $dt2 if defined $dt2;
        }
    }
    for (['input_title', 'input title', 32], ['error_title', 'error title', 32],
         ['input_message', 'input message', 255], ['error_message', 'error message', 255]) {
        my ($key, $what, $max) = @$_;
        if ($param->{$key} and length $param->{$key} > $max) {
            Carp::carp("Length of $what '$param->{$key}' exceeds Excel's limit of $max");
            return -3;
        }
    }
    if ($param->{validate} eq 'list' && ref $param->{value} eq 'ARRAY') {
        my $formula = join ',', @{ $param->{value} };
        if (length $formula > 255) {
            Carp::carp("Length of list items '$formula' exceeds Excel's limit of 255, use a formula range instead");
            return -3;
        }
    }
    for (qw(ignore_blank dropdown show_input show_error)) { $param->{$_} = 1 if !defined $param->{$_} }
    $param->{cells} = [ [ $row1, $col1, $row2, $col2 ] ];
    push @{ $param->{cells} }, @{ $param->{other_cells} } if exists $param->{other_cells};
    push @{ $self->{_validations} }, $param;

    my %sent = map { exists $param->{$_} ? ($_ => _rules_str($param->{$_})) : () } @DV_SENT;
    $sent{value} = ref $param->{value} eq 'ARRAY' ? [ map { _rules_str($_) } @{ $param->{value} } ] : _rules_str($param->{value});
    $sent{cells} = [ map { [ map { $_ + 0 } @$_ ] } @{ $param->{cells} } ];
    $self->_call('data_validation', \%sent);
    return scalar @{ $self->{_validations} };
}

# --- conditional_formatting -----------------------------------------------------------------

my %CF_PARAMS = map { $_ => 1 } qw(type format criteria value minimum maximum stop_if_true min_type mid_type
    max_type min_value mid_value max_value min_color mid_color max_color bar_color bar_negative_color
    bar_negative_color_same bar_solid bar_border_color bar_negative_border_color bar_negative_border_color_same
    bar_no_border bar_direction bar_axis_position bar_axis_color bar_only icon_style reverse_icons icons_only
    icons data_bar_2010);

my %CF_TYPES = ('cell' => 'cellIs', 'date' => 'date', 'time' => 'time', 'average' => 'aboveAverage',
    'duplicate' => 'duplicateValues', 'unique' => 'uniqueValues', 'top' => 'top10', 'bottom' => 'top10',
    'text' => 'text', 'time_period' => 'timePeriod', 'blanks' => 'containsBlanks',
    'no_blanks' => 'notContainsBlanks', 'errors' => 'containsErrors', 'no_errors' => 'notContainsErrors',
    '2_color_scale' => '2_color_scale', '3_color_scale' => '3_color_scale', 'data_bar' => 'dataBar',
    'formula' => 'expression', 'icon_set' => 'iconSet');

my %CF_CRITERIA = (%CRITERIA, 'containing' => 'containsText', 'not containing' => 'notContains',
    'begins with' => 'beginsWith', 'ends with' => 'endsWith', 'yesterday' => 'yesterday', 'today' => 'today',
    'last 7 days' => 'last7Days', 'last week' => 'lastWeek', 'this week' => 'thisWeek',
    'next week' => 'nextWeek', 'last month' => 'lastMonth', 'this month' => 'thisMonth',
    'next month' => 'nextMonth');

my %ICON_STYLES = ('3_arrows' => '3Arrows', '3_flags' => '3Flags', '3_traffic_lights_rimmed' => '3TrafficLights2',
    '3_symbols_circled' => '3Symbols', '4_arrows' => '4Arrows', '4_red_to_black' => '4RedToBlack',
    '4_traffic_lights' => '4TrafficLights', '5_arrows_gray' => '5ArrowsGray', '5_quarters' => '5Quarters',
    '3_arrows_gray' => '3ArrowsGray', '3_traffic_lights' => '3TrafficLights', '3_signs' => '3Signs',
    '3_symbols' => '3Symbols2', '4_arrows_gray' => '4ArrowsGray', '4_ratings' => '4Rating',
    '5_arrows' => '5Arrows', '5_ratings' => '5Rating');

# The formulas of the time_period criteria (%s: the range's first cell).
my %TIME_PERIODS = (
    yesterday => 'FLOOR(%1$s,1)=TODAY()-1',
    today     => 'FLOOR(%1$s,1)=TODAY()',
    tomorrow  => 'FLOOR(%1$s,1)=TODAY()+1',
    last7Days => 'AND(TODAY()-FLOOR(%1$s,1)<=6,FLOOR(%1$s,1)<=TODAY())',
    lastWeek  => 'AND(TODAY()-ROUNDDOWN(%1$s,0)>=(WEEKDAY(TODAY())),TODAY()-ROUNDDOWN(%1$s,0)<(WEEKDAY(TODAY())+7))',
    thisWeek  => 'AND(TODAY()-ROUNDDOWN(%1$s,0)<=WEEKDAY(TODAY())-1,ROUNDDOWN(%1$s,0)-TODAY()<=7-WEEKDAY(TODAY()))',
    nextWeek  => 'AND(ROUNDDOWN(%1$s,0)-TODAY()>(7-WEEKDAY(TODAY())),ROUNDDOWN(%1$s,0)-TODAY()<(15-WEEKDAY(TODAY())))',
    # (the real module has A1 here, not the first cell)
    lastMonth => 'AND(MONTH(%1$s)=MONTH(TODAY())-1,OR(YEAR(%1$s)=YEAR(TODAY()),AND(MONTH(%1$s)=1,YEAR(A1)=YEAR(TODAY())-1)))',
    thisMonth => 'AND(MONTH(%1$s)=MONTH(TODAY()),YEAR(%1$s)=YEAR(TODAY()))',
    nextMonth => 'AND(MONTH(%1$s)=MONTH(TODAY())+1,OR(YEAR(%1$s)=YEAR(TODAY()),AND(MONTH(%1$s)=12,YEAR(%1$s)=YEAR(TODAY())+1)))',
);

my @DATA_BAR_2010_KEYS = qw(data_bar_2010 bar_solid bar_border_color bar_negative_color bar_negative_color_same
    bar_negative_border_color bar_negative_border_color_same bar_no_border bar_axis_position bar_axis_color
    bar_direction);

sub conditional_formatting {
    my $self       = shift;
    my $user_range = '';
    if ($_[0] =~ /^\D/) {
        # a multiple range such as B3:K6,B8:K11
        if ($_[0] =~ /,/) {
            $user_range = $_[0];
            $user_range =~ s/^=//;
            $user_range =~ s/\s*,\s*/ /g;
            $user_range =~ s/\$//g;
        }
        @_ = $self->_rules_substitute(@_);
    }
    my $options = pop;
    my ($row1, $col1, $row2, $col2) = @_;
    ($row2, $col2) = ($row1, $col1) if !defined $row2;
    return -2 if _rules_dims_bad($row1, $col1) || _rules_dims_bad($row2, $col2);
    if (ref $options ne 'HASH') {
        Carp::carp('Last parameter in conditional_formatting() must be a hash ref');
        return -3;
    }
    my $param = {%$options};
    for my $key (keys %$param) {
        if (!exists $CF_PARAMS{$key}) {
            Carp::carp("Unknown parameter '$key' in conditional_formatting()");
            return -3;
        }
    }
    if (!exists $param->{type}) {
        Carp::carp("Parameter 'type' is required in conditional_formatting()");
        return -3;
    }
    if (!exists $CF_TYPES{ lc $param->{type} }) {
        Carp::carp("Unknown validation type '$param->{type}' for parameter 'type' in conditional_formatting()");
        return -3;
    }
    $param->{direction} = 'bottom' if $param->{type} eq 'bottom';
    $param->{type} = $CF_TYPES{ lc $param->{type} };

    if (defined $param->{criteria} && exists $CF_CRITERIA{ lc $param->{criteria} }) {
        $param->{criteria} = $CF_CRITERIA{ lc $param->{criteria} };
    }
    if ($param->{type} eq 'date' || $param->{type} eq 'time') {
        $param->{type} = 'cellIs';
        for my $key (qw(value minimum maximum)) {
            next unless defined $param->{$key} && $param->{$key} =~ /T/;
            my $dt = $self->convert_date_time($param->{$key});
            if (!defined $dt) {
                Carp::carp("Invalid date/time value '$param->{$key}' in conditional_formatting()");
                return -3;
            }
            $param->{$key} = $dt;
        }
    }
    if ($param->{type} eq 'iconSet') {
        if (!defined $param->{icon_style}) {
            Carp::carp("The 'icon_style' parameter must be specified when 'type' == 'icon_set' in conditional_formatting()");
            return -3;
        }
        if (!exists $ICON_STYLES{ $param->{icon_style} }) {
            Carp::carp("Unknown icon style '$param->{icon_style}' for parameter 'icon_style' in conditional_formatting()");
            return -3;
        }
        $param->{icon_style} = $ICON_STYLES{ $param->{icon_style} };
        $param->{total_icons} = $param->{icon_style} =~ /^4/ ? 4 : $param->{icon_style} =~ /^5/ ? 5 : 3;
        $param->{icons} = $self->_set_icon_properties($param->{total_icons}, $param->{icons});
    }

    ($row1, $row2) = ($row2, $row1) if $row1 > $row2;
    ($col1, $col2) = ($col2, $col1) if $col1 > $col2;
    my $range      = _rules_range($row1, $row2, $col1, $col2);
    my $start_cell = _rules_cell($row1, $col1);
    $range = $user_range if $user_range;

    # The format's dxf index, numbered in the shim's table as get_dxf_index does (the daemon numbers
    # it again at replay, in call order); colour scales and data bars take it too, then drop it.
    # The priority is counted at replay.
    $param->{format}->_local_dxf_index if ref $param->{format} && $param->{format}->can('_local_dxf_index');
    $param->{_is_data_bar_2010} = 1 if $self->{_use_data_bars_2010} || grep { $param->{$_} } @DATA_BAR_2010_KEYS;

    if ($param->{type} eq 'text') {
        my $c = $param->{criteria};
        $c = '' unless defined $c;
        if ($c eq 'containsText') {
            $param->{type}    = 'containsText';
            $param->{formula} = sprintf 'NOT(ISERROR(SEARCH("%s",%s)))', $param->{value}, $start_cell;
        }
        elsif ($c eq 'notContains') {
            $param->{type}    = 'notContainsText';
            $param->{formula} = sprintf 'ISERROR(SEARCH("%s",%s))', $param->{value}, $start_cell;
        }
        elsif ($c eq 'beginsWith') {
            $param->{type}    = 'beginsWith';
            $param->{formula} = sprintf 'LEFT(%s,%d)="%s"', $start_cell, length($param->{value}), $param->{value};
        }
        elsif ($c eq 'endsWith') {
            $param->{type}    = 'endsWith';
            $param->{formula} = sprintf 'RIGHT(%s,%d)="%s"', $start_cell, length($param->{value}), $param->{value};
        }
        else {
            Carp::carp("Invalid text criteria '$param->{criteria}' in conditional_formatting()");
        }
    }
    if ($param->{type} eq 'timePeriod') {
        my $f = defined $param->{criteria} ? $TIME_PERIODS{ $param->{criteria} } : undef;
        if (defined $f) { $param->{formula} = sprintf $f, $start_cell }
        else { Carp::carp("Invalid time_period criteria '$param->{criteria}' in conditional_formatting()") }
    }
    $param->{formula} = sprintf 'LEN(TRIM(%s))=0', $start_cell   if $param->{type} eq 'containsBlanks';
    $param->{formula} = sprintf 'LEN(TRIM(%s))>0', $start_cell   if $param->{type} eq 'notContainsBlanks';
    $param->{formula} = sprintf 'ISERROR(%s)', $start_cell       if $param->{type} eq 'containsErrors';
    $param->{formula} = sprintf 'NOT(ISERROR(%s))', $start_cell  if $param->{type} eq 'notContainsErrors';

    # (colours are turned into ARGB at replay, with the workbook's palette)
    if ($param->{type} eq '2_color_scale') {
        $param->{type}      = 'colorScale';
        $param->{mid_type}  = undef;
        $param->{mid_color} = undef;
        $param->{min_type}  ||= 'min';
        $param->{max_type}  ||= 'max';
        $param->{min_value} ||= 0;
        $param->{max_value} ||= 0;
        $param->{min_color} ||= '#FF7128';
        $param->{max_color} ||= '#FFEF9C';
        $self->_rules_check_color($param->{$_}) for qw(max_color min_color);
    }
    if ($param->{type} eq '3_color_scale') {
        $param->{type}      = 'colorScale';
        $param->{min_type}  ||= 'min';
        $param->{mid_type}  ||= 'percentile';
        $param->{max_type}  ||= 'max';
        $param->{min_value} ||= 0;
        $param->{mid_value} = 50 unless defined $param->{mid_value};
        $param->{max_value} ||= 0;
        $param->{min_color} ||= '#F8696B';
        $param->{mid_color} ||= '#FFEB84';
        $param->{max_color} ||= '#63BE7B';
        $self->_rules_check_color($param->{$_}) for qw(max_color mid_color min_color);
    }
    if ($param->{type} eq 'dataBar') {
        if (!defined $param->{min_type}) { $param->{min_type} = 'min'; $param->{_x14_min_type} = 'autoMin' }
        else { $param->{_x14_min_type} = $param->{min_type} }
        if (!defined $param->{max_type}) { $param->{max_type} = 'max'; $param->{_x14_max_type} = 'autoMax' }
        else { $param->{_x14_max_type} = $param->{max_type} }
        $param->{min_value}                      ||= 0;
        $param->{max_value}                      ||= 0;
        $param->{bar_color}                      ||= '#638EC6';
        $param->{bar_border_color}               ||= $param->{bar_color};
        $param->{bar_only}                       ||= 0;
        $param->{bar_no_border}                  ||= 0;
        $param->{bar_solid}                      ||= 0;
        $param->{bar_direction}                  ||= '';
        $param->{bar_negative_color}             ||= '#FF0000';
        $param->{bar_negative_border_color}      ||= '#FF0000';
        $param->{bar_negative_color_same}        ||= 0;
        $param->{bar_negative_border_color_same} ||= 0;
        $param->{bar_axis_position}              ||= '';
        $param->{bar_axis_color}                 ||= '#000000';
        $self->_rules_check_color($param->{$_})
            for qw(bar_color bar_border_color bar_negative_color bar_negative_border_color bar_axis_color);
    }
    if ($param->{_is_data_bar_2010}) {
        $self->{_excel_version} = 2010;
        $param->{min_value} = undef if $param->{min_type} eq 'min' && $param->{min_value} == 0;
        $param->{max_value} = undef if $param->{max_type} eq 'max' && $param->{max_value} == 0;
        $param->{_range} = $range;
    }
    for (qw(min_value mid_value max_value)) { $param->{$_} =~ s/^=// if defined $param->{$_} }
    push @{ $self->{_cond_formats}{$range} }, $param;

    my %sent;
    for my $key (keys %$param) {
        next if $key eq 'format' || $key eq 'icons';
        $sent{$key} = _rules_str($param->{$key});
    }
    # constant memory mode: the rows already written keep their Excel 2007 form
    $sent{_flushed_row} = ($self->{_previous_row} || 0) . '' if $param->{_is_data_bar_2010} && $self->{_optimization};
    $sent{format} = ref $param->{format} ? $param->{format} : _rules_str($param->{format}) if defined $param->{format};
    $sent{icons} = [ map { _rules_strs($_) } @{ $param->{icons} } ] if $param->{type} eq 'iconSet';
    $self->_call('conditional_formatting', $range, \%sent);
    return scalar @{ $self->{_cond_formats}{$range} };
}

# The icons' cfvo properties: the defaults for the number of icons, then the user's (not for the last icon).
sub _set_icon_properties {
    my ($self, $total_icons, $user_props) = @_;
    my $props = [ map { { criteria => 0, value => 0, type => 'percent' } } 1 .. $total_icons ];
    my %defaults = (3 => [ 67, 33 ], 4 => [ 75, 50, 25 ], 5 => [ 80, 60, 40, 20 ]);
    my $i = 0;
    $props->[ $i++ ]{value} = $_ for @{ $defaults{$total_icons} };
    return $props unless defined $user_props;
    my $max_data = @$user_props;
    $max_data = $total_icons - 1 if $max_data >= $total_icons;
    for my $i (0 .. $max_data - 1) {
        my $user = $user_props->[$i];
        if (defined $user->{value}) {
            $props->[$i]{value} = $user->{value};
            $props->[$i]{value} =~ s/^=//;
        }
        if (defined $user->{type}) {
            my $type = $user->{type};
            if ($type ne 'percent' && $type ne 'percentile' && $type ne 'number' && $type ne 'formula') {
                # the real module dies here: its message reads a hash element of the icon list
                Carp::croak('Not a HASH reference');
            }
            else {
                $props->[$i]{type} = $type eq 'number' ? 'num' : $type;
            }
        }
        $props->[$i]{criteria} = 1 if defined $user->{criteria} && $user->{criteria} eq '>';
    }
    return $props;
}

# --- add_sparkline --------------------------------------------------------------------------

my %SPARK_PARAMS = map { $_ => 1 } qw(location range type high_point low_point negative_points first_point
    last_point markers style series_color negative_color markers_color first_color last_color high_color
    low_color max min axis reverse empty_cells show_hidden plot_hidden date_axis weight);

my @SPARK_MAP = (_high => 'high_point', _low => 'low_point', _negative => 'negative_points',
    _first => 'first_point', _last => 'last_point', _markers => 'markers', _min => 'min', _max => 'max',
    _axis => 'axis', _reverse => 'reverse', _hidden => 'show_hidden', _weight => 'weight');

sub add_sparkline {
    my $self  = shift;
    my $param = shift;
    my $sparkline = {};
    if (ref $param ne 'HASH') {
        Carp::carp('Parameter list in add_sparkline() must be a hash ref');
        return -1;
    }
    for my $key (keys %$param) {
        if (!exists $SPARK_PARAMS{$key}) {
            Carp::carp("Unknown parameter '$key' in add_sparkline()");
            return -2;
        }
    }
    if (!exists $param->{location}) {
        Carp::carp("Parameter 'location' is required in add_sparkline()");
        return -3;
    }
    if (!exists $param->{range}) {
        Carp::carp("Parameter 'range' is required in add_sparkline()");
        return -3;
    }
    my $type = $param->{type} || 'line';
    if ($type ne 'line' && $type ne 'column' && $type ne 'win_loss') {
        Carp::carp("Parameter 'type' must be 'line', 'column' or 'win_loss' in add_sparkline()");
        return -4;
    }
    $type = 'stacked' if $type eq 'win_loss';
    $sparkline->{_type} = $type;
    # (one location and range, or lists of them: the lists are the caller's, cleaned in place as there)
    if (ref $param->{location}) {
        $sparkline->{_locations} = $param->{location};
        $sparkline->{_ranges}    = $param->{range};
    }
    else {
        $sparkline->{_locations} = [ $param->{location} ];
        $sparkline->{_ranges}    = [ $param->{range} ];
    }
    if (@{ $sparkline->{_ranges} } != @{ $sparkline->{_locations} }) {
        Carp::carp('Must have the same number of location and range parameters in add_sparkline()');
        return -5;
    }
    $sparkline->{_count} = @{ $sparkline->{_locations} };
    my $sheetname = _rules_quote_sheetname($self->{_name});
    for my $range (@{ $sparkline->{_ranges} }) {
        $range =~ s{\$}{}g;
        $range =~ s{^=}{};
        $range = $sheetname . '!' . $range if $range !~ /!/;
    }
    s{\$}{}g for @{ $sparkline->{_locations} };
    my %map = @SPARK_MAP;
    $sparkline->{$_} = $param->{ $map{$_} } for keys %map;
    my $empty = $param->{empty_cells} || '';
    $sparkline->{_empty} = $empty eq 'zero' ? 0 : $empty eq 'connect' ? 'span' : 'gap';
    my $date_range = $param->{date_axis};
    $date_range = $sheetname . '!' . $date_range if $date_range && $date_range !~ /!/;
    $sparkline->{_date_axis} = $date_range;
    $self->_rules_check_color($param->{$_})
        for grep { $param->{$_} } qw(series_color negative_color markers_color first_color last_color high_color low_color);
    push @{ $self->{_sparklines} }, $sparkline;

    # the style's colours and the user's (through the palette) are set at replay
    my $style_id = int($param->{style} || 0);
    $style_id += 37 if $style_id < 0;    # Perl's negative index into the 37 styles
    $style_id = 1000 if $style_id < 0 || $style_id > 1000;
    my %colors = map { $param->{$_} ? ($_ => _rules_str($param->{$_})) : () }
        qw(series_color negative_color markers_color first_color last_color high_color low_color);
    my %sent = map { ($_ => _rules_str($sparkline->{$_})) } '_type', keys %map, '_empty', '_date_axis';
    $sent{_locations} = [ map { _rules_str($_) } @{ $sparkline->{_locations} } ];
    $sent{_ranges}    = [ map { _rules_str($_) } @{ $sparkline->{_ranges} } ];
    $self->_call('add_sparkline', \%sent, $style_id, \%colors);
    return scalar @{ $self->{_sparklines} };
}

1;
