# A message for the daemon's mail module as Net::SMTP's datasend would write it (CRLF line ends, leading dots doubled), spooled to the
# daemon in 1 MiB writes; the daemon adds the final "." (and a CRLF first when missing, as dataend).
package CPANBridge::MailSpool;
use strict;
use warnings;
use JSON::PP ();
use CPANBridge ();
use CPANBridge::Codec ();

sub new {
    my ($class, $from, $to) = @_;
    return bless { from => "" . ($from // ''), to => [map { "$_" } @$to], buf => '', last => "\012", message => undef }, $class;
}

sub print {
    my $self = shift;
    my $line = join '', @_;
    return 1 unless length $line;
    utf8::downgrade($line, 1) or utf8::encode($line);
    my $first = '';
    if ($self->{last} eq "\015") { $first = "\012" if $line =~ s/^\012(\.?)/$1$1/ }
    elsif ($self->{last} eq "\012") { $first = "." if $line =~ /^\./ }
    $line =~ s/\015?\012(\.?)/\015\012$1$1/sg;
    substr($line, 0, 0) = $first;
    $self->{last} = substr($line, -1, 1);
    $self->{buf} .= $line;
    $self->flush if length $self->{buf} >= 1024 * 1024;
    1;
}

# sent in slices of at most 1 MiB (a frame has a maximum size; a script may print 20 MiB at once)
my $SLICE = 1024 * 1024;

sub flush {
    my ($self) = @_;
    my $pos = 0;
    if (!defined $self->{message}) {
        my $first = substr($self->{buf}, 0, $SLICE);
        $pos = length $first;
        my $r = CPANBridge::call('mail', 'open', { from => $self->{from}, to => $self->{to}, head => CPANBridge::Codec::bytes($first),
            id_at => ($self->{derive_id} ? 0 : undef), id_line => ($self->{derive_id} ? "Message-ID: <{id}\@cpan-bridge>\r\n" : undef), stuffed => JSON::PP::true() });
        $self->{message} = $r->{message};
    }
    for (; $pos < length $self->{buf}; $pos += $SLICE) {
        CPANBridge::call('mail', 'write', { message => $self->{message}, data => CPANBridge::Codec::bytes(substr($self->{buf}, $pos, $SLICE)) });
    }
    $self->{buf} = '';
}

sub discard {
    my ($self) = @_;
    eval { CPANBridge::call('mail', 'discard', { message => $self->{message} }) } if defined $self->{message};
}

1;
