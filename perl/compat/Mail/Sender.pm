package Mail::Sender;
# Mail::Sender 0.904's API on the CPAN Bridge. The message is composed here exactly as the real
# module writes it to its socket (same headers and order, X-Mailer, Date, boundaries, encodings,
# its own dot-stuffing), but into a spool in the daemon instead of a socket: the daemon's mail
# module then runs the SMTP dialog (MAIL, RCPT, DATA, the bytes, ".") once, exactly once across
# daemon crashes. As the real module, Open* talk to the server up to the end of the envelope (the
# daemon holds that session) and Close sends the message. Attachments are read by this process.
use strict;
use warnings;
no warnings 'uninitialized';
use Carp ();
use Encode ();
use File::Basename ();
use MIME::Base64 ();
use MIME::QuotedPrint ();
use Socket ();
use Time::Local ();
use CPANBridge ();
use CPANBridge::Codec ();
use CPANBridge::Shim ();
use JSON::PP ();
use base 'Exporter';

our @EXPORT    = qw();
our @EXPORT_OK = qw(GuessCType);
our $VERSION = '0.904';

warnings::warnif('deprecated', 'Mail::Sender is deprecated and you should look to Email::Sender instead');

our ($GMTdiff, $Error, %default, $debug, $NO_X_MAILER, $NO_DATE, $NO_MESSAGE_ID, $SITE_HEADERS, $LastResponse);
our %CTypes = (
    GIF => 'image/gif', JPE => 'image/jpeg', JPEG => 'image/jpeg', SHTML => 'text/html', SHTM => 'text/html',
    HTML => 'text/html', HTM => 'text/html', TXT => 'text/plain', INI => 'text/plain', DOC => 'application/x-msword',
    EML => 'message/rfc822',
);
our @Errors = (
    'OK', 'Unknown encoding', 'TLS unsupported by server', 'TLS unsupported by script', 'IO::SOCKET::SSL failed',
    'STARTTLS failed', 'debug file cannot be opened', 'file cannot be read', 'all recipients have been rejected',
    'authentication protocol is not implemented', 'login not accepted', 'authentication protocol not accepted by the server',
    'no From: address specified', 'no SMTP server specified', 'connection not established. Did you mean MailFile instead of SendFile?',
    'site specific error', 'not available in singlepart mode', 'file not found', 'no file name specified in call to MailFile or SendFile',
    'no message specified in call to MailMsg or MailFile', 'argument $to empty', 'transmission of message failed',
    'local user $to unknown on host $smtp', 'unspecified communication error', 'service not available', 'connect() failed',
    'socket() failed', '$smtphost unknown',
);

# the local name and address, as the real module finds them (they go into X-Mailer and EHLO)
our $local_name = $ENV{HOSTNAME} || $ENV{HTTP_HOST} || (gethostbyname 'localhost')[0];
$local_name =~ s/:.*$//;
our $local_IP = join('.', unpack('CCCC', (gethostbyname $local_name)[4] || "\0\0\0\0"));

sub ResetGMTdiff {
    my $local = time;
    my $gm    = Time::Local::timelocal(gmtime $local);
    my $sign  = qw( + + - ) [$local <=> $gm];
    $GMTdiff = sprintf "%s%02d%02d", $sign, (gmtime abs($local - $gm))[2, 1];
    return $GMTdiff;
}
ResetGMTdiff();

our @priority = ('', '1 (Highest)', '2 (High)', '3 (Normal)', '4 (Low)', '5 (Lowest)');
our $chunksize        = 1024 * 4;
our $chunksize64      = 71 * 57;
our $enc_base64_chunk = 57;
our $SPOOL_CHUNK      = 1024 * 1024;    # bytes buffered here before they go to the daemon

# --- encoders (the real module's) ---------------------------------------------------------------

sub enc_base64 {
    my $charset = $_[0];
    return sub {
        my $s = MIME::Base64::encode_base64($charset ? Encode::encode($charset, $_[0]) : $_[0]);
        $s =~ s/\x0A/\x0D\x0A/sg;
        return $s;
    };
}

