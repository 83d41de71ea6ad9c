package MailHelper;
# The predecessor's Mail::Sender replacement, with its API: new(%args), OpenMultipart/Attach/
# Body/Close, MailFile and MailMsg (1 or -1, $MailHelper::Error), GetError. Its defects are not
# kept: Close and MailMsg report what happened (the predecessor croaked/returned -1 after a mail
# was sent), MailFile sends (it never did there), attachments are read here, by the script's
# process, and streamed to the daemon. The messages are multipart/mixed (text body, base64
# attachments) or text/plain, sent exactly once by the daemon's mail module.
use strict;
use warnings;
use Carp ();
use File::Basename ();
use MIME::Base64 ();
use JSON::PP ();
use CPANBridge ();
use CPANBridge::Codec ();
use CPANBridge::Shim ();

our $VERSION = '2.00';
our $Error;
our $NO_X_MAILER;

my $CHUNK = 57 * 1024 * 16;    # bytes of a file per base64 block sent to the daemon

sub new {
    my $class = shift;
    my %a = @_ == 1 && ref $_[0] eq 'HASH' ? %{ $_[0] } : @_;
    my $self = bless { smtp => 'localhost', port => 25, debug => 0, %a, attachments => [], error => undef }, ref $class || $class;
    return $self;
}

sub GetError { my $self = shift; return ref $self ? $self->{error} : $Error }

sub _fail {
    my ($self, $msg) = @_;
    $self->{error} = $Error = $msg;
    return;
}

sub _list { my $v = shift; return ref $v eq 'ARRAY' ? @$v : grep { length } split /\s*,\s*/, (defined $v ? $v : '') }
sub _bare { my $a = shift; return $a =~ /<([^>]*)>/ ? $1 : $a }

# text as UTF-8 bytes: character strings encoded; byte strings kept when they are UTF-8 already,
# else read as Latin-1 (the predecessor's Python took text)
sub _utf8 {
    my $b = shift;
    return $b if !utf8::is_utf8($b) and do { my $c = $b; utf8::decode($c) };
    utf8::encode($b);
    return $b;
}

sub _header {
    my ($name, $v) = @_;
    $v = '' unless defined $v;
    $v =~ s/[\r\n]+/ /g;
    if ($v =~ /[^\x20-\x7e]/) {
        $v = '=?UTF-8?B?' . MIME::Base64::encode_base64(_utf8($v), '') . '?=';
    }
    return "$name: $v\r\n";
}

sub _text {
    my $t = shift;
    $t = '' unless defined $t;
    $t = _utf8($t);
    $t =~ s/\r?\n/\r\n/g;
    return $t;
}

sub OpenMultipart {
    my ($self, $h) = @_;
    $h ||= {};
    $self->{$_} = $h->{$_} for grep { defined $h->{$_} } qw(smtp port from to cc bcc subject headers boundary);
    $self->{attachments} = [];
    $self->{body} = undef;
    $self->{multipart} = $h->{multipart} || 'mixed';
    return $self;
}

sub Attach {
    my ($self, $h) = @_;
    Carp::croak('Attach: file is required') unless $h && defined $h->{file};
    push @{ $self->{attachments} }, { %$h };
    return $self;
}

sub Body {
    my ($self, $b) = @_;
    $self->{body} = ref $b eq 'HASH' ? (defined $b->{msg} ? $b->{msg} : $b->{body}) : $b;
    return $self;
}

sub Close {
    my ($self) = @_;
    my $ok = $self->_send($self->{body}, $self->{attachments});
    Carp::croak("MailHelper: $self->{error}") unless $ok;
    return $self;
}

sub MailMsg {
    my ($self, $h) = @_;
    $self->{$_} = $h->{$_} for grep { defined $h->{$_} } qw(smtp port from to cc bcc subject);
    return $self->_send($h->{msg}, []) ? 1 : -1;
}

sub MailFile {
    my ($self, $h) = @_;
    $self->{$_} = $h->{$_} for grep { defined $h->{$_} } qw(smtp port from to cc bcc subject);
    my @files = ref $h->{file} eq 'ARRAY' ? @{ $h->{file} } : _list($h->{file});
    return $self->_send($h->{msg}, [map { { file => $_ } } @files]) ? 1 : -1;
}

