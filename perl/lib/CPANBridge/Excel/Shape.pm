package CPANBridge::Excel::Shape;

# A shape of add_shape / insert_shape (Excel::Writer::XLSX::Shape): the same fields and defaults,
# set_properties, set_adjustments and the AUTOLOADed get_*/set_* accessors. insert_shape sends the
# inserted shape's fields (a copy for a stencil shape, as the real module inserts it).

use strict;
use warnings;

our $AUTOLOAD;

our @FIELDS = (
    _name => undef, _type => 'rect', _connect => 0, _drawing => 0, _editAs => '', _id => 0, _text => 0,
    _stencil => 1, _element => -1, _start => undef, _start_index => undef, _end => undef, _end_index => undef,
    _adjustments => [], _start_side => '', _end_side => '', _flip_h => 0, _flip_v => 0, _rotation => 0,
    _txBox => 0, _line => '000000', _line_type => '', _line_weight => 1, _fill => 0, _format => {},
    _palette => [], _valign => 'ctr', _align => 'ctr', _x_offset => 0, _y_offset => 0, _scale_x => 1,
    _scale_y => 1, _width => 50, _height => 50, _column_start => 0, _row_start => 0, _x1 => 0, _y1 => 0,
    _column_end => 0, _row_end => 0, _x2 => 0, _y2 => 0, _x_abs => 0, _y_abs => 0,
);

sub new {
    my $class = shift;
    shift;    # the real constructor's file handle
    my %properties = @_;
    my $self = { @FIELDS };
    $self->{_adjustments} = [];
    $self->{_format} = {};
    $self->{_palette} = [];
    while (my ($key, $value) = each %properties) {
        $key =~ s/^-//;
        $key = "_$key" unless $key =~ /^_/;
        $self->{$key} = $value;
    }
    return bless $self, $class;
}

sub set_properties {
    my $self = shift;
    my %properties = @_;
    while (my ($key, $value) = each %properties) {
        $key =~ s/^-//;
        $key = "_$key" unless $key =~ /^_/;
        if (!exists $self->{$key}) {
            warn "Unknown shape property: $key. Property not set.\n";
            next;
        }
        $self->{$key} = $value;
    }
    return;
}

sub set_adjustments {
    my $self = shift;
    $self->{_adjustments} = \@_;
}

sub AUTOLOAD {
    my $self = shift;
    return if $AUTOLOAD =~ /::DESTROY$/;
    $AUTOLOAD =~ /.*::(get|set)(\w+)/ or die "Unknown method: $AUTOLOAD\n";
    my ($gs, $attribute) = ($1, $2);
    exists $self->{$attribute} or die "Unknown method: $AUTOLOAD\n";
    if ($gs eq 'set') {
        my $value = $_[0];
        $value = 1 if not defined $value;
        $self->{$attribute} = $value;
        return $value;
    }
    return $self->{$attribute};
}

# The fields the daemon draws from (camelCase keys of the TypeScript Shape).
sub _snapshot {
    my $self = shift;
    my %s;
    for my $k (grep { !($_ % 2) } 0 .. $#FIELDS) {
        my $f = $FIELDS[$k];
        next if $f eq '_palette' || $f eq '_format';
        (my $n = $f) =~ s/^_//;
        $n =~ s/_(\w)/\u$1/g;
        my $v = $self->{$f};
        $v = [ map { $_ + 0 } @$v ] if ref $v eq 'ARRAY';
        $s{$n} = $v;
    }
    my $f = $self->{_format};
    my %fmt;
    if (ref $f && Scalar::Util::reftype($f) eq 'HASH') {
        for (qw(rotation size bold italic underline font_strikeout color font)) {
            $fmt{$_} = $f->{"_$_"} if defined $f->{"_$_"};
        }
    }
    $s{format} = \%fmt;
    $s{name} = "$s{name}" if defined $s{name};
    $s{text} = $s{text} ? "$s{text}" : 0;
    return \%s;
}

require Scalar::Util;

1;