sub enc_qp {
    my $charset = $_[0];
    return sub {
        my $s = $charset ? Encode::encode($charset, $_[0]) : $_[0];
        $s =~ s/\x0D\x0A/\n/g;
        $s = MIME::QuotedPrint::encode_qp($s);
        $s =~ s/^\./../gm;
        $s =~ s/\x0A/\x0D\x0A/sg;
        return $s;
    };
}

sub enc_plain {
    my $charset = $_[0];
    return sub {
        my $s = $charset ? Encode::encode($charset, $_[0]) : $_[0];
        $s =~ s/^\./../gm;
        $s =~ s/(?:\x0D\x0A?|\x0A)/\x0D\x0A/sg;
        return $s;
    };
}

sub enc_xtext {
    my $input = shift;
    $input =~ s/([^!-*,-<>-~])/'+'.uc(unpack('H*', $1))/eg;
    return $input;
}

{
    my $username;
    sub getusername () {
        return $username if defined($username);
        return $username = eval { getlogin || getpwuid($<) } || $ENV{USERNAME};
    }
}

# --- the spool: what the real module prints to its socket ---------------------------------------

sub _hdr_text {
    my ($hdr, $str, $charset) = @_;
    return '' if !defined $str or $str eq '';
    $str =~ s/[\x0D\x0A\s]+$//;
    if ($charset && $str =~ /[^[:ascii:]]/) {
        $str = Encode::encode($charset, $str);
        my @parts = split /(\s*[,;<> ]\s*)/, $str;
        $str = '';
        for (my $i = 0; $i < @parts; $i++) {
            my $part = $parts[$i];
            $part .= $parts[++$i] if ($i < $#parts && $parts[$i + 1] =~ /^\s+$/);
            if ($part =~ /[^[:ascii:]]/ || $part =~ /[\r\n\t]/) {
                $part = MIME::QuotedPrint::encode_qp($part, '');
                $part =~ s/([\s\?])/'=' . sprintf '%02x',ord($1)/ge;
                $str .= "=?$charset?Q?$part?=";
            }
            else {
                $str .= $part;
            }
        }
    }
    $str =~ s/(?:\x0D\x0A?|\x0A)/\x0D\x0A/sg;
    $str =~ s/\x0D\x0A([^\t])/\x0D\x0A\t$1/sg;
    if (length($str) + length($hdr) > 997) {
        $str =~ s/(.{1,980}[;,])\s+(\S)/$1\x0D\x0A\t$2/g;
    }
    return "$hdr: $str\x0D\x0A";
}

sub _out {
    my $self = shift;
    my $s = $self->{'socket'} or return;
    for (@_) {
        my $b = $_;
        utf8::downgrade($b, 1) or utf8::encode($b);    # the socket got bytes (wide chars as UTF-8, with a warning there)
        $s->{buf} .= $b;
        $self->_dbg_print($b) if $self->{'_dbg'};
    }
    $self->_flush(0) if length($s->{buf}) >= $SPOOL_CHUNK;
    return 1;
}

sub _hdr { my $self = shift; $self->_out(_hdr_text(@_)) }

# --- debug: the log the real module's tied socket writes ("<< " sent, ">> " received) ----------
# The dialog comes from the daemon (a transcript, credentials left out); what this process sends
# is logged here as it goes, to a temporary file, with the real module's stop/start points.

sub _dbg_print {
    my ($self, $text) = @_;
    my $d = $self->{'_dbg'} or return;
    return if $d->{off};
    $text =~ s/\x0D\x0A(?=.)/\x0D\x0A<< /g;
    $text = "<< " . $text if $d->{endline};
    $d->{endline} = ($text =~ /\x0D\x0A$/);
    print { $d->{fh} } $text;
}

sub _dbg_stop {
    my ($self, $msg) = @_;
    my $d = $self->{'_dbg'} or return;
    return if $d->{off};
    $self->_dbg_print("$msg\x0D\x0A");
    $d->{off} = 1;
}

sub _dbg_start { my $d = $_[0]{'_dbg'} or return; $d->{off} = 0 }
sub _dbg_level { my $d = $_[0]{'_dbg'} or return -1; return $_[0]{'debug_level'} }

sub _dbg_begin {
    my ($self) = @_;
    return unless $self->{'debug'};
    $self->{'debug_level'} = 4 unless defined $self->{'debug_level'};
    require File::Temp;
    my $fh = File::Temp::tempfile();
    binmode $fh;
    $self->{'_dbg'} = { fh => $fh, endline => 1, off => 0 };
}

# the whole log, once the daemon has run the dialog: its part before the data, the data as logged
# here, its part after; a refusal ends as the real Error() ends it ("quit", no reply read)
sub _dbg_write {
    my ($self, $transcript, $failed) = @_;
    my $d = delete $self->{'_dbg'} or return;
    return unless $transcript and @$transcript;
    my @t = @$transcript;
    if ($failed) {
        my ($q) = grep { defined $t[$_] and $t[$_] eq "<< QUIT\r\n" } reverse 0 .. $#t;
        splice @t, $q if defined $q;
        push @t, "<< quit\r\n";
    }
    my $out;
    my $file = $self->{'debug'};
    if (ref $file) { $out = $file }
    else { open $out, '>', $file or return; binmode $out }
    my $fh = $d->{fh};
    for my $l (@t) {
        if (defined $l) { print {$out} $l; next }
        seek $fh, 0, 0;
        my $buf;
        if (defined $d->{id_pos}) {    # the Message-ID the daemon derived goes where it was left out
            read $fh, $buf, $d->{id_pos};
            print {$out} $buf, '<< ', _hdr_text('Message-ID', $self->{'messageid'});
        }
        print {$out} $buf while read $fh, $buf, 65536;
    }
    close $fh;
    close $out unless ref $file;
}

# the header block is done: the daemon gets it with the envelope (and puts the Message-ID in)
sub _open_spool {
    my ($self) = @_;
    my $s = $self->{'socket'};
    my @rcpt = map { /<(.*)>/ ? $1 : $_ } @{$self->{'to_list'} || []}, @{$self->{'cc_list'} || []}, @{$self->{'bcc_list'} || []};
    $s->{rcpt_given} = [@{$self->{'to_list'} || []}, @{$self->{'cc_list'} || []}, @{$self->{'bcc_list'} || []}];
    # the dialog begins here, up to the end of the envelope, as the real Open talks to the server
    my $server = $self->_server;
    my $password = delete $server->{password};
    $server->{transcript} = JSON::PP::true() if $self->{'_dbg'};
    my $r = $self->_call('open', {
        from => '' . ($self->{'fromaddr'} || ''), to => [map { "$_" } @rcpt],
        head => CPANBridge::Codec::bytes($s->{buf}), stuffed => JSON::PP::true(),
        id_at => $s->{id_at}, id_line => $s->{id_line}, session => $server, (defined $password ? (password => $password) : ()),
    });
    $s->{buf} = '';
    $s->{message} = $r->{message};
    $self->{'messageid'} = $r->{message_id} if defined $s->{id_at};
    $self->_skipped($r->{rejected});
    return 1;
}

sub _flush {
    my ($self, $all) = @_;
    my $s = $self->{'socket'} or return;
    return unless defined $s->{message} and length $s->{buf};
    # in slices of 1 MiB at most (a frame has a maximum size; SendEnc may get 20 MiB at once)
    for (my $pos = 0; $pos < length $s->{buf}; $pos += $SPOOL_CHUNK) {
        $self->_call('write', { message => $s->{message}, data => CPANBridge::Codec::bytes(substr($s->{buf}, $pos, $SPOOL_CHUNK)) });
    }
    $s->{buf} = '';
}

sub _discard {
    my ($self) = @_;
    my $s = delete $self->{'socket'} or return;
    eval { CPANBridge::call('mail', 'discard', { message => $s->{message} }) } if defined $s->{message};
    CPANBridge::Shim::untrack('Mail::Sender', $self);
}

sub _call {
    my ($self, $fn, $params) = @_;
    my $r = eval { CPANBridge::call('mail', $fn, $params) };
    die $@ if $@;
    return $r;
}

# --- errors (the real module's texts and codes) -------------------------------------------------

sub _HOSTNOTFOUND { my $msg = shift || ''; $! = 2; $Error = "The SMTP server $msg was not found"; return -1, $Error }
# (the real module sets $! = 5 before reading $^E: its text is always that of EIO)
sub _CONNFAILED { $! = 5; $Error = "connect() failed: $^E"; return -3, $Error }
sub _SERVNOTAVAIL {
    my $msg = shift || '';
    $! = 40;
    $Error = "Service not available. " . ($msg ? "Reply: $msg" : "Server closed the connection unexpectedly");
    return -4, $Error;
}
sub _COMMERROR { my $msg = shift || ''; $! = 5; $Error = $msg eq '' ? "No response from server" : "Server error: $msg"; return -5, $Error }
sub _USERUNKNOWN {
    my $user = shift || '';
    my $host = shift || '';
    my $err  = shift || '';
    $! = 2;
    if ($err and $err !~ /Local user/i) {
        $err =~ s/^\d+\s*//;
        $err =~ s/\s*$//s;
        $err ||= "Error";
        $Error = "$err for \"$user\" on host \"$host\"";
    }
    else {
        $Error = "Local user \"$user\" unknown on host \"$host\"";
    }
    return -6, $Error;
}
sub _TRANSFAILED { my $msg = shift || ''; $! = 5; $Error = "Transmission of message failed ($msg)"; return -7, $Error }
sub _TOEMPTY { $! = 14; $Error = "Argument \$to empty"; return -8, $Error }
sub _NOMSG { $! = 22; $Error = "No message specified"; return -9, $Error }
sub _NOFILE { $! = 22; $Error = "No file name specified"; return -10, $Error }
sub _FILENOTFOUND { my $msg = shift || ''; $! = 2; $Error = "File \"$msg\" not found"; return -11, $Error }
sub _NOTMULTIPART { my $msg = shift || ''; $! = 40; $Error = "$msg not available in singlepart mode"; return -12, $Error }
sub _SITEERROR { $! = 15; $Error = "Site specific error"; return -13, $Error }
sub _DEBUGFILE { $Error = shift; return -22, $Error }
sub _TLS_UNSUPPORTED_BY_ME { my $msg = shift || ''; $! = 5; $Error = "TLS unsupported by the script: $msg"; return -25, $Error }
sub _NOTCONNECTED { $! = 1; $Error = "Connection not established"; return -14, $Error }
sub _NOSERVER { $! = 22; $Error = "No SMTP server specified"; return -15, $Error }
sub _NOFROMSPECIFIED { $! = 22; $Error = "No From: address specified"; return -16, $Error }
sub _INVALIDAUTH {
    my $proto = shift || '';
    my $res   = shift || '';
    $! = 22;
    $Error = "Authentication protocol $proto is not accepted by the server";
    $Error .= ",\nresponse: $res" if $res;
    return -17, $Error;
}
sub _LOGINERROR { $! = 22; $Error = "Login not accepted"; return -18, $Error }
sub _UNKNOWNAUTH { my $msg = shift || ''; $! = 22; $Error = "Authentication protocol $msg is not implemented by Mail::Sender"; return -19, $Error }
sub _ALLRECIPIENTSBAD { $! = 2; $Error = "All recipients are bad"; return -20, $Error }
sub _FILECANTREAD { my $msg = shift || ''; my $e = shift; $Error = "File \"$msg\" cannot be read: $e"; return -21, $Error }
sub _STARTTLS { my $msg = shift || ''; my $two = shift || ''; $! = 5; $Error = "STARTTLS failed: $msg $two"; return -23, $Error }
sub _IO_SOCKET_SSL { my $msg = shift || ''; $! = 5; $Error = "IO::Socket::SSL->start_SSL failed: $msg"; return -24, $Error }
sub _TLS_UNSUPPORTED_BY_SERVER { $! = 5; $Error = "TLS unsupported by server"; return -26, $Error }
sub _UNKNOWNENCODING { my $msg = shift || ''; $! = 5; $Error = "Unknown encoding '$msg'"; return -27, $Error }

# get_response's form of a reply: "nnn-a\r\nnnn b\r\n" => "nnn a\r\nb\r\n"
sub _response {
    my ($r) = @_;
    return $r unless defined $r and $r =~ /^\d\d\d-/;
    my @l = split /(?<=\n)/, $r;
    my $res = shift @l;
    $res =~ s/^(\d\d\d)-/$1 /;
    s/^\d\d\d[- ]// for @l;
    return join '', $res, @l;
}

# a daemon error of the send, as the real module reports the same event
sub _smtp_error {
    my ($self, $e) = @_;
    my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
    if ($code eq 'in_doubt') {
        # the final "." went out and no reply was seen: the real module says "No response"; the
        # bridge adds what it knows (never sent again, the Message-ID to look for)
        $! = 5;
        $Error = "No response from server (" . CPANBridge::Shim::error_text($e) . ")";    # "(in doubt: ...)"
        return $self->Error(-5, $Error);
    }
    return $self->Error(-5, ($Error = CPANBridge::Shim::error_text($e))) unless $code eq 'mail_error';
    my $stage = $e->{stage} || '';
    my $kind  = $e->{kind} || '';
    my $resp  = _response($e->{response});
    $LastResponse = $resp if defined $resp and length $resp;
    return $self->Error(_CONNFAILED()) if $kind eq 'refused' or ($kind eq 'timeout' and $stage eq 'connect');
    if ($stage eq 'greeting') { return $self->Error(_SERVNOTAVAIL($kind eq 'reply' ? $resp : '')) }
    if ($kind eq 'tls_unsupported') { return $self->Error(_TLS_UNSUPPORTED_BY_SERVER()) }
    if ($stage eq 'starttls') {
        return $self->Error(_IO_SOCKET_SSL(CPANBridge::Shim::error_text($e))) if $kind ne 'reply';
        my ($c, $t) = split(/\s/, $resp, 2);
        return $self->Error(_STARTTLS($c, $t));
    }
    my $auth = uc($self->{'auth'}) || 'LOGIN';
    if ($kind eq 'auth_unoffered') { return $self->Error(_INVALIDAUTH($auth)) }
    if ($stage eq 'auth') { return $self->Error(_LOGINERROR($resp)) }
    if ($kind eq 'all_rejected') {
        $self->_skipped($e->{rejected});
        return $self->Error(_ALLRECIPIENTSBAD());
    }
    if ($stage eq 'rcpt') {
        my $given = $self->_given($e->{address});
        return $self->Error(_USERUNKNOWN($given, $self->{'smtp'}, $kind eq 'reply' ? $resp : ''));
    }
    if ($stage eq 'dot') {
        return $self->Error(_TRANSFAILED($1)) if $resp =~ /^[45]\d* (.*)$/;
        return $self->Error(_COMMERROR($resp));
    }
    return $self->Error(_COMMERROR($kind eq 'reply' ? $resp : ''));
}

# the recipient as the script wrote it (the daemon knows the bare address)
sub _given {
    my ($self, $addr) = @_;
    my $s = $self->{'socket'};
    for my $g (@{$s ? $s->{rcpt_given} : []}) {
        my $bare = $g =~ /<(.*)>/ ? $1 : $g;
        return $g if $bare eq $addr;
    }
    return $addr;
}

sub _skipped {
    my ($self, $rejected) = @_;
    return unless $rejected and @$rejected;
    my %failed;
    for my $r (@$rejected) {
        my $t = _response($r->{response});
        chomp $t unless $self->{'multipart'};    # Open chomps the reply, OpenMultipart does not
        $t =~ s/^\d{3} //;
        $failed{ $self->_given($r->{address}) } = $t;
    }
    $self->{'skipped_recipients'} = \%failed;
}

# --- the object ----------------------------------------------------------------------------------

sub new {
    my $this = shift;
    my $self = {};
    my $class;
    if (ref($this)) { $class = ref($this); %$self = %$this; delete $self->{'socket'} }
    else { $class = $this }
    bless $self, $class;
    return $self->_initialize(@_);
}

sub _initialize {
    undef $Error;
    my $self = shift;
    delete $self->{'_buffer'};
    $self->{'debug'} = 0;
    $self->{'proto'} = (getprotobyname('tcp'))[2];
    $self->{'port'} = getservbyname('smtp', 'tcp') || 25 unless $self->{'port'};
    $self->{'boundary'}    = 'Message-Boundary-by-Mail-Sender-' . time();
    $self->{'multipart'}   = 'mixed';
    $self->{'tls_allowed'} = 1;
    $self->{'client'}      = $local_name;
    foreach my $key (keys %default) { $self->{lc $key} = $default{$key} }
    if (@_ != 0) {
        if (ref $_[0] eq 'HASH') {
            my $hash = $_[0];
            foreach my $key (keys %$hash) { $self->{lc $key} = $hash->{$key} }
            $self->{'reply'} = $self->{'replyto'} if ($self->{'replyto'} and !$self->{'reply'});
        }
        else {
            ($self->{'from'}, $self->{'reply'}, $self->{'to'}, $self->{'smtp'}, $self->{'subject'}, $self->{'headers'}, $self->{'boundary'}) = @_;
        }
    }
    $self->_unsupported;
    $self->{'fromaddr'}  = $self->{'from'};
    $self->{'replyaddr'} = $self->{'reply'};
    $self->_prepare_addresses('to')  if $self->{'to'};
    $self->_prepare_addresses('cc')  if $self->{'cc'};
    $self->_prepare_addresses('bcc') if $self->{'bcc'};
    $self->_prepare_ESMTP() if defined $self->{'esmtp'};
    $self->{'fromaddr'} =~ s/.*<([^\s]*?)>/$1/ if ($self->{'fromaddr'});
    if ($self->{'replyaddr'}) {
        $self->{'replyaddr'} =~ s/.*<([^\s]*?)>/$1/;
        $self->{'replyaddr'} =~ s/^([^\s]+).*/$1/;
    }
    if ($self->{'smtp'}) {
        $self->{'smtp'} =~ s/^\s+//g;
        $self->{'smtp'} =~ s/\s+$//g;
        unless ($self->{'smtpaddr'} = Socket::inet_aton($self->{'smtp'})) {
            return $self->Error(_HOSTNOTFOUND($self->{'smtp'}));
        }
    }
    $self->{'boundary'} =~ tr/=/-/ if defined $self->{'boundary'};
    $self->_prepare_headers() if defined $self->{'headers'};
    return $self;
}

# options whose effect lives in the real module's own socket code
sub _unsupported {
    my ($self) = @_;
    for my $o (qw(auth_encoded ssl_version ssl_ca_path ssl_ca_file ssl_verifycb_name ssl_verifycn_schema ssl_hostname authdomain)) {
        next unless $self->{$o};
        Carp::croak("Mail::Sender on the CPAN Bridge: the option '$o' is not supported");
    }
    if (defined $self->{'ssl_verify_mode'} and $self->{'ssl_verify_mode'}) {
        Carp::croak("Mail::Sender on the CPAN Bridge: ssl_verify_mode is not supported (the certificate is not verified, as with the default SSL_VERIFY_NONE)");
    }
    my $auth = uc($self->{'auth'} || '');
    if ($auth ne '' and $auth !~ /^(?:LOGIN|PLAIN|CRAM-MD5)$/) {
        Carp::croak("Mail::Sender on the CPAN Bridge: the authentication protocol $auth is not supported (LOGIN, PLAIN and CRAM-MD5 are)");
    }
}

sub GuessCType {
    my $file = shift;
    if (defined $file && $file =~ /\.(.*)$/) { return $CTypes{uc($1)} || 'application/octet-stream' }
    return 'application/octet-stream';
}

sub Error {
    my $self = shift();
    if (@_) {
        $self->_discard if defined $self->{'socket'};
        delete $self->{'_data'};
        ($self->{'error'}, $self->{'error_msg'}) = @_;
    }
    if ($self->{'die_on_errors'} or ($self->{on_errors} && $self->{'on_errors'} eq 'die')) {
        die $self->{'error_msg'} . "\n";
    }
    elsif (exists $self->{'on_errors'} and (!defined($self->{'on_errors'}) or $self->{'on_errors'} eq 'undef')) {
        return;
    }
    return $self->{'error'};
}

sub ClearErrors {
    my $self = shift();
    delete $self->{'error'};
    delete $self->{'error_msg'};
    undef $Error;
}

sub _prepare_addresses {
    my ($self, $type) = @_;
    if (ref $self->{$type}) {
        $self->{$type . '_list'} = [map { s/\s+$//; s/^\s+//; $_ } @{$self->{$type}}];
        $self->{$type} = join ', ', @{$self->{$type . '_list'}};
    }
    else {
        $self->{$type} =~ s/\s+/ /g;
        $self->{$type} =~ s/, ?,/,/g;
        $self->{$type . '_list'} = [map { s/\s+$//; $_ } $self->{$type} =~ /((?:[^",]+|"[^"]*")+)(?:,\s*|\s*$)/g];
    }
}

sub _prepare_ESMTP {
    my $self = shift;
    $self->{esmtp} = {%{$self->{esmtp}}};
    $self->{esmtp}{ORCPT} = 'rfc822;' . $self->{esmtp}{ORCPT} if $self->{esmtp}{ORCPT} ne '' and $self->{esmtp}{ORCPT} !~ /;/;
    for (qw(ENVID ORCPT)) { $self->{esmtp}{$_} = enc_xtext($self->{esmtp}{$_}) }
}

# the DSN parameters of MAIL FROM and RCPT TO (the daemon adds them when the server offers DSN)
sub _dsn {
    my ($self) = @_;
    my ($mail, $rcpt) = ('', '');
    return undef unless ref $self->{esmtp} eq 'HASH';
    for (qw(RET ENVID)) { $mail .= " $_=$self->{esmtp}{$_}" if $self->{esmtp}{$_} ne '' }
    for (qw(NOTIFY ORCPT)) { $rcpt .= " $_=$self->{esmtp}{$_}" if $self->{esmtp}{$_} ne '' }
    return ($mail eq '' and $rcpt eq '') ? undef : { mail => $mail, rcpt => $rcpt };
}

sub _prepare_headers {
    my $self = shift;
    return unless exists $self->{'headers'};
    if ($self->{'headers'} eq '') {
        delete $self->{'headers'};
        delete $self->{'_headers'};
        return;
    }
    if (ref($self->{'headers'}) eq 'HASH') {
        my $headers = '';
        while (my ($hdr, $value) = each %{$self->{'headers'}}) {
            for ($hdr, $value) {
                s/(?:\x0D\x0A?|\x0A)/\x0D\x0A/sg;
                s/^(?:\x0D\x0A)+//;
                s/(?:\x0D\x0A)+$//;
                s/\x0D\x0A(\S)/\x0D\x0A\t$1/sg;
                if (length($_) > 997) { s/(.{1,980}[;,])\s+(\S)/$1\x0D\x0A\t$2/g }
            }
            $headers .= "$hdr: $value\x0D\x0A";
        }
        $headers =~ s/(?:\x0D\x0A)+$//;
        $self->{'_headers'} = $headers;
    }
    elsif (ref($self->{'headers'})) {
    }
    else {
        $self->{'_headers'} = $self->{'headers'};
        for ($self->{'_headers'}) {
            s/(?:\x0D\x0A?|\x0A)/\x0D\x0A/sg;
            s/^(?:\x0D\x0A)+//;
            s/(?:\x0D\x0A)+$//;
        }
    }
}

require CPANBridge::MailSender;    # Open*, the parts, Close: the message itself

1;
