package MIME::Lite;
# The second half of perl/compat/MIME/Lite.pm: printing (as the real module prints) and sending
# through the daemon's mail module.
use strict;
use warnings;
use CPANBridge::MailSpool ();
use vars qw($AUTO_CC $AUTO_VERIFY $QUIET $DEBUG);
our ($Sender, %SenderArgs);

sub print {
    my ($self, $out) = @_;
    $out = MIME::Lite::IO_Handle->wrap($out);
    $self->verify_data if $AUTO_VERIFY;
    $out->print($self->header_as_string);
    $out->print("\n");
    $self->print_body($out);
}

sub print_for_smtp {
    my ($self, $out) = @_;
    $out = MIME::Lite::IO_Handle->wrap($out);
    my @fields = grep { $_->[0] ne 'bcc' } @{ $self->fields };
    $out->print($self->fields_as_string(\@fields));
    $out->print("\n");
    $self->print_body($out, '1');
}

sub print_body {
    my ($self, $out, $is_smtp) = @_;
    my $attrs = $self->{Attrs};
    my $sub_attrs = $self->{SubAttrs};
    $out = MIME::Lite::IO_Handle->wrap($out);
    my $type = $attrs->{'content-type'} // '';
    if ($type =~ m{^multipart/}i) {
        my $boundary = $sub_attrs->{'content-type'}{'boundary'};
        $out->print(defined($self->{Preamble}) ? $self->{Preamble} : "This is a multi-part message in MIME format.\n");
        foreach my $part (@{ $self->{Parts} }) {
            $out->print("\n--$boundary\n");
            $part->print($out);
        }
        $out->print("\n--$boundary--\n");
    }
    elsif ($type =~ m{^message/}) {
        my @parts = @{ $self->{Parts} };
        if (@parts == 0) { $self->print_simple_body($out, $is_smtp) }
        elsif (@parts == 1) { $parts[0]->print($out) }
        else { Carp::croak "can't handle message with >1 part\n" }
    }
    else {
        $self->print_simple_body($out, $is_smtp);
    }
    1;
}

