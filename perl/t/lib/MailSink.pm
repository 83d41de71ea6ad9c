package MailSink;
# The SMTP sink of test/mail-sink.ts for the prove tests: started as a node process on
# 127.0.0.1 at a free port; each message it receives lands in its directory as NNN.eml (the
# bytes) and NNN.json (the envelope).
use strict;
use warnings;
use IPC::Open2 ();
use JSON::PP ();
use File::Temp ();

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
    for my $f (sort glob("$self->{dir}/*.eml")) {
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

1;
