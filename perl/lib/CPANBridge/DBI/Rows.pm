package CPANBridge::DBI;

# Values as they travel, in package CPANBridge::DBI (its callers and tests name them so):
# bind values out, rows of execute/fetch replies in (both row formats).

use strict;
use warnings;
no warnings 'redefine';
use MIME::Base64 ();
use CPANBridge::Codec ();

my %SQL_NUMERIC = map { $_ => 1 } (4, 5, -5, -6, 2, 3, 6, 7, 8, -7, 16);
my %SQL_BINARY  = map { $_ => 1 } (-2, -3, -4, 30);

# DBD::SQLite binds by type (its dbdimp.c: sqlite_type_from_odbc_type, sqlite_is_number):
# SQL_BOOLEAN and the integer types as an integer when the text is one (int64), SQL_FLOAT, REAL
# and DOUBLE as an integer, or as a float when the text is one written as "%.Nf" writes it; other
# text bound with those types stays text, with a "datatype mismatch" warning under PrintWarn.
# SQL_BIT and the binary types bind as blobs, the rest (NUMERIC, DECIMAL, VARCHAR, ...) as text.
my %SQLITE_INTEGER = map { $_ => 1 } (16, 4, 5, -6, -5);
my %SQLITE_FLOAT   = map { $_ => 1 } (6, 7, 8);
my %SQLITE_BLOB    = (%SQL_BINARY, -7 => 1);    # SQL_BIT too

# -> the number's text (leading spaces gone) when DBD::SQLite would bind it as a number, else undef
sub _sqlite_number {
    my ($v, $float) = @_;
    $v =~ s/\A +//;
    my ($sign, $digits, $frac, $exp) = $v =~ /\A([-+]?)(\d+)(?:\.(\d+))?([eE][-+]?\d+)?\z/ or return undef;
    if (!defined $frac && !defined $exp) {
        my $n = length $digits;
        # int64: 19 digits at most, and at most 9223372036854775807 (…808 when negative)
        return $v if $n < 19 || ($n == 19 && $digits le ($sign eq '-' ? '9223372036854775808' : '9223372036854775807'));
    }
    return undef unless $float;
    my $p = defined $frac ? length $frac : 0;
    return sprintf(($sign eq '+' ? '+' : '') . "%.${p}f", $v) eq $v ? $v : undef;
}

# A value bound with a type on SQLite ($pos, 0-based, and $printwarn for the warning) as it
# travels: {"$num": text} is bound as the integer or float it reads as (exact, where a JSON number
# would lose digits past 2^53); text as _bind_value sends an untyped value, without
# sqlite_see_if_its_a_number (DBD::SQLite applies it to untyped values only).
sub _sqlite_bind_value {
    my ($v, $type, $pos, $printwarn, $text) = @_;
    my $t = ref $type eq 'HASH' ? $type->{TYPE} : $type;
    return _bind_value($v, $type, 0, $text) if !defined $v || !defined $t || ref $t;
    return CPANBridge::Codec::bytes($v) if $SQLITE_BLOB{$t};
    my $int = $SQLITE_INTEGER{$t};
    if ($int || $SQLITE_FLOAT{$t}) {
        my $n = _sqlite_number("$v", !$int);
        return { '$num' => $n } if defined $n;
        warn sprintf('datatype mismatch: bind param (%d) %s as %s', $pos, $v, $int ? 'integer' : 'float') . CPANBridge::DBI::common::_where()
            if $printwarn;
    }
    return _bind_value($v, undef, 0, $text);
}

# How the driver binds a byte string (no UTF-8 flag) as text (_text_binds):
#   'latin1': as characters, one per byte (DBD::SQLite with sqlite_unicode, DBD::Pg with
#             pg_enable_utf8 on: they upgrade it);
#   'bytes':  its bytes as they are (DBD::SQLite without sqlite_unicode): bytes that are not
#             UTF-8 travel as {"$b64t"} (src/modules/database/drivers/sqlite-bytes.ts);
#   undef:    as the Codec sends it (valid UTF-8 as text, other bytes as $b64).
sub _text_binds {
    my ($i) = @_;
    my $d = $i->{_driver} || '';
    return $i->{sqlite_unicode} ? 'latin1' : 'bytes' if $d eq 'SQLite';
    return (defined $i->{pg_enable_utf8} && !$i->{pg_enable_utf8}) ? undef : 'latin1' if $d eq 'Pg';
    return undef;
}

