#!/usr/bin/perl
# The codec with JSON::PP cuts long {"$b64": ...} values out of a reply before decoding it: the
# bytes come back the same wherever they sit (top level, hashes, arrays), and what only looks
# like one (inside a string, a hash with more keys) is left as the JSON says.
use strict;
use warnings;
use Test::More;
use FindBin;
BEGIN { $ENV{CPAN_BRIDGE_JSON_PP} = 1 }
use lib "$FindBin::Bin/../lib";
use CPANBridge::Codec qw(encode_frame_body decode_frame_body);
use MIME::Base64 ();

is CPANBridge::Codec::backend(), 'JSON::PP', 'JSON::PP backend';
my $bytes = join '', map { chr(($_ * 7) % 256) } 1 .. 300_000;
my $b64 = MIME::Base64::encode_base64($bytes, '');
my $short = "\xff\x00\x80";
my $json = qq({"id":"7","success":true,"result":{"out":{"\$b64":"$b64"},"list":[{"\$b64":"$b64"},{"\$b64":"}) . MIME::Base64::encode_base64($short, '')
    . qq("}],"text":"{\\"\$b64\\":\\"$b64\\"}","two":{"\$b64":"$b64","x":1}}});
my $d = decode_frame_body($json);
ok $d->{result}{out} eq $bytes, 'a long value in a hash';
ok $d->{result}{list}[0] eq $bytes, 'a long value in an array';
is $d->{result}{list}[1], $short, 'a short value beside it';
is $d->{result}{text}, qq({"\$b64":"$b64"}), 'inside a string: text';
is $d->{result}{two}{'$b64'}, $b64, 'a hash with more keys keeps its base64 text';
ok !utf8::is_utf8($d->{result}{out}), 'bytes, not characters';
ok decode_frame_body(qq({"\$b64":"$b64"})) eq $bytes, 'at the top level';
my $round = decode_frame_body(encode_frame_body({ v => $bytes }));
ok $round->{v} eq $bytes, 'encoded and decoded back';
done_testing;