sub _send {
    my ($self, $body, $atts) = @_;
    my @to = (_list($self->{to}), _list($self->{cc}), _list($self->{bcc}));
    return $self->_fail('No From: address specified') unless defined $self->{from} and length $self->{from};
    return $self->_fail('No recipient (to) specified') unless @to;
    for my $a (@$atts) { return $self->_fail("File \"$a->{file}\" not found") unless -r $a->{file} }
    my $boundary = $self->{boundary} || ('MailHelper-' . time() . "-$$");
    my $head = _header(To => join(', ', _list($self->{to})));
    $head .= _header(Cc => join(', ', _list($self->{cc}))) if $self->{cc};
    $head .= _header(From => $self->{from}) . _header(Subject => $self->{subject});
    my @t = localtime;
    my $date = POSIX::strftime('%a, %d %b %Y %H:%M:%S %z', @t);
    $head .= "Date: $date\r\n";
    $head .= "X-Mailer: MailHelper $VERSION (CPAN Bridge)\r\n" unless $NO_X_MAILER;
    if (ref $self->{headers} eq 'HASH') { $head .= _header($_, $self->{headers}{$_}) for sort keys %{ $self->{headers} } }
    my $id_at = length $head;
    $head .= "MIME-Version: 1.0\r\n";
    my $first;
    if (@$atts) {
        $head .= qq{Content-Type: multipart/} . ($self->{multipart} || 'mixed') . qq{; boundary="$boundary"\r\n\r\n};
        $first = "--$boundary\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" . _text($body) . "\r\n";
    }
    else {
        $head .= "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        $first = _text($body);
    }
    my $msg;
    my $ok = eval {
        my $r = CPANBridge::call('mail', 'open', { from => _bare($self->{from}), to => [map { _bare($_) } @to], head => CPANBridge::Codec::bytes($head),
            id_at => $id_at, id_line => 'Message-ID: <{id}@mailhelper>' . "\r\n", stuffed => JSON::PP::false(), data => CPANBridge::Codec::bytes(substr($first, 0, $CHUNK)) });
        $msg = $r->{message};
        for (my $pos = $CHUNK; $pos < length $first; $pos += $CHUNK) {    # a long body in slices (frames have a maximum)
            CPANBridge::call('mail', 'write', { message => $msg, data => CPANBridge::Codec::bytes(substr($first, $pos, $CHUNK)) });
        }
        $self->{message_id} = $r->{message_id};
        for my $a (@$atts) {
            my $name = defined $a->{name} ? $a->{name} : File::Basename::basename($a->{file});
            my $ctype = $a->{ctype} || 'application/octet-stream';
            my $part = "--$boundary\r\nContent-Type: $ctype; name=\"$name\"\r\n";
            $part .= "Content-Description: $a->{description}\r\n" if defined $a->{description};
            $part .= "Content-Transfer-Encoding: base64\r\nContent-Disposition: " . ($a->{disposition} || "attachment; filename=\"$name\"") . "\r\n\r\n";
            CPANBridge::call('mail', 'write', { message => $msg, data => CPANBridge::Codec::bytes($part) });
            open my $fh, '<:raw', $a->{file} or die "File \"$a->{file}\" cannot be read: $!\n";
            my $buf;
            while (read $fh, $buf, $CHUNK) {
                (my $enc = MIME::Base64::encode_base64($buf)) =~ s/\n/\r\n/g;
                CPANBridge::call('mail', 'write', { message => $msg, data => CPANBridge::Codec::bytes($enc) });
            }
            close $fh;
        }
        CPANBridge::call('mail', 'write', { message => $msg, data => CPANBridge::Codec::bytes("--$boundary--\r\n") }) if @$atts;
        CPANBridge::call('mail', 'send', { message => $msg, host => "$self->{smtp}", port => 0 + $self->{port}, timeout => 120,
            client => 'localhost', tls => 'allowed', auth => undef, skip_bad => JSON::PP::false() });
        1;
    };
    my $e = $@;
    eval { CPANBridge::call('mail', 'discard', { message => $msg }) } if defined $msg;
    return $self->_fail(CPANBridge::Shim::error_text($e)) unless $ok;
    $self->{error} = $Error = undef;
    return 1;
}

require POSIX;

1;