# Bind value as it travels: untyped values as strings (DBD::SQLite binds text),
# numeric SQL types as numbers, binary SQL types as $b64; $text: _text_binds.
sub _bind_value {
    my ($v, $type, $numify, $text) = @_;
    return undef unless defined $v;
    # an integer of up to 18 digits stays exact as a number; a decimal is bound as a REAL
    return 0 + $v if $numify && !defined $type && !ref $v && $v =~ /\A-?(?:\d{1,18}|\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?\z/;
    if (defined $type) {
        if (ref $type eq 'HASH') {
            # driver types: PG_BYTEA; ORA_BLOB, ORA_RAW, ORA_LONGRAW
            return CPANBridge::Codec::bytes($v) if ($type->{pg_type} // 0) == 17;
            return CPANBridge::Codec::bytes($v) if grep { ($type->{ora_type} // 0) == $_ } 113, 23, 24;
            $type = $type->{TYPE};
        }
        if (defined $type && !ref $type) {
            return 0 + $v if $SQL_NUMERIC{$type} && DBI::looks_like_number($v);
            return CPANBridge::Codec::bytes($v) if $SQL_BINARY{$type};
        }
    }
    return $v if ref $v;
    my $s = "$v";
    return $s if !$text || utf8::is_utf8($s) || $s !~ /[\x80-\xff]/;
    if ($text eq 'latin1') { utf8::upgrade($s); return $s }
    my $c = $s;
    return utf8::decode($c) ? $s : { '$b64t' => MIME::Base64::encode_base64($s, '') };
}

# Does this connection return UTF-8 bytes rather than characters?
sub _wants_bytes {
    my ($i) = @_;
    my $d = $i->{_driver} || '';
    return $i->{sqlite_unicode} ? 0 : 1 if $d eq 'SQLite';
    return (defined $i->{pg_enable_utf8} && !$i->{pg_enable_utf8}) ? 1 : 0 if $d eq 'Pg';
    return 0;
}

sub _to_bytes {
    my ($batch) = @_;
    for my $row (@$batch) {
        for (@$row) { utf8::encode($_) if defined && utf8::is_utf8($_) }
    }
}

# Row format asked of the daemon (src/modules/database/rows.ts): 'json' (arrays, decoded with the
# JSON module) or 'sep' (one string per batch, decoded here with split). The compact format is
# used when the JSON module is JSON::PP, which decodes ~20,000 rows/s where split does hundreds of
# thousands; JSON::XS decodes JSON arrays faster still. CPAN_BRIDGE_ROW_FORMAT (or this variable)
# forces one.
our $ROW_FORMAT = $ENV{CPAN_BRIDGE_ROW_FORMAT};

sub _row_format {
    return $ROW_FORMAT if defined $ROW_FORMAT && ($ROW_FORMAT eq 'sep' || $ROW_FORMAT eq 'json');
    return $ROW_FORMAT = (CPANBridge::Codec::backend() eq 'JSON::PP' ? 'sep' : 'json');
}

my %SEP_UNESC = ((map { chr($_ + 0x40) => chr($_) } 0 .. 0x1b, 0x1d .. 0x1f), '|' => "\x1c",
                  q => '"', s => '\\', d => "\x7f");

# The rows of an execute/fetch reply: "batch" (arrays) or "batch_sep" (one string: fields end
# with "\x7f,", rows with "\x7f;", escapes and markers start with "\x7f"; see rows.ts), as byte
# strings ($bytes: UTF-8 as it travelled) or character strings.
sub _reply_rows {
    my ($r, $bytes) = @_;
    my $s = $r->{batch_sep};
    if (!defined $s) {
        my $batch = $r->{batch} || [];
        _to_bytes($batch) if $bytes && @$batch;
        return $batch;
    }
    # Codec passes the string on as the UTF-8 bytes it was (a JSON decoder gives characters).
    # Characters are wanted: as from a JSON decoder, strings with non-ASCII characters are decoded.
    utf8::encode($s) if utf8::is_utf8($s);
    my $chars = !$bytes && $s =~ /[\x80-\xff]/;
    my @num = @{ $r->{num} || [] };
    my @rows = split /\x7f;/, $s, -1;
    pop @rows;
    if (!$r->{esc} && !$chars) {
        if (@num) {
            for (@rows) {
                my @f = length $_ ? split(/\x7f,/, $_, -1) : ('');
                $_ += 0 for @f[@num];
                $_ = \@f;
            }
        }
        else {
            $_ = [ length $_ ? split(/\x7f,/, $_, -1) : ('') ] for @rows;
        }
        return \@rows;
    }
    my @isnum;
    $isnum[$_] = 1 for @num;
    for (@rows) {
        my @f = length $_ ? split(/\x7f,/, $_, -1) : ('');
        if ($chars && /[\x80-\xff]/) { utf8::decode($_) for @f }
        if (!/\x7f[^,]/) {
            $_ += 0 for @f[@num];
        }
        else {
            for my $k (0 .. $#f) {
                my $v = $f[$k];
                if (index($v, "\x7f") < 0) {
                    $f[$k] = $v + 0 if $isnum[$k];
                    next;
                }
                if (substr($v, 0, 1) eq "\x7f") {
                    my $m = substr($v, 1, 1);
                    if ($m eq 'n') { $f[$k] = undef; next }
                    if ($m eq 'b') { $f[$k] = MIME::Base64::decode_base64(substr($v, 2)); next }
                    if ($m eq 'i') { $f[$k] = substr($v, 2) + 0; next }
                    # an NV (+ 0 would make an integer-valued float an IV), as a JSON decoder gives
                    if ($m eq 'f') { $f[$k] = unpack('d', pack('d', substr($v, 2))); next }
                    $v = substr($v, 2) if $m eq 't';
                }
                $v =~ s/\x7f(.)/$SEP_UNESC{$1}/gs;
                $f[$k] = $v;
            }
        }
        $_ = \@f;
    }
    return \@rows;
}

1;
