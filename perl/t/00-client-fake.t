#!/usr/bin/perl
# Client core against a small Perl stand-in daemon (t/lib/fake_cli.pl) that
# speaks the real wire protocol: framing, hello, codec, autostart under flock,
# reconnect + resend, process mode, fallback, pipelining, fork.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
BEGIN {
    $ENV{CPAN_BRIDGE_CLI} = "$^X $FindBin::Bin/lib/fake_cli.pl";
}
use BridgeTest;
use CPANBridge;
use CPANBridge::Codec;

my $home = BridgeTest::home();
$CPANBridge::RECONNECT_TIMEOUT = 10;

# --- codec --------------------------------------------------------------------
{
    my $all = join '', map { chr } 0 .. 255;
    my $utf8_bytes = "caf\xc3\xa9";               # valid UTF-8, flag off
    my $chars = "caf\x{e9} \x{263a}";             # character string
    my $body = CPANBridge::Codec::encode_frame_body({ a => $all, b => $utf8_bytes, c => $chars, n => 42, s => "42", u => undef });
    like $body, qr/"\$b64"/, 'invalid UTF-8 bytes travel as $b64';
    like $body, qr/"n":42/, 'numbers stay numbers';
    like $body, qr/"s":"42"/, 'strings stay strings';
    my $d = CPANBridge::Codec::decode_frame_body($body);
    is $d->{a}, $all, 'all 256 bytes round-trip';
    ok !utf8::is_utf8($d->{a}), 'binary comes back as bytes';
    my $b = $d->{b}; utf8::encode($b);
    is $b, $utf8_bytes, 'UTF-8 byte string travels as text';
    is $d->{c}, $chars, 'character string round-trips';
    ok !defined $d->{u}, 'undef is null';
    my $forced = CPANBridge::Codec::encode_frame_body([CPANBridge::Codec::bytes("abc")]);
    like $forced, qr/\$b64/, 'bytes() forces base64';
}

# --- autostart + basic call ---------------------------------------------------
ok !-e "$home/daemon.pid", 'no daemon yet';
my $r = CPANBridge::call('echo', 'echo', { x => "line1\nline2\ttab\r\0nul", bin => join('', map { chr } 0 .. 255) });
is $r->{params}{x}, "line1\nline2\ttab\r\0nul", 'control characters survive';
is $r->{params}{bin}, join('', map { chr } 0 .. 255), 'binary survives';
ok BridgeTest::daemon_pid(), 'daemon was autostarted';
is CPANBridge::mode(), 'daemon', 'daemon mode';

my $big = 'x' x (5 * 1024 * 1024);
$r = CPANBridge::call('echo', 'echo', { big => $big });
is length($r->{params}{big}), length($big), '5 MiB string';

# --- errors ---------------------------------------------------------------------
eval { CPANBridge::call('echo', 'fail', {}) };
my $e = $@;
isa_ok $e, 'CPANBridge::Error';
is $e->code, 'test_error', 'error code';
is $e->{extra}, 42, 'extra error fields kept';
like "$e", qr/test_error: asked to fail/, 'stringifies';

eval { CPANBridge::call("echo", "echo", { big => "y" x (11 * 1024 * 1024) }) };
$e = $@;
is eval { $e->code }, 'frame_too_large', 'oversize request refused locally';

# --- call_python ------------------------------------------------------------------
my $bridge = CPANBridge->new;
$r = $bridge->call_python('echo', 'echo', { a => 1 });
is $r->{legacy}, 1, 'call_python sends legacy flag';
$r = $bridge->call_python('echo', 'fail', {});
is $r->{success}, 0, 'call_python does not die';
like $r->{error}, qr/asked to fail/, 'error text';
like $bridge->get_last_error, qr/asked to fail/, 'get_last_error';

# --- pipelining ------------------------------------------------------------------
{
    my @got;
    CPANBridge::send_async('echo', 'echo', { i => $_ }, sub { push @got, $_[1]{params}{i} }) for 1 .. 100;
    CPANBridge::send_async('echo', 'fail', {});
    $r = eval { CPANBridge::call('echo', 'echo', { i => 'sync' }) };
    my $ae = $@;
    is_deeply \@got, [1 .. 100], 'async callbacks in order';
    is eval { $ae->code }, 'test_error', 'async error raised by next sync call';
    ok eval { $ae->{async} }, 'marked async';
    CPANBridge::send_async('echo', 'echo', {}) for 1 .. 10;
    ok CPANBridge::flush(), 'flush';
}

