package MIME::Lite;
# MIME::Lite 3.033's API on the CPAN Bridge. Messages are built and printed here exactly as the
# real module builds them (fields and their order, X-Mailer, Date, boundaries, encodings, the
# attach-to-singlepart hack), so as_string is local; send('smtp', ...) and send_by_smtp stream
# what Net::SMTP's datasend would write (CRLF, dot-stuffed) into a spool in the daemon, whose mail
# module runs the SMTP dialog once (exactly once across daemon crashes), and die with the real
# module's messages. Other senders (sendmail, sub, testfile) are not the bridge's: they die.
# Mail::Address and MIME::Types are used when installed, as the real module does.
use strict;
use warnings;
use Carp ();
use File::Basename ();
use MIME::Base64 ();
use MIME::QuotedPrint ();
use JSON::PP ();
use CPANBridge ();
use CPANBridge::Codec ();
use CPANBridge::Shim ();

use vars qw($AUTO_CC $AUTO_CONTENT_TYPE $AUTO_ENCODE $AUTO_VERIFY $PARANOID $QUIET $VANILLA $VERSION $DEBUG);
$VERSION = '3.033';
$AUTO_CC = 1;
$AUTO_CONTENT_TYPE = 0;
$AUTO_ENCODE = 1;
$AUTO_VERIFY = 1;
$PARANOID = 0;
$QUIET = undef;
$VANILLA = 0;
$DEBUG = 0;

# the real default sender is sendmail: the bridge has none, so a send without arguments needs
# MIME::Lite->send('smtp', ...) first
our $Sender = 'sendmail';
our %SenderArgs = (sendmail => [], smtp => [], sub => []);
my $BCount = 0;
my %KnownField = map { $_ => 1 } qw(bcc cc comments date encrypted from keywords message-id mime-version organization
    received references reply-to return-path sender subject to approved);
my @FieldOrder;
my @Uses = ("F$File::Basename::VERSION");
my $HaveMimeTypes = (!$PARANOID and eval "require MIME::Types; MIME::Types->VERSION(1.28); 1") ? 1 : 0;
push @Uses, "T$MIME::Types::VERSION" if $HaveMimeTypes;

sub fold {
    my $str = shift;
    $str =~ s/^\s*|\s*$//g;
    $str =~ s/\n/\n /g;
    $str;
}

sub gen_boundary { return ("_----------=_" . ($VANILLA ? '' : int(time) . $$) . $BCount++) }
sub is_mime_field { $_[0] =~ /^(mime\-|content\-)/i }

BEGIN {
    my $ATOM      = '[^ \000-\037()<>@,;:\134"\056\133\135]+';
    my $QSTR      = '".*?"';
    my $WORD      = '(?:' . $QSTR . '|' . $ATOM . ')';
    my $DOMAIN    = '(?:' . $ATOM . '(?:' . '\\.' . $ATOM . ')*' . ')';
    my $LOCALPART = '(?:' . $WORD . '(?:' . '\\.' . $WORD . ')*' . ')';
    my $ADDR      = '(?:' . $LOCALPART . '@' . $DOMAIN . ')';
    my $PHRASE    = '(?:' . $WORD . ')+';
    my $SEP       = "(?:^\\s*|\\s*,\\s*)";
    sub my_extract_full_addrs {
        my $str = shift;
        return unless $str;
        my @addrs;
        $str =~ s/\s/ /g;
        pos($str) = 0;
        while ($str !~ m{\G\s*\Z}gco) {
            if ($str =~ m{\G$SEP($PHRASE)\s*<\s*($ADDR)\s*>}gco) { push @addrs, "$1 <$2>" }
            elsif ($str =~ m{\G$SEP($ADDR)}gco or $str =~ m{\G$SEP($ATOM)}gco) { push @addrs, $1 }
            else {
                my $problem = substr($str, pos($str));
                die "can't extract address at <$problem> in <$str>\n";
            }
        }
        return wantarray ? @addrs : $addrs[0];
    }
    sub my_extract_only_addrs {
        my @ret = map { /<([^>]+)>/ ? $1 : $_ } my_extract_full_addrs(@_);
        return wantarray ? @ret : $ret[0];
    }
}
if (!$PARANOID and eval "require Mail::Address; 1") {
    push @Uses, "A$Mail::Address::VERSION";
    eval q{
        sub extract_full_addrs { my @ret = map { $_->format } Mail::Address->parse($_[0]); return wantarray ? @ret : $ret[0] }
        sub extract_only_addrs { my @ret = map { $_->address } Mail::Address->parse($_[0]); return wantarray ? @ret : $ret[0] }
        1;
    } or die $@;
}
else {
    no warnings 'once';
    *extract_full_addrs = \&my_extract_full_addrs;
    *extract_only_addrs = \&my_extract_only_addrs;
}
push @Uses, "B$MIME::Base64::VERSION", "Q$MIME::QuotedPrint::VERSION";
# (the real module imports these; their prototypes take a scalar, not a list)
sub encode_base64 { @_ > 1 ? MIME::Base64::encode_base64($_[0], $_[1]) : MIME::Base64::encode_base64($_[0]) }
sub encode_qp { @_ > 2 ? MIME::QuotedPrint::encode_qp($_[0], $_[1], $_[2]) : @_ > 1 ? MIME::QuotedPrint::encode_qp($_[0], $_[1]) : MIME::QuotedPrint::encode_qp($_[0]) }

