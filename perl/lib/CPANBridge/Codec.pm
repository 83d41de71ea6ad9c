package CPANBridge::Codec;

# JSON <-> Perl, byte-exact.
#
# Outgoing strings:
#   - character strings (utf8 flag on) travel as JSON text;
#   - byte strings (utf8 flag off) that are pure ASCII or valid UTF-8 travel as
#     text (the bytes on the wire are the same bytes);
#   - byte strings that are not valid UTF-8 travel as {"$b64": "<base64>"}.
#   - CPANBridge::Codec::bytes($str) forces the $b64 form (e.g. BLOB binds).
# Incoming: {"$b64": ...} becomes a byte string (utf8 flag off); every other
# string is a character string (callers that want UTF-8 bytes, such as DBI
# without sqlite_unicode, encode themselves).

use strict;
use warnings;
use MIME::Base64 ();
use Exporter 'import';

our @EXPORT_OK = qw(encode_frame_body encode_request decode_frame_body decode_json_bytes bytes);

our $BACKEND;
my $JSON;
BEGIN {
    for my $m (qw(Cpanel::JSON::XS JSON::XS JSON::PP)) {
        next if $m ne 'JSON::PP' && ($ENV{CPAN_BRIDGE_JSON_PP} || '');
        (my $f = "$m.pm") =~ s{::}{/}g;
        if (eval { require $f; 1 }) { $BACKEND = $m; last }
    }
    $JSON = $BACKEND->new->utf8->allow_nonref;
    $JSON->allow_blessed(1)->convert_blessed(1) if $JSON->can('convert_blessed');
}

sub backend { $BACKEND }

# Marker class: a byte string that must travel as $b64 even if valid UTF-8.
sub bytes { my $s = shift; bless \$s, 'CPANBridge::Codec::Bytes' }

# The encoder's own form of a marker (convert_blessed): encode_request's direct encoding meets
# it, and it must travel as _prep would send it.
sub CPANBridge::Codec::Bytes::TO_JSON {
    my $b = ${ $_[0] };
    utf8::encode($b) if utf8::is_utf8($b);
    return { '$b64' => MIME::Base64::encode_base64($b, '') };
}

# Long strings (the Excel shim's cell batches, long binds) with JSON::PP: its encoder escapes
# control characters one match at a time through an eval (~12 ms for a 5,000-cell batch). They
# are taken out of the structure (_prep puts a placeholder in), and their JSON text is made by
# _json_string, one substitution per kind of character present (~2.5 ms), then put in place.
my $SPLICE = $BACKEND eq 'JSON::PP';
my $BIG = 1024;
our $BIGS;    # long strings taken out by _prep, during encode_frame_body
my $PH = 'cpanbridge-long-string-' . $$ . '-' . time() . '-';
my @SPECIAL = ('\\', '"', map { chr } 0 .. 0x1f);    # backslash first
my %ESC = (map({ chr($_) => sprintf('\\u%04x', $_) } 0 .. 0x1f),
           '"' => '\\"', '\\' => '\\\\', "\n" => '\\n', "\t" => '\\t', "\r" => '\\r');

sub _long {
    push @$BIGS, $_[0];
    return $PH . $#$BIGS;
}

sub _json_string {
    my $s = $_[0];
    for my $c (@SPECIAL) {
        next if index($s, $c) < 0;
        my $e = $ESC{$c};
        $s =~ s/\Q$c\E/$e/g;
    }
    utf8::encode($s) if utf8::is_utf8($s);
    return qq{"$s"};
}

sub _prep {
    my $r = ref $_[0];
    if (!$r) {
        return $_[0] if !defined $_[0];
        if (utf8::is_utf8($_[0])) {
            return $BIGS && length($_[0]) > $BIG ? _long($_[0]) : $_[0];
        }
        my $c = $_[0];    # copy: a regex match would give a number a string form
        return $BIGS && length($c) > $BIG ? _long($c) : $_[0] if $c !~ /[\x80-\xff]/;
        return $BIGS && length($c) > $BIG ? _long($c) : $c if utf8::decode($c);
        return { '$b64' => MIME::Base64::encode_base64($_[0], '') };
    }
    if ($r eq 'HASH') {
        my %h;
        for my $k (keys %{ $_[0] }) { $h{$k} = _prep($_[0]{$k}) }
        return \%h;
    }
    if ($r eq 'ARRAY') {
        return [ map { _prep($_) } @{ $_[0] } ];
    }
    if ($r eq 'CPANBridge::Codec::Bytes') {
        my $b = ${ $_[0] };
        utf8::encode($b) if utf8::is_utf8($b);
        return { '$b64' => MIME::Base64::encode_base64($b, '') };
    }
    return $_[0];    # booleans (\1, \0, JSON::PP::Boolean), numbers-as-objects
}

# Perl structure -> UTF-8 JSON bytes.
sub encode_frame_body {
    return $JSON->encode(_prep($_[0])) unless $SPLICE;
    my $json;
    my @long;
    {
        local $BIGS = \@long;
        $json = $JSON->encode(_prep($_[0]));
    }
    for my $k (0 .. $#long) {
        my $tok = qq{"$PH$k"};
        my $p = index($json, $tok);
        # the placeholder is in the data too (it cannot be, short of a collision): no splicing
        return $JSON->encode(_prep($_[0])) if $p < 0 || index($json, $tok, $p + 1) >= 0;
        substr($json, $p, length $tok, _json_string($long[$k]));
    }
    return $json;
}