# --- crash mid-request: reconnect, autostart, resend same id ---------------------
{
    my $old = BridgeTest::daemon_pid();
    my $marker = "$home/crash1";
    $r = CPANBridge::call('echo', 'crash', { marker => $marker });
    ok -e $marker, 'daemon crashed during the request';
    is $r->{survived}, 1, 'request answered after reconnect';
    isnt $r->{pid}, $old, 'by a new daemon';
}

# --- fork: new session ------------------------------------------------------------
{
    my $parent_session = CPANBridge::session();
    pipe(my $rd, my $wr);
    my $pid = fork;
    if (!$pid) {
        close $rd;
        my $ok = eval { CPANBridge::call('echo', 'echo', { c => 1 })->{params}{c} };
        print $wr CPANBridge::session(), " ", ($ok // 'fail'), "\n";
        close $wr;
        POSIX::_exit(0);
    }
    close $wr;
    my $line = <$rd>;
    waitpid $pid, 0;
    my ($s, $ok) = split ' ', $line;
    isnt $s, $parent_session, 'child has its own session';
    is $ok, 1, 'child can call';
    is CPANBridge::call('echo', 'echo', { p => 2 })->{params}{p}, 2, 'parent still works after fork';
}

# --- process mode -----------------------------------------------------------------
{
    my ($out, $err, $rc) = BridgeTest::run_perl(<<'EOF', { CPAN_BRIDGE_DAEMON => 0 });
use CPANBridge;
my $r = CPANBridge::call('echo', 'echo', { t => "a\tb" });
print "pm=$r->{process_mode} t=$r->{params}{t} mode=", CPANBridge::mode(), "\n";
my $big = CPANBridge::call('echo', 'echo', { big => 'z' x 300_000 });
print "big=", length $big->{params}{big}, "\n";
print "py=", CPANBridge->new->call_python('echo', 'echo', {})->{legacy}, "\n";
EOF
    is $rc, 0, 'process mode script ok' or diag $err;
    like $out, qr/pm=1 t=a\tb mode=process/, 'process mode result';
    like $out, qr/big=300000/, 'large params via stdin';
    like $out, qr/py=1/, 'legacy in process mode';
}

# --- fallback: no daemon, autostart off -----------------------------------------------
{
    BridgeTest::kill_daemon();
    my $t0 = time;
    my ($out, $err, $rc) = BridgeTest::run_perl(<<'EOF', { CPAN_BRIDGE_AUTOSTART => 0, CPAN_BRIDGE_RECONNECT_TIMEOUT => 1 });
use CPANBridge;
my $r = CPANBridge::call('echo', 'echo', { t => 1 });
print "pm=", ($r->{process_mode} // 0), " mode=", CPANBridge::mode(), "\n";
EOF
    is $rc, 0, 'fallback script ok' or diag $err;
    like $out, qr/pm=1 mode=process/, 'fell back to process mode';
    ok time - $t0 < 10, 'quickly';
    my ($out2, $err2, $rc2) = BridgeTest::run_perl(<<'EOF', { CPAN_BRIDGE_AUTOSTART => 0, CPAN_BRIDGE_FALLBACK => 0 });
use CPANBridge;
eval { CPANBridge::call('echo', 'echo', { t => 1 }) };
print "code=", $@->code, "\n";
EOF
    like $out2, qr/code=daemon_unavailable/, 'no fallback: daemon_unavailable';
}

# --- 20 clients at once, no daemon: exactly one start ------------------------------------
{
    BridgeTest::kill_daemon();
    unlink "$home/fake.log";
    my $script = BridgeTest::write_file("$home/client.pl", <<'EOF');
use CPANBridge;
my $r = CPANBridge::call('echo', 'echo', { n => $$ });
print $r->{params}{n} == $$ ? "ok\n" : "bad\n";
EOF
    my @kids;
    for (1 .. 20) {
        my ($pid, $fh) = BridgeTest::spawn_script($script, {});
        push @kids, [$pid, $fh];
    }
    my $ok = 0;
    for (@kids) { my $fh = $_->[1]; my $l = <$fh> // ''; $ok++ if $l eq "ok\n"; close $fh }
    is $ok, 20, 'all 20 clients succeeded';
    open my $lf, '<', "$home/fake.log";
    my $starts = grep { /^start/ } <$lf>;
    is $starts, 1, 'exactly one daemon started';
}

done_testing;
