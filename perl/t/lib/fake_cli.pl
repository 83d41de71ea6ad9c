#!/usr/bin/perl
# A tiny stand-in for `cpan-bridge` used by the offline client tests
# (t/00-*.t). It speaks the real wire protocol (frames + hello + ids + dedup)
# and knows one module:
#   echo.echo      {..}         -> the params, unchanged
#   echo.crash     {..}         -> the daemon dies without replying the first
#                                  time it sees a given marker (file), replies later
#   echo.fail      {..}         -> error reply {code:"test_error"}
#   system.ping    {}           -> {pong:true, pid, version}
# Usage: fake_cli.pl daemon [--detach] | stop | call MODULE FUNCTION JSON|-
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_STREAM SOMAXCONN pack_sockaddr_un);
use IO::Select;
use POSIX ();
use JSON::PP ();
use Time::HiRes ();
use lib do { my $d = __FILE__; $d =~ s{[^/]+$}{}; ("$d", "$d/../../lib") };
use CPANBridge::Codec ();

my $home = $ENV{CPAN_BRIDGE_HOME} or die "CPAN_BRIDGE_HOME not set\n";
my $sockpath = $ENV{CPAN_BRIDGE_SOCKET} || "$home/bridge.sock";
my %done;    # "session/id" => reply (dedup)

sub handle_request {
    my ($session, $req) = @_;
    my ($m, $f, $p) = @{$req}{qw(module function params)};
    my $key = "$session/" . ($req->{id} // '');
    return $done{$key} if exists $done{$key};
    my $reply;
    if ($m eq 'echo' && $f eq 'echo') {
        $reply = { id => $req->{id}, success => JSON::PP::true(), result => { params => $p, legacy => $req->{legacy} ? 1 : 0 } };
    }
    elsif ($m eq 'echo' && $f eq 'crash') {
        my $marker = $p->{marker};
        if ($marker && !-e $marker) {
            open my $fh, '>', $marker; close $fh;
            POSIX::_exit(9);    # die mid-request, no reply
        }
        $reply = { id => $req->{id}, success => JSON::PP::true(), result => { survived => 1, pid => $$ } };
    }
    elsif ($m eq 'echo' && $f eq 'fail') {
        $reply = { id => $req->{id}, success => JSON::PP::false(),
                   error => { code => 'test_error', message => 'asked to fail', retryable => JSON::PP::false(), in_doubt => JSON::PP::false(), extra => 42 } };
    }
    elsif ($m eq 'system' && $f eq 'ping') {
        $reply = { id => $req->{id}, success => JSON::PP::true(), result => { pong => JSON::PP::true(), pid => $$, version => 'fake' } };
    }
    else {
        $reply = { id => $req->{id}, success => JSON::PP::false(), error => { code => 'unknown_function', message => "$m.$f" } };
    }
    $done{$key} = $reply;
    return $reply;
}

sub frame { my $b = CPANBridge::Codec::encode_frame_body($_[0]); pack('N', length $b) . $b }

sub serve {
    # token
    my $token = join '', map { sprintf '%02x', int rand 256 } 1 .. 16;
    if (!-e "$home/token") {
        open my $fh, '>', "$home/token" or die; print $fh $token; close $fh; chmod 0600, "$home/token";
    }
    open my $tfh, '<', "$home/token" or die; $token = <$tfh>; close $tfh; chomp $token;
    unlink $sockpath;
    socket(my $srv, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
    bind($srv, pack_sockaddr_un($sockpath)) or die "bind $sockpath: $!";
    listen($srv, SOMAXCONN) or die "listen: $!";
    open my $pf, '>', "$home/daemon.pid" or die; print $pf $$; close $pf;
    open my $lf, '>>', "$home/fake.log"; print $lf "start $$\n"; close $lf;
    my $sel = IO::Select->new($srv);
    my %c;    # fileno => {sock, buf, hello, session}
    $SIG{TERM} = sub { unlink $sockpath; exit 0 };
    while (1) {
        for my $fh ($sel->can_read) {
            if ($fh == $srv) {
                accept(my $cl, $srv) or next;
                binmode $cl;
                $sel->add($cl);
                $c{ fileno $cl } = { sock => $cl, buf => '', hello => 0 };
                next;
            }
            my $st = $c{ fileno $fh };
            my $n = sysread($fh, $st->{buf}, 1 << 20, length $st->{buf});
            if (!$n) { $sel->remove($fh); delete $c{ fileno $fh }; close $fh; next }
            while (length $st->{buf} >= 4) {
                my $len = unpack 'N', $st->{buf};
                last if length($st->{buf}) < 4 + $len;
                my $body = substr($st->{buf}, 4, $len);
                substr($st->{buf}, 0, 4 + $len, '');
                my $msg = CPANBridge::Codec::decode_frame_body($body);
                my $out;
                if (!$st->{hello}) {
                    if (($msg->{type} // '') eq 'hello' && ($msg->{token} // '') eq $token) {
                        $st->{hello} = 1; $st->{session} = $msg->{session};
                        $out = frame({ type => 'hello', success => JSON::PP::true(), result => { protocol => 1, daemon_version => 'fake', pid => $$ } });
                    }
                    else {
                        $out = frame({ type => 'hello', success => JSON::PP::false(), error => { code => 'auth_failed', message => 'bad token' } });
                    }
                }
                else {
                    $out = frame(handle_request($st->{session}, $msg));
                }
                my $off = 0;
                while ($off < length $out) { my $w = syswrite($fh, $out, length($out) - $off, $off); last unless $w; $off += $w }
            }
        }
    }
}

my $cmd = shift @ARGV // '';
if ($cmd eq 'daemon') {
    my $detach = grep { $_ eq '--detach' } @ARGV;
    if (!$detach) { serve(); exit 0 }
    my $pid = fork // die;
    if (!$pid) {
        POSIX::setsid();
        my $p2 = fork // die;
        if ($p2) { POSIX::_exit(0) }
        open STDIN, '<', '/dev/null'; open STDOUT, '>>', "$home/fake.out"; open STDERR, '>&', \*STDOUT;
        serve();
        POSIX::_exit(0);
    }
    waitpid $pid, 0;
    # wait until it serves
    for (1 .. 200) {
        if (-S $sockpath) {
            socket(my $s, AF_UNIX, SOCK_STREAM, 0);
            if (connect($s, pack_sockaddr_un($sockpath))) { print "daemon started\n"; exit 0 }
        }
        Time::HiRes::sleep(0.02);
    }
    print STDERR "fake daemon did not start\n";
    exit 1;
}
elsif ($cmd eq 'call') {
    my ($m, $f, $json) = @ARGV;
    $json = do { local $/; <STDIN> } if $json eq '-';
    my $p = CPANBridge::Codec::decode_frame_body($json);
    open my $lf, '>>', "$home/fake.log"; print $lf "call $m.$f id=$ENV{CPAN_BRIDGE_REQUEST_ID} session=$ENV{CPAN_BRIDGE_SESSION} legacy=", ($ENV{CPAN_BRIDGE_LEGACY} // 0), "\n"; close $lf;
    my $r = handle_request($ENV{CPAN_BRIDGE_SESSION}, { id => $ENV{CPAN_BRIDGE_REQUEST_ID}, module => $m, function => $f, params => $p, legacy => $ENV{CPAN_BRIDGE_LEGACY} });
    $r->{result}{process_mode} = 1 if $r->{success} && ref $r->{result} eq 'HASH';
    print CPANBridge::Codec::encode_frame_body($r), "\n";
    exit 0;
}
else { die "usage\n" }