sub encode_8bit { my $str = shift; $str =~ s/^(.{990})/$1\n/mg; $str }
sub encode_7bit { my $str = shift; $str =~ s/[\x80-\xFF]//g; $str =~ s/^(.{990})/$1\n/mg; $str }

# Email::Date::Format::email_date, local time
sub _email_date {
    my $time = time;
    my ($sec, $min, $hour, $mday, $mon, $year, $wday) = localtime $time;
    require Time::Local;
    my @l = localtime $time;
    my @g = gmtime $time;
    $l[5] += 1900;
    $g[5] += 1900;
    my $diff = Time::Local::timegm_modern(@l) - Time::Local::timegm_modern(@g);
    my $direc = $diff < 0 ? '-' : '+';
    $diff = abs $diff;
    my $tz_hr = int($diff / 3600);
    my $tz_mi = int($diff / 60 - $tz_hr * 60);
    return sprintf "%s, %d %s %d %02d:%02d:%02d %s%02d%02d", (qw[Sun Mon Tue Wed Thu Fri Sat])[$wday], $mday,
        (qw[Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec])[$mon], $year + 1900, $hour, $min, $sec, $direc, $tz_hr, $tz_mi;
}

sub new {
    my $class = shift;
    my $self = { Attrs => {}, SubAttrs => {}, Header => [], Parts => [] };
    bless $self, $class;
    return (@_ ? $self->build(@_) : $self);
}

sub attach {
    my $self = shift;
    my $attrs = $self->{Attrs};
    my $sub_attrs = $self->{SubAttrs};
    my $part1 = ((@_ == 1) ? shift : ref($self)->new(Top => 0, @_));
    if (($attrs->{'content-type'} // '') !~ m{^(multipart|message)/}i) {
        my $part0 = ref($self)->new;
        foreach (qw(SubAttrs Attrs Data Path FH)) {
            $part0->{$_} = $self->{$_};
            delete($self->{$_});
        }
        $part0->top_level(0);
        $attrs = $self->{Attrs} ||= {};
        $sub_attrs = $self->{SubAttrs} ||= {};
        $attrs->{'content-type'} = 'multipart/mixed';
        $sub_attrs->{'content-type'}{'boundary'} = gen_boundary();
        $attrs->{'content-transfer-encoding'} = '7bit';
        $self->top_level(1);
        push @{ $self->{Parts} }, $part0;
    }
    push @{ $self->{Parts} }, $part1;
    $part1;
}

sub build {
    my $self = shift;
    my %params = @_;
    my @params = @_;
    (defined($params{Data}) + defined($params{Path}) + defined($params{FH}) <= 1)
        or Carp::croak "supply exactly zero or one of (Data|Path|FH).\n";
    ref($self) or $self = $self->new;
    my $type = ($params{Type} || ($AUTO_CONTENT_TYPE ? 'AUTO' : 'TEXT'));
    if    ($type eq 'TEXT')   { $type = 'text/plain' }
    elsif ($type eq 'HTML')   { $type = 'text/html' }
    elsif ($type eq 'BINARY') { $type = 'application/octet-stream' }
    elsif ($type eq 'AUTO')   { $type = $self->suggest_type($params{Path}) }
    $type = lc($type);
    my $attrs = $self->{Attrs};
    my $sub_attrs = $self->{SubAttrs};
    $attrs->{'content-type'} = $type;
    my $is_multipart = ($type =~ m{^(multipart)/}i);
    $sub_attrs->{'content-type'}{'boundary'} = gen_boundary() if $is_multipart;
    if (defined $params{Id}) {
        my $id = $params{Id};
        $id = "<$id>" unless $id =~ /\A\s*<.*>\s*\z/;
        $attrs->{'content-id'} = $id;
    }
    if (defined($params{Data})) { $self->data($params{Data}) }
    elsif (defined($params{Path})) { $self->path($params{Path}); $self->read_now if $params{ReadNow} }
    elsif (defined($params{FH})) { $self->fh($params{FH}); $self->read_now if $params{ReadNow} }
    $self->filename($params{Filename}) if defined($params{Filename});
    my $enc = ($params{Encoding} || ($AUTO_ENCODE and $self->suggest_encoding($type)) || 'binary');
    $attrs->{'content-transfer-encoding'} = lc($enc);
    if ($type =~ m{^(multipart|message)/}) {
        ($enc =~ m{^(7bit|8bit|binary)\Z}) or Carp::croak("illegal MIME: " . "can't have encoding $enc with type $type\n");
    }
    my $disp = ($params{Disposition} or ($is_multipart ? undef : 'inline'));
    $attrs->{'content-disposition'} = $disp;
    if (exists($params{Length})) { $attrs->{'content-length'} = $params{Length} }
    else { $self->get_length }
    my $is_top = defined($params{Top}) ? $params{Top} : 1;
    $self->top_level($is_top);
    my $ds_wanted = $params{Datestamp};
    my $ds_defaulted = ($is_top and !exists($params{Datestamp}));
    if (($ds_wanted or $ds_defaulted) and !exists($params{Date})) {
        $self->add("date", _email_date());
    }
    my @paramz = @params;
    my $field;
    while (@paramz) {
        my ($tag, $value) = (shift(@paramz), shift(@paramz));
        my $lc_tag = lc($tag);
        if ($lc_tag =~ /^-(.*)/) { $field = $1 }
        elsif ($lc_tag =~ /^(.*):$/) { $field = $1 }
        elsif ($KnownField{$lc_tag} or $lc_tag =~ m{^(content|resent|x)-.}) { $field = $lc_tag }
        else { next }
        $self->add($field, $value);
    }
    $self;
}

sub top_level {
    my ($self, $onoff) = @_;
    my $attrs = $self->{Attrs};
    if ($onoff) {
        $attrs->{'mime-version'} = '1.0';
        my $uses = (@Uses ? ("(" . join("; ", @Uses) . ")") : '');
        $self->replace('X-Mailer' => "MIME::Lite $VERSION $uses") unless $VANILLA;
    }
    else {
        delete $attrs->{'mime-version'};
        $self->delete('X-Mailer');
    }
}

sub add {
    my $self = shift;
    my $tag = lc(shift);
    my $value = shift;
    Carp::carp "Explicitly setting a MIME header field ($tag) is dangerous:\n" . "use the attr() method instead.\n"
        if (is_mime_field($tag) && !$QUIET);
    my @vals = ((ref($value) and (ref($value) eq 'ARRAY')) ? @{$value} : ($value . ''));
    map { s/\n/\n /g } @vals;
    push @{ $self->{Header} }, [$tag, $_] foreach @vals;
}

sub attr {
    my ($self, $attr, $value) = @_;
    my $attrs = $self->{Attrs};
    $attr = lc($attr);
    my ($tag, $subtag) = split /\./, $attr;
    if (defined($subtag)) {
        $attrs = $self->{SubAttrs}{$tag} ||= {};
        $tag = $subtag;
    }
    if (@_ > 2) {
        if (defined($value)) { $attrs->{$tag} = $value }
        else { delete $attrs->{$tag} }
    }
    $attrs->{$tag};
}

sub _safe_attr { my ($self, $attr) = @_; return defined $self->{Attrs}{$attr} ? $self->{Attrs}{$attr} : '' }

sub delete {
    my $self = shift;
    my $tag = lc(shift);
    $self->{Header} = [grep { $_->[0] ne $tag } @{ $self->{Header} }];
    $self;
}

sub field_order {
    my $self = shift;
    if (ref($self)) { $self->{FieldOrder} = [map { lc($_) } @_] }
    else { @FieldOrder = map { lc($_) } @_ }
}

sub fields {
    my $self = shift;
    my @fields;
    my $attrs = $self->{Attrs};
    my $sub_attrs = $self->{SubAttrs};
    my %explicit = map { $_->[0] => 1 } @{ $self->{Header} };
    foreach my $tag (sort keys %{ $self->{Attrs} }) {
        next if ($explicit{$tag});
        my $value = $attrs->{$tag};
        defined $value or next;
        if (my $subs = $sub_attrs->{$tag}) {
            $value .= '; ' . join('; ', map { qq{$_="$subs->{$_}"} } sort keys %$subs);
        }
        $value =~ tr/\r\n//;
        push @fields, [$tag, $value];
    }
    push @fields, [@{$_}] foreach @{ $self->{Header} };
    my @order = @{ $self->{FieldOrder} || [] };
    @order or @order = @FieldOrder;
    if (@order) {
        my %rank = map { $order[$_] => (1 + $_) } (0 .. $#order);
        my @ranked = map { [($_ + 1000 * ($rank{ lc($fields[$_][0]) } || (2 + $#order))), $fields[$_]] } (0 .. $#fields);
        @fields = map { $_->[1] } sort { $a->[0] <=> $b->[0] } @ranked;
    }
    return \@fields;
}

sub filename {
    my ($self, $filename) = @_;
    my $sub_attrs = $self->{SubAttrs};
    if (@_ > 1) {
        $sub_attrs->{'content-type'}{'name'} = $filename;
        $sub_attrs->{'content-disposition'}{'filename'} = $filename;
    }
    return $sub_attrs->{'content-disposition'}{'filename'};
}

sub get {
    my ($self, $tag, $index) = @_;
    $tag = lc($tag);
    Carp::croak "get: can't be used with MIME fields\n" if is_mime_field($tag);
    my @all = map { ($_->[0] eq $tag) ? $_->[1] : () } @{ $self->{Header} };
    (defined($index) ? $all[$index] : (wantarray ? @all : $all[0]));
}

sub get_length {
    my $self = shift;
    my $attrs = $self->{Attrs};
    my $is_multipart = (($attrs->{'content-type'} // '') =~ m{^multipart/}i);
    my $enc = lc($attrs->{'content-transfer-encoding'} || 'binary');
    my $length;
    if (!$is_multipart && ($enc eq "binary")) {
        if (defined($self->{Data})) { $length = length($self->{Data}) }
        elsif (defined($self->{FH})) { }
        elsif (defined($self->{Path})) { $length = (-s $self->{Path}) if (-e $self->{Path}) }
    }
    $attrs->{'content-length'} = $length;
    return $length;
}

sub parts { my $self = shift; @{ $self->{Parts} || [] } }
sub parts_DFS { my $self = shift; return ($self, map { $_->parts_DFS } $self->parts) }
sub preamble { my $self = shift; $self->{Preamble} = shift if @_; $self->{Preamble} }

sub replace {
    my ($self, $tag, $value) = @_;
    $self->delete($tag);
    $self->add($tag, $value) if defined($value);
}

sub scrub {
    my ($self, @a) = @_;
    my ($expl) = @a;
    local $QUIET = 1;
    if (!@a) {
        $self->replace('content-length', '');
        if (!$self->_safe_attr('content-disposition.filename') || $self->_safe_attr('content-type.name')) {
            $self->replace('content-disposition', '');
        }
        if ($self->_safe_attr('content-transfer-encoding') =~ /^(7bit|8bit|binary)$/i) {
            $self->replace('content-transfer-encoding', '');
        }
        if ($self->_safe_attr('content-type.charset') =~ /^(us-ascii)/i) {
            $self->attr('content-type.charset' => undef);
        }
        if ((keys %{ $self->{Attrs}{'content-type'} } == 1) and ($self->_safe_attr('content-type') eq 'text/plain')) {
            $self->replace('content-type', '');
        }
    }
    elsif ($expl and (ref($expl) eq 'ARRAY')) {
        foreach (@{$expl}) { $self->replace($_, '') }
    }
    foreach (@{ $self->{Parts} }) { $_->scrub(@a) }
}

sub binmode {
    my $self = shift;
    $self->{Binmode} = shift if (@_);
    return (defined($self->{Binmode}) ? $self->{Binmode} : (($self->{Attrs}{"content-type"} // '') !~ m{^(text|message)/}i));
}

sub data {
    my $self = shift;
    if (@_) {
        $self->{Data} = ((ref($_[0]) eq 'ARRAY') ? join('', @{ $_[0] }) : $_[0]);
        $self->get_length;
    }
    $self->{Data};
}

sub fh { my $self = shift; $self->{FH} = shift if @_; $self->{FH} }

sub path {
    my $self = shift;
    if (@_) {
        $self->{Path} = shift;
        my $filename;
        if ($self->{Path} and ($self->{Path} !~ /\|$/)) {
            ($filename = $self->{Path}) =~ s/^<//;
            $filename = File::Basename::basename($filename);
        }
        $self->filename($filename);
        $self->get_length;
    }
    $self->{Path};
}

sub resetfh { my $self = shift; seek($self->{FH}, 0, 0) }

sub read_now {
    my $self = shift;
    local $/ = undef;
    if ($self->{FH}) {
        my ($chunk, @chunks);
        CORE::binmode($self->{FH}) if $self->binmode;
        push @chunks, $chunk while (read($self->{FH}, $chunk, 1024));
        $self->{Data} = join '', @chunks;
    }
    elsif ($self->{Path}) {
        _refuse_pipe($self->{Path});
        open my $slurp, '<', $self->{Path} or Carp::croak "open $self->{Path}: $!\n";
        CORE::binmode($slurp) if $self->binmode;
        $self->{Data} = <$slurp>;
        close $slurp;
    }
}

sub sign {
    my $self = shift;
    my %params = @_;
    @_ or $params{Path} = "$ENV{HOME}/.signature";
    defined($self->{Data}) or $self->read_now;
    my $sig;
    if (!defined($sig = $params{Data})) {
        local $/ = undef;
        open my $f, '<', $params{Path} or Carp::croak "open sig $params{Path}: $!\n";
        $sig = <$f>;
        close $f;
    }
    $sig = join('', @$sig) if (ref($sig) and (ref($sig) eq 'ARRAY'));
    $self->{Data} .= "\n-- \n$sig";
    $self->get_length;
    1;
}

sub suggest_encoding {
    my ($self, $ctype) = @_;
    $ctype = lc($ctype);
    if ($HaveMimeTypes) {
        my @mappings = MIME::Types::by_mediatype($ctype);
        if (scalar(@mappings)) {
            my ($suffix, $mimetype, $encoding) = @{ $mappings[0] };
            return lc($encoding) if ($encoding && $encoding =~ /^(base64|binary|[78]bit|quoted-printable)$/i);
        }
    }
    my ($type) = split '/', $ctype;
    return 'binary' if (($type eq 'text') || ($type eq 'message'));
    return ($type eq 'multipart') ? 'binary' : 'base64';
}

sub suggest_type {
    my ($self, $path) = @_;
    $path or return 'application/octet-stream';
    if ($HaveMimeTypes) {
        my ($mimetype, $encoding) = MIME::Types::by_suffix($path);
        return $mimetype if ($mimetype && $mimetype =~ /^\S+\/\S+$/);
    }
    return 'application/octet-stream';
}

sub verify_data {
    my $self = shift;
    my $path = $self->{Path};
    if ($path and ($path !~ /\|$/)) {
        $path =~ s/^<//;
        (-r $path) or die "$path: not readable\n";
    }
    foreach my $part (@{ $self->{Parts} }) { $part->verify_data }
    1;
}

# a Path ending in "|" is a shell command in the real module: not run by the bridge's shim
sub _refuse_pipe {
    my ($p) = @_;
    Carp::croak("MIME::Lite on the CPAN Bridge: Path \"$p\" (a shell command) is not supported") if $p =~ /\|\s*$/;
}

require CPANBridge::MimeLite;    # printing and sending

1;