# A request frame's body. With an XS encoder the request is encoded as it is, without _prep's
# walk (its copy of every hash and array was most of a small call's encoding): when the JSON
# holds no byte above 0x7f, no string in the request had a byte or character above 0x7f, so
# _prep would have changed nothing (Bytes markers encode themselves, TO_JSON above); otherwise
# it is encoded again the careful way. JSON::PP always takes the careful way (its encoding, not
# the walk, is its cost).
my $XS = $BACKEND ne 'JSON::PP';

sub encode_request {
    my ($id, $module, $function, $params, $ack, $legacy) = @_;
    my %req = (id => $id, module => $module, function => $function, params => $params, ack => $ack);
    $req{legacy} = \1 if $legacy;
    if ($XS) {
        my $json = $JSON->encode(\%req);
        return $json if $json !~ /[\x80-\xff]/;
    }
    return encode_frame_body(\%req);
}

# With JSON::PP, long base64 values of a reply (file contents, ciphertext) are cut out before
# decoding (its decoder reads a string one character at a time: ~3 s for 1 MiB) and decoded
# straight from the text; base64 holds nothing JSON escapes, so the text is the value.
our $LONG_B64;
my $B64PH = 'cpanbridge-b64-' . $$ . '-' . time() . '-';

sub _b64 {
    my $v = $_[0];
    return MIME::Base64::decode_base64($LONG_B64->[$1]) if $LONG_B64 && $v =~ /\A\Q$B64PH\E(\d+)\z/;
    return MIME::Base64::decode_base64($v);
}

sub _unb64 {
    my $r = ref $_[0];
    return unless $r;
    if ($r eq 'HASH') {
        my $h = $_[0];
        for my $k (keys %$h) {
            my $v = $h->{$k};
            next unless ref $v;
            if (ref $v eq 'HASH' && keys %$v == 1 && exists $v->{'$b64'}) {
                $h->{$k} = _b64($v->{'$b64'});
            }
            else { _unb64($v) }
        }
    }
    elsif ($r eq 'ARRAY') {
        my $a = $_[0];
        for my $i (0 .. $#$a) {
            my $v = $a->[$i];
            next unless ref $v;
            if (ref $v eq 'HASH' && keys %$v == 1 && exists $v->{'$b64'}) {
                $a->[$i] = _b64($v->{'$b64'});
            }
            else { _unb64($v) }
        }
    }
}

# UTF-8 JSON bytes -> Perl structure, with $b64 values turned into byte strings.
#
# A database reply whose rows travel in the compact format starts with
# {"id":"N",...,"success":true,"result":{"batch_sep":"...  (a few scalar members may come
# between id and success) and that string holds no character JSON
# escapes (src/modules/database/rows.ts): it is cut out and handed on as the UTF-8 bytes it is
# (the DBI shim decodes it), and only the rest goes through the JSON decoder, which for JSON::PP
# is the difference between ~0.3 us per byte and nothing.
sub decode_frame_body {
    # perl -T: read from a socket or pipe, a reply is tainted; the real drivers' data is not
    @_ = ($_[0] =~ /\A(.*)\z/s) if ${^TAINT};
    # the usual reply: no row batch, no binary value (two searches, no regex, no walk)
    return $JSON->decode($_[0]) if index($_[0], '"batch_sep":"') < 0 && index($_[0], '"$b64"') < 0;
    if ($_[0] =~ /\A\{"id":"[^"\\]{0,100}",(?:"\w{1,30}":(?:-?[\d.eE+-]{1,30}|true|false|null|"[^"\\]{0,100}"),){0,8}"success":true,"result":\{"batch_sep":"/) {
        my $p = $+[0];
        my $e = index($_[0], '"', $p);
        if ($e >= 0) {
            my $sep = substr($_[0], $p, $e - $p);
            if (index($sep, '\\') < 0) {
                my $d = _decode_body(substr($_[0], 0, $p) . substr($_[0], $e));
                $d->{result}{batch_sep} = $sep if ref $d eq 'HASH' && ref $d->{result} eq 'HASH';
                return $d;
            }
        }
    }
    return _decode_body($_[0]);
}

sub _decode_body {
    my $has = index($_[0], '"$b64"') >= 0;
    local $LONG_B64 = [];
    my $d;
    if ($has && $SPLICE && length($_[0]) > $BIG) {
        (my $text = $_[0]) =~ s/\{"\$b64":"([A-Za-z0-9+\/=]{$BIG,})"\}/push(@$LONG_B64, $1); qq{{"\$b64":"$B64PH$#$LONG_B64"}}/ge;
        $d = $JSON->decode($text);
    }
    else { $d = $JSON->decode($_[0]) }
    if ($has) {
        if (ref $d eq 'HASH' && keys %$d == 1 && exists $d->{'$b64'}) {
            return _b64($d->{'$b64'});
        }
        _unb64($d);
    }
    return $d;
}

sub decode_json_bytes { $JSON->decode($_[0]) }

1;
