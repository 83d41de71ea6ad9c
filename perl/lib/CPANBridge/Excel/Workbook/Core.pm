package CPANBridge::Excel::Workbook;

# The workbook's core methods for the new writer, as the real Workbook's: checks, carps and return
# codes here; the state change is a recorded call (Workbook::_call) replayed at close.

use strict;
use warnings;
use Carp ();

sub set_properties {
    my $self = shift;
    my %param = @_;
    return -1 unless @_;
    my %valid = map { $_ => 1 } qw(title subject author keywords comments last_author created category manager company status hyperlink_base);
    for my $p (keys %param) {
        if (!$valid{$p}) { Carp::carp("Unknown parameter '$p' in set_properties()"); return -1 }
    }
    my %sent;
    for my $k (keys %param) {
        next unless defined $param{$k};
        $sent{$k} = $k eq 'created' && ref $param{$k} eq 'ARRAY' ? [ map { $_ + 0 } @{ $param{$k} } ] : "$param{$k}";
    }
    $sent{created} = [ gmtime($self->{_created} ||= time) ] unless exists $sent{created};
    $self->_call({}, 'set_properties', [ \%sent ]);
    return \%param;
}

sub _get_sheet_index {
    my ($self, $name) = @_;
    return undef unless defined $name;
    $name =~ s/^'//;
    $name =~ s/'$//;
    for my $ws (@{ $self->{_worksheets} }) { return $ws->{_idx} if $ws->{_name} eq $name }
    return undef;
}

sub define_name {
    my ($self, $name, $formula) = @_;
    my $sheet_index;
    my $sheetname = '';
    $formula =~ s/^=//;
    if ($name =~ /^(.*)!(.*)$/) {
        $sheetname = $1;
        $name = $2;
        $sheet_index = $self->_get_sheet_index($sheetname);
    }
    else {
        $sheet_index = -1;
    }
    if (!defined $sheet_index) { Carp::carp("Unknown sheet name $sheetname in defined_name()"); return -1 }
    if ($name !~ m/^[\w\\][\w\\.]*$/ || $name =~ m/^\d/) { Carp::carp("Invalid character in name '$name' used in defined_name()"); return -1 }
    if ($name =~ m/^[a-zA-Z][a-zA-Z]?[a-dA-D]?[0-9]+$/) { Carp::carp("Invalid name '$name' looks like a cell name in defined_name()"); return -1 }
    if ($name =~ m/^[rcRC]$/ || $name =~ m/^[rcRC]\d+[rcRC]\d+$/) { Carp::carp("Invalid name '$name' like a RC cell ref in defined_name()"); return -1 }
    $self->_call({}, 'define_name', [ "$name", $sheet_index + 0, "$formula" ]);
    return ++$self->{_defined_names_n};    # the real push's count
}

sub set_size {
    my ($self, $w, $h) = @_;
    $self->_call({}, 'set_size', [ defined $w ? $w + 0 : undef, defined $h ? $h + 0 : undef ]);
    return $h ? int($h * 1440 / 96) : 9660;
}

sub set_tab_ratio {
    my ($self, $r) = @_;
    return unless defined $r;
    return Carp::carp('Tab ratio outside range: 0 <= zoom <= 100') if $r < 0 or $r > 100;
    $self->_call({}, 'set_tab_ratio', [ $r + 0 ]);
    return int($r * 10);
}

sub set_calc_mode {
    my ($self, $mode, $calc_id) = @_;
    $self->_call({}, 'set_calc_mode', [ defined $mode ? "$mode" : undef, defined $calc_id ? $calc_id + 0 : undef ]);
    return;
}

sub set_custom_property {
    my ($self, $name, $value, $type) = @_;
    my %valid = map { $_ => 1 } qw(text date number number_int bool);
    if (!defined $name || !defined $value) { Carp::carp('The name and value parameters must be defined in set_custom_property()'); return -1 }
    if (!$type) {
        if ($value =~ /^\d+$/) { $type = 'number_int' }
        elsif ($value =~ /^([+-]?)(?=[0-9]|\.[0-9])[0-9]*(\.[0-9]*)?([Ee]([+-]?[0-9]+))?$/) { $type = 'number' }
        else { $type = 'text' }
    }
    if (!$valid{$type}) { Carp::carp("Unknown custom type '$type' in set_custom_property()"); return -1 }
    if ($type eq 'text' and length $value > 255) { Carp::carp("Length of text custom value '$value' exceeds Excel's limit of 255 in set_custom_property()"); return -1 }
    if (length $value > 255) { Carp::carp("Length of custom name '$name' exceeds Excel's limit of 255 in set_custom_property()"); return -1 }
    $self->_call({}, 'set_custom_property', [ "$name", "$value", $type ]);
    return ++$self->{_custom_properties_n};    # the real push's count
}

# The real module's own bodies of these are empty: kept for Spreadsheet::WriteExcel scripts.
sub compatibility_mode { return }
sub set_codepage       { return }

# The real module writes its temporary files there; the daemon writes none of the script's, so
# only the check is left.
sub set_tempdir {
    my ($self, $dir) = @_;
    Carp::croak("$dir is not a valid directory") if defined $dir and not -d $dir;
    $self->{_tempdir} = $dir;
    return;
}

sub read_only_recommended { $_[0]->_call({}, 'read_only_recommended', []); return 2 }

sub set_vba_name {
    my ($self, $name) = @_;
    $self->_call({}, 'set_vba_name', [ $name ? "$name" : undef ]);
    return $name ? $name : 'ThisWorkbook';
}

sub set_optimization {
    my ($self, $level) = @_;
    $level = 1 unless defined $level;
    Carp::croak('set_optimization() must be called before add_worksheet()') if @{ $self->{_worksheets} };
    $self->{_optimization} = $level;
    $self->_call({}, 'set_optimization', [ $level + 0 ]);
    return;
}

# The project's bytes are read here (with the script's permissions) and journaled as the images are.
sub add_vba_project {
    my ($self, $file) = @_;
    Carp::croak('No vbaProject.bin specified in add_vba_project()') if !$file;
    Carp::croak("Couldn't locate $file in add_vba_project(): $!") unless -e $file;
    my $key = $self->_image_ref($file);
    $self->_call({}, 'add_vba_project', [$key]);
    return;
}

sub set_1904 {
    my ($self, $v) = @_;
    $self->{_date_1904} = defined $v ? $v : 1;
    $self->_call({}, 'set_1904', [ $self->{_date_1904} ? 1 : 0 ]);
    return;
}

# The real module's internals the regression scripts set on worksheets, sent before close.
sub _internals_before_close {
    my $self = shift;
    # the shared-string table emptied ($workbook->{_str_total} = 0 and the rest)
    $self->_call({}, 'clear_shared_strings', []) if exists $self->{_str_total} && !$self->{_str_total};
    for my $ws (@{ $self->{_worksheets} }) {
        for my $k (qw(_vertical_dpi _horizontal_dpi _original_row_height)) {
            $ws->_call('internal', $k, $ws->{$k} + 0) if defined $ws->{$k};
        }
    }
    return;
}


1;
