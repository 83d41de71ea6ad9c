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

our @EXPORT_OK = qw(encode_frame_body decode_frame_body decode_json_bytes bytes);

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

sub _prep {
    my $r = ref $_[0];
    if (!$r) {
        return $_[0] if !defined $_[0] || utf8::is_utf8($_[0]);
        my $c = $_[0];    # copy: a regex match would give a number a string form
        return $_[0] if $c !~ /[\x80-\xff]/;
        return $c if utf8::decode($c);
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
sub encode_frame_body { $JSON->encode(_prep($_[0])) }

sub _unb64 {
    my $r = ref $_[0];
    return unless $r;
    if ($r eq 'HASH') {
        my $h = $_[0];
        for my $k (keys %$h) {
            my $v = $h->{$k};
            next unless ref $v;
            if (ref $v eq 'HASH' && keys %$v == 1 && exists $v->{'$b64'}) {
                $h->{$k} = MIME::Base64::decode_base64($v->{'$b64'});
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
                $a->[$i] = MIME::Base64::decode_base64($v->{'$b64'});
            }
            else { _unb64($v) }
        }
    }
}

# UTF-8 JSON bytes -> Perl structure, with $b64 values turned into byte strings.
sub decode_frame_body {
    my $d = $JSON->decode($_[0]);
    if (index($_[0], '"$b64"') >= 0) {
        if (ref $d eq 'HASH' && keys %$d == 1 && exists $d->{'$b64'}) {
            return MIME::Base64::decode_base64($d->{'$b64'});
        }
        _unb64($d);
    }
    return $d;
}

sub decode_json_bytes { $JSON->decode($_[0]) }

1;