sub print_simple_body {
    my ($self, $out, $is_smtp) = @_;
    my $attrs = $self->{Attrs};
    $out = MIME::Lite::IO_Handle->wrap($out);
    my $encoding = uc($attrs->{'content-transfer-encoding'} // '');
    if (defined($self->{Data})) {
        local $_ = $encoding;
        if (/^BINARY$/) {
            $is_smtp and $self->{Data} =~ s/(?!\r)\n\z/\r/;
            $out->print($self->{Data});
        }
        elsif (/^8BIT$/) { $out->print(encode_8bit($self->{Data})) }
        elsif (/^7BIT$/) { $out->print(encode_7bit($self->{Data})) }
        elsif (/^QUOTED-PRINTABLE$/) {
            my ($untainted) = ($self->{Data} =~ m/\A(.*)\Z/s);
            while ($untainted =~ m{^(.*[\r\n]*)}smg) {
                my $line = $1;
                $out->print(encode_qp($line));
            }
        }
        elsif (/^BASE64/) { $out->print(encode_base64($self->{Data})) }
        else { Carp::croak "unsupported encoding: `$_'\n" }
    }
    elsif (defined($self->{Path}) || defined($self->{FH})) {
        my $DATA;
        if (defined($self->{Path})) {
            _refuse_pipe($self->{Path});
            open($DATA, '<', $self->{Path}) or Carp::croak "open $self->{Path}: $!\n";
        }
        else {
            $DATA = $self->{FH};
        }
        CORE::binmode($DATA) if $self->binmode;
        local $_ = $encoding;
        my $enc = $encoding;
        if ($enc =~ /^BINARY$/) {
            my $last = "";
            while (read($DATA, $_, 2048)) {
                $out->print($last) if length $last;
                $last = $_;
            }
            if (length $last) {
                $is_smtp and $last =~ s/(?!\r)\n\z/\r/;
                $out->print($last);
            }
        }
        elsif ($enc =~ /^8BIT$/) { $out->print(encode_8bit($_)) while (<$DATA>) }
        elsif ($enc =~ /^7BIT$/) { $out->print(encode_7bit($_)) while (<$DATA>) }
        elsif ($enc =~ /^QUOTED-PRINTABLE$/) { $out->print(encode_qp($_)) while (<$DATA>) }
        elsif ($enc =~ /^BASE64$/) { $out->print(encode_base64($_)) while (read($DATA, $_, 45)) }
        else { Carp::croak "unsupported encoding: `$enc'\n" }
        close $DATA if defined($self->{Path});
    }
    else {
        Carp::croak "no data in this part\n";
    }
    1;
}

sub print_header {
    my ($self, $out) = @_;
    $out = MIME::Lite::IO_Handle->wrap($out);
    $out->print($self->header_as_string);
    1;
}

sub as_string {
    my $self = shift;
    my $buf = "";
    my $io = MIME::Lite::IO_Scalar->wrap(\$buf);
    $self->print($io);
    return $buf;
}
{ no warnings 'once'; *stringify = \&as_string; *stringify_body = \&body_as_string; *stringify_header = \&header_as_string; }

sub body_as_string {
    my $self = shift;
    my $buf = "";
    my $io = MIME::Lite::IO_Scalar->wrap(\$buf);
    $self->print_body($io);
    return $buf;
}

sub fields_as_string {
    my ($self, $fields) = @_;
    my $out = "";
    foreach (@$fields) {
        my ($tag, $value) = @$_;
        next if ($value eq '');
        $tag =~ s/\b([a-z])/uc($1)/ge;
        $tag =~ s/^mime-/MIME-/i;
        $out .= "$tag: $value\n";
    }
    return $out;
}

sub header_as_string { my $self = shift; $self->fields_as_string($self->fields) }

sub send {
    my $self = shift;
    my $meth = shift;
    if (ref($self)) {
        my ($method, @args);
        if (@_) { $method = 'send_by_' . $meth; @args = @_ }
        else { $method = "send_by_$Sender"; @args = @{ $SenderArgs{$Sender} || [] } }
        $self->verify_data if $AUTO_VERIFY;
        Carp::croak "Unknown send method '$meth'" unless $self->can($method);
        return $self->$method(@args);
    }
    if (@_) {
        my @old = ($Sender, @{ $SenderArgs{$Sender} });
        $Sender = $meth;
        $SenderArgs{$Sender} = [@_];
        return @old;
    }
    Carp::croak "class method send must have HOW... arguments\n";
}

sub _unfold_stupid_params {
    my $self = shift;
    my %p;
    for (my $i = 0; $i < @_; $i++) {
        my $item = $_[$i];
        if (not ref $item) { $p{$item} = $_[++$i] }
        elsif (UNIVERSAL::isa($item, 'HASH')) { $p{$_} = $item->{$_} for keys %$item }
        elsif (UNIVERSAL::isa($item, 'ARRAY')) { for (my $j = 0; $j < @$item; $j += 2) { $p{ $item->[$j] } = $item->[$j + 1] } }
    }
    return %p;
}

sub _not_here { Carp::croak("MIME::Lite on the CPAN Bridge: send_by_$_[0] is not supported (the bridge sends by smtp: MIME::Lite->send('smtp', HOST, ...))") }
sub send_by_sendmail { _not_here('sendmail') }
sub send_by_sub { _not_here('sub') }
sub sendmail { Carp::croak("MIME::Lite on the CPAN Bridge: sendmail() is not supported (the bridge sends by smtp)") }

sub send_by_testfile {
    my $self = shift;
    my $filename = 'mailer.testfile';
    if (@_ == 1 and !ref $_[0]) {
        $filename = shift @_;
        Carp::croak "no filename given to send_by_testfile" unless $filename;
    }
    open my $file, '>>', $filename or Carp::croak "open $filename: $!\n";
    $self->print($file);
    close $file;
    return $self->{last_send_successful} = 1;
}

sub last_send_successful { my $self = shift; return $self->{last_send_successful} }

sub quiet {
    my $class = shift;
    $QUIET = shift if @_;
    $QUIET;
}

my @_mail_opts     = qw( Size Return Bits Transaction Envelope );
my @_recip_opts    = qw( SkipBad Notify );
my @_net_smtp_opts = qw( Hello LocalAddr LocalPort Timeout Port ExactAddresses Debug SSL );

sub send_by_smtp {
    my ($self, $hostname, %args) = @_;
    $self->{last_send_successful} = 0;
    my @hdr_to = extract_only_addrs(scalar $self->get('To'));
    if ($AUTO_CC) {
        foreach my $field (qw(Cc Bcc)) { push @hdr_to, extract_only_addrs($_) for $self->get($field) }
    }
    Carp::croak "send_by_smtp: nobody to send to for host '$hostname'?!\n" unless @hdr_to;
    $args{To} ||= \@hdr_to;
    $args{From} ||= extract_only_addrs(scalar $self->get('Return-Path'));
    $args{From} ||= extract_only_addrs(scalar $self->get('From'));
    for my $o (qw(Size Return Bits Transaction Envelope Notify LocalAddr LocalPort ExactAddresses Debug SSL)) {
        Carp::croak("MIME::Lite on the CPAN Bridge: the send_by_smtp option $o is not supported") if defined $args{$o};
    }
    my $to = ref $args{To} eq 'ARRAY' ? $args{To} : [$args{To}];
    my $auth = (defined $args{AuthUser} and defined $args{AuthPass} and !$args{NoAuth});
    return $self->_bridge_send($hostname, \%args, $args{From}, $to, $auth, 'send_by_smtp');
}

sub send_by_smtp_simple {
    my ($self, @args) = @_;
    $self->{last_send_successful} = 0;
    my ($from) = extract_only_addrs($self->get('From'));
    my $to = $self->get('To');
    defined($to) or Carp::croak "send_by_smtp: missing 'To:' address\n";
    my @to_all = extract_only_addrs($to);
    if ($AUTO_CC) {
        foreach my $field (qw(Cc Bcc)) {
            my $value = $self->get($field);
            push @to_all, extract_only_addrs($value) if defined($value);
        }
    }
    my $host = shift @args;
    my %args = @args;
    return $self->_bridge_send($host, \%args, $from, \@to_all, 0, 'send_by_smtp_simple');
}

# Net::SMTP's text of the last reply ($smtp->message): the lines without their codes
sub _message {
    my ($r) = @_;
    return '' unless defined $r;
    return join '', map { my $l = $_; $l =~ s/^\d{3}[- ]?//; $l =~ s/\r?\n\z/\n/; $l } split /(?<=\n)/, $r;
}

my %ERRNO_TEXT = (ECONNREFUSED => 'Connection refused', ETIMEDOUT => 'Connection timed out', EHOSTUNREACH => 'No route to host',
    ENETUNREACH => 'Network is unreachable', ECONNRESET => 'Connection reset by peer');

sub _bridge_send {
    my ($self, $host, $args, $from, $to, $auth, $how) = @_;
    my $out = CPANBridge::MailSpool->new($from, $to);
    $out->{derive_id} = !defined $self->get('message-id');
    my $ok = eval {
        $self->print_for_smtp($out);
        $out->flush;
        my %p = (message => $out->{message}, host => "$host", port => 0 + ($args->{Port} || 25), timeout => 0 + ($args->{Timeout} || 120),
            client => '' . ($args->{Hello} || 'localhost.localdomain'), tls => 'never',
            skip_bad => ($args->{SkipBad} ? JSON::PP::true() : JSON::PP::false()), auth => undef);
        $p{resend_in_doubt} = JSON::PP::true() if $ENV{CPAN_BRIDGE_MAIL_RESEND_IN_DOUBT};
        if ($auth) { $p{auth} = { method => 'AUTO', user => "$args->{AuthUser}" }; $p{password} = "$args->{AuthPass}" }
        CPANBridge::call('mail', 'send', \%p);
        1;
    };
    my $e = $@;
    $out->discard;
    return $self->{last_send_successful} = 1 if $ok;
    my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
    die $e unless $code eq 'mail_error' or $code eq 'in_doubt';
    my ($stage, $kind) = ($e->{stage} || '', $e->{kind} || '');
    my $msg = _message($e->{response});
    if ($code eq 'in_doubt') {
        Carp::croak("Net::CMD (Net::SMTP) DATAEND command failed.\nLast server message was:" . CPANBridge::Shim::error_text($e) . "\n");
    }
    if ($kind eq 'refused' or $kind eq 'timeout' or $stage eq 'greeting' or ($stage eq 'ehlo' and $kind ne 'reply')) {
        my $t = CPANBridge::Shim::error_text($e);
        my ($errno) = $t =~ /\b(E[A-Z]+)\b/;
        local $! = 0;
        my $why = $errno && $ERRNO_TEXT{$errno} ? $ERRNO_TEXT{$errno} : '';
        Carp::croak(($how eq 'send_by_smtp' ? "SMTP Failed to connect to mail server: " : "Failed to connect to mail server: ") . "$why\n");
    }
    if ($stage eq 'auth' or $kind eq 'auth_unoffered') {
        die "SMTP auth() command not supported on $host\n" if $kind eq 'auth_unoffered';
        die "SMTP auth() command failed: \n" . $msg . "\n";
    }
    if ($how eq 'send_by_smtp_simple') {
        my %w = (mail => 'MAIL', rcpt => 'RCPT', data => 'DATA');
        Carp::croak("SMTP $w{$stage} command failed: \n$msg\n") if $w{$stage};
    }
    die "SMTP mail() command failed: \n$msg\n" if $stage eq 'mail' or $stage eq 'ehlo';
    die "SMTP recipient() command failed: \n$msg\n" if $stage eq 'rcpt';
    die "SMTP data() command failed: \n$msg\n" if $stage eq 'data';
    Carp::croak("Net::CMD (Net::SMTP) DATAEND command failed.\n" . "Last server message was:" . $msg
        . "This probably represents a problem with newline encoding ");
}

package MIME::Lite::IO_Handle;

sub wrap {
    my ($class, $fh) = @_;
    no strict 'refs';
    $fh or $fh = select;
    ref($fh) or $fh = \*$fh;
    return $fh if (ref($fh) and (ref($fh) ne 'GLOB'));
    bless \$fh, $class;
}

sub print { my $self = shift; print {$$self} @_ }

package MIME::Lite::IO_Scalar;

sub wrap {
    my ($class, $scalarref) = @_;
    defined($scalarref) or $scalarref = \"";
    bless $scalarref, $class;
}

sub print { ${ $_[0] } .= join('', @_[1 .. $#_]); 1 }

package MIME::Lite::IO_ScalarArray;

sub wrap {
    my ($class, $arrayref) = @_;
    defined($arrayref) or $arrayref = [];
    bless $arrayref, $class;
}

sub print { my $self = shift; push @$self, @_; 1 }

1;
