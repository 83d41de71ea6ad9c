package MailSink;
# The SMTP sink of test/mail-sink.ts for the prove tests: started as a node process on
# 127.0.0.1 at a free port; each message it receives lands in its directory as NNN.eml (the
# bytes) and NNN.json (the envelope).
use strict;
use warnings;
use IPC::Open2 ();
use JSON::PP ();
use File::Temp ();
use IO::Socket::INET ();

sub start {
    my ($class, $opts, $repo) = @_;
    my $dir = File::Temp::tempdir('cb-sink-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my ($out, $in);
    my $pid = IPC::Open2::open2($out, $in, 'node', "$repo/dist/test/mail-sink.js", $dir, JSON::PP->new->canonical->encode($opts || {}));
    my $port = <$out>;
    die "the mail sink did not start\n" unless defined $port && $port =~ /^(\d+)/;
    return bless { pid => $pid, in => $in, out => $out, dir => $dir, port => 0 + $1 }, $class;
}

sub port { $_[0]{port} }

sub messages {
    my ($self) = @_;
    my @m;
    my @files = glob("$self->{dir}/*.eml");
    for my $f (sort { $a cmp $b } @files) {
        (my $j = $f) =~ s/\.eml$/.json/;
        open my $e, '<:raw', $f or die; local $/; my $data = <$e>;
        open my $h, '<', $j or die; my $env = JSON::PP::decode_json(<$h>);
        push @m, { %$env, data => $data };
    }
    return @m;
}

sub clear { unlink glob("$_[0]{dir}/*") }

sub stop {
    my ($self) = @_;
    return unless $self->{pid};
    close $self->{in};
    kill 'TERM', $self->{pid};
    waitpid $self->{pid}, 0;
    $self->{pid} = 0;
}

sub DESTROY { $_[0]->stop }

# The sinks of the fidelity tests, one script run against them, and what they received, normalised
# (Date, generated Message-IDs and time-based boundaries; the X-Mailer's host and account) as text.
sub free_port { my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die; my $p = $s->sockport; close $s; $p }

sub transcript {
    my ($script, $dir, $repo, $env) = @_;
    my %sinks = (
        main    => MailSink->start({ reject => { 'bad@example.test' => 550, 'later@example.test' => 450 } }, $repo),
        auth    => MailSink->start({ users => { alice => 'Otter-Smtp-Secret-4471' } }, $repo),
        reject  => MailSink->start({ dataCode => 554 }, $repo),
        mail553 => MailSink->start({ mailCode => 553 }, $repo),
    );
    my @args = ((map { "$_=" . $sinks{$_}->port } sort keys %sinks), 'closed=' . free_port(), "dir=$dir");
    my ($out, $err, $rc) = BridgeTest::run_script($script, $env, args => \@args, timeout => 120);
    my $t = "exit $rc\n$out";
    $err =~ s/ at \S+ line \d+\.$//mg;
    $t .= "stderr: $err" . ($err =~ /\n\z/ ? '' : "\n");
    for my $name (sort keys %sinks) {
        my $i = 0;
        for my $m ($sinks{$name}->messages) {
            $i++;
            my $data = $m->{data};
            # a Date the script set (the scenarios' fixed one) is kept: those messages compare byte for byte
            $data =~ s/^Date: (?!Tue, 0?1 Dec 2026 06:00:00 \+0000).*\r\n/Date: (date)\r\n/mg;
            $data =~ s/^Message-ID: <\d{8}_\d{6}_[^>]*>\r\n/Message-ID: (generated)\r\n/mg;
            $data =~ s/Message-Boundary-by-Mail-Sender-\d+/Message-Boundary-by-Mail-Sender-(time)/g;
            $data =~ s/_----------=_\d+/_----------=_(time)/g;
            $data =~ s/^Message-ID: <[0-9a-f]{20}\@cpan-bridge>\r\n//m;    # MIME::Lite sets none: the bridge's own
            # X-Mailer names the machine and the account: the kept transcript is another machine's
            $data =~ s/^\trunning on .*\r\n/\trunning on (host)\r\n/mg;
            $data =~ s/^\tunder account ".*"\r\n/\tunder account (user)\r\n/mg;
            $data =~ s/\r\n/\\r\\n\n/g;
            $t .= "--- $name message $i: MAIL FROM:<$m->{from}> RCPT TO:<" . join('> <', @{ $m->{to} }) . "> user=" . ($m->{user} // '-') . "\n$data\n";
        }
        $sinks{$name}->stop;
    }
    return $t;
}


# Two transcripts compared line by line (Test::More): as many lines, every line equal.
sub compare {
    my ($real, $bridge, $what) = @_;
    my @g = split /\n/, $real;
    my @b = split /\n/, $bridge;
    Test::More::is(scalar @b, scalar @g, 'as many transcript lines as the real module');
    my @diff = grep { ($g[$_] // '') ne ($b[$_] // '') } 0 .. ($#g > $#b ? $#g : $#b);
    Test::More::is(scalar @diff, 0, "every line equal ($what)")
        or Test::More::diag(join "\n", map { "line $_\nreal:   " . ($g[$_] // '(none)') . "\nbridge: " . ($b[$_] // '(none)') } @diff[0 .. ($#diff < 8 ? $#diff : 7)]);
    return scalar grep { /^--- / } @b;
}

1;
