package Email::Sender::Transport::SMTP;
# Email::Sender::Transport::SMTP 2.600 on the CPAN Bridge: the same arguments and failures
# (messages, codes, Permanent/Temporary by the reply's class, Multi when several recipients are
# refused, partial success with allow_partial_success), but the SMTP dialog is the daemon's mail
# module's: every recipient is tried before DATA, as here, and the message is sent exactly once
# across daemon crashes. Not supported (they die): ssl => 'ssl' (TLS from the first byte),
# localaddr, localport, debug, several hosts.
use strict;
use warnings;
use Carp ();
use JSON::PP ();
use CPANBridge ();
use CPANBridge::MailSpool ();
use CPANBridge::Shim ();
use Email::Sender::Failure ();
our $VERSION = '2.600';
our @ISA = ('Email::Sender::Transport');
require Email::Sender::Transport;

sub new {
    my ($class, @args) = @_;
    my %a = @args == 1 && ref $args[0] eq 'HASH' ? %{ $args[0] } : @args;
    if (exists $a{host}) {
        Carp::croak("can't pass both host and hosts to constructor") if exists $a{hosts};
        $a{hosts} = [delete $a{host}];
    }
    $a{hosts} ||= ['localhost'];
    die "invalid hosts in Email::Sender::Transport::SMTP constructor"
        unless ref $a{hosts} eq 'ARRAY' && (grep { defined && length } @{ $a{hosts} }) > 0;
    my $self = bless { ssl => 0, ssl_options => {}, timeout => 120, allow_partial_success => 0, debug => 0, %a }, $class;
    Carp::croak("do not pass port number to SMTP transport in host, use port parameter") if grep { /:/ } $self->hosts;
    my $ssl = $self->{ssl} ? lc $self->{ssl} : '';
    $self->{_security} = $ssl eq '' ? '' : $ssl eq 'starttls' ? 'starttls' : $ssl eq 'maybestarttls' ? 'maybestarttls' : 'ssl';
    for my $o (qw(localaddr localport)) {
        Carp::croak("Email::Sender::Transport::SMTP on the CPAN Bridge: $o is not supported") if defined $self->{$o};
    }
    Carp::croak("Email::Sender::Transport::SMTP on the CPAN Bridge: debug is not supported (the dialog is the daemon's)") if $self->{debug};
    Carp::croak("Email::Sender::Transport::SMTP on the CPAN Bridge: ssl => '$self->{ssl}' (TLS from the first byte) is not supported; use ssl => 'starttls' or 'maybestarttls'")
        if $self->{_security} eq 'ssl';
    Carp::croak("Email::Sender::Transport::SMTP on the CPAN Bridge: several hosts are not supported") if @{ $self->{hosts} } > 1;
    Carp::croak("Email::Sender::Transport::SMTP on the CPAN Bridge: ssl_options are not supported (the certificate is checked against the system's CAs)")
        if ref $self->{ssl_options} eq 'HASH' and %{ $self->{ssl_options} };
    $self->{port} ||= $self->{_security} eq 'starttls' ? 587 : 25;
    return $self;
}

sub hosts { @{ $_[0]{hosts} } }
sub host { $_[0]{hosts}[0] }
for my $f (qw(ssl ssl_options port timeout sasl_username sasl_password allow_partial_success helo localaddr localport debug)) {
    no strict 'refs';
    *$f = sub { $_[0]{$f} };
}

# Net::SMTP's message(): the reply's lines without their codes
sub _message {
    my ($r) = @_;
    return undef unless defined $r and length $r;
    return join '', map { my $l = $_; $l =~ s/^\d{3}[- ]?//; $l =~ s/\r?\n\z/\n/; $l } split /(?<=\n)/, $r;
}

sub _failure {
    my ($error, $response, @rest) = @_;
    my ($code, $message);
    if (defined $response) {
        ($code) = $response =~ /^(\d{3})/;
        $message = _message($response);
        $message = !defined $message ? "(no SMTP error message)" : !length $message ? "(empty SMTP error message)" : $message;
        $message = defined $error && length $error ? "$error: $message" : $message;
    }
    else {
        $message = defined $error && length $error ? $error : '(no error given)';
    }
    my $class = !$code ? 'Email::Sender::Failure' : $code =~ /^4/ ? 'Email::Sender::Failure::Temporary'
        : $code =~ /^5/ ? 'Email::Sender::Failure::Permanent' : 'Email::Sender::Failure';
    return $class->new({ message => $message, code => $code, @rest });
}

sub _quoteaddr {
    my $addr = shift;
    my @localparts = split /\@/, $addr;
    my $domain = pop @localparts;
    my $localpart = join q{@}, @localparts;
    return $addr unless $localpart =~ /[\x00-\x1F\x7F<>\(\)\[\]\\,;:@"]/ or $localpart =~ /^\./ or $localpart =~ /\.$/;
    return join q{@}, qq("$localpart"), $domain;
}

sub send_email {
    my ($self, $email, $env) = @_;
    Email::Sender::Failure->throw("no valid addresses in recipient list") unless my @to = grep { defined and length } @{ $env->{to} };
    if (defined $self->{sasl_username} and length $self->{sasl_username} and !defined $self->{sasl_password}) {
        die _failure("sasl_username but no sasl_password");
    }
    my $spool = CPANBridge::MailSpool->new(_quoteaddr($env->{from}), [map { _quoteaddr($_) } @to]);
    my @id = $email->header('Message-ID');
    $spool->{derive_id} = !@id;    # one derived from the request when the message has none
    my $r = eval {
        $spool->print($email->as_string);
        $spool->flush;
        my %p = (message => $spool->{message}, host => $self->host, port => 0 + $self->{port}, timeout => 0 + $self->{timeout},
            client => (defined $self->{helo} ? "$self->{helo}" : 'localhost.localdomain'),
            tls => ($self->{_security} eq 'starttls' ? 'required' : $self->{_security} eq 'maybestarttls' ? 'allowed' : 'never'),
            tls_verify => JSON::PP::true(),    # IO::Socket::SSL's default: the certificate is checked
            skip_bad => ($self->{allow_partial_success} ? JSON::PP::true() : JSON::PP::false()), try_all => JSON::PP::true(), auth => undef);
        $p{resend_in_doubt} = JSON::PP::true() if $ENV{CPAN_BRIDGE_MAIL_RESEND_IN_DOUBT};
        if (defined $self->{sasl_username} and length $self->{sasl_username}) {
            $p{auth} = { method => 'AUTO', user => "$self->{sasl_username}" };
            $p{password} = "$self->{sasl_password}";
        }
        CPANBridge::call('mail', 'send', \%p);
    };
    my $e = $@;
    $spool->discard;
    if ($r) {
        my $message = _message($r->{response});
        my @failures = map { _failure(undef, $_->{response}, recipients => [$_->{address}]) } @{ $r->{rejected} || [] };
        return Email::Sender::Success->new(message => $message) unless @failures;
        return Email::Sender::Success::Partial->new(message => $message,
            failure => Email::Sender::Failure::Multi->new({ message => 'some recipients were rejected during RCPT', failures => \@failures }));
    }
    my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
    die $e unless $code eq 'mail_error' or $code eq 'in_doubt';
    my ($stage, $kind, $resp) = ($e->{stage} || '', $e->{kind} || '', $e->{response});
    $resp = undef unless defined $resp and length $resp;
    if ($code eq 'in_doubt') { die _failure('error at after DATA: ' . CPANBridge::Shim::error_text($e)) }
    if ($kind eq 'refused' or $kind eq 'timeout' or $stage eq 'greeting' or $stage eq 'ehlo') {
        die _failure(sprintf "unable to establish SMTP connection to (%s) port %s", join(q{, }, $self->hosts), $self->{port});
    }
    if ($kind eq 'tls_unsupported' or $stage eq 'starttls') { die _failure("can't STARTTLS: " . (defined $resp ? _message($resp) : '')) }
    if ($stage eq 'auth') { die _failure('failed AUTH', $resp || "503 authentication not offered\n") }
    if ($kind eq 'auth_unoffered') { die _failure('failed AUTH', "500 Command unknown: 'AUTH'\n") }
    if ($stage eq 'mail') { die _failure("$env->{from} failed after MAIL FROM", $resp) }
    if ($stage eq 'rcpt') {
        my @failures = map { _failure(undef, $_->{response}, recipients => [$_->{address}]) } @{ $e->{rejected} || [] };
        @failures = (_failure(undef, $resp, recipients => [$e->{address} // ()])) unless @failures;
        die $failures[0] if @failures == 1;
        my $all = $kind eq 'all_rejected' || @failures == @to;
        die Email::Sender::Failure::Multi->new({ message => sprintf('%s recipients were rejected during RCPT', $all ? 'all' : 'some'), failures => \@failures });
    }
    if ($stage eq 'data') { die _failure('error at DATA start', $resp) }
    die _failure('error at after DATA', $resp);
}

sub send {
    my ($self, $message, $env) = @_;
    my $email = Email::Sender::Transport::_email($message);
    $env = { %{ $env || {} } };
    $env->{to} = [grep { defined } (ref $env->{to} ? @{ $env->{to} } : $env->{to})];
    my $r = eval { $self->send_email($email, $env) };
    if (my $err = $@) {
        if (eval { $err->isa('Email::Sender::Failure') } and !(my @tmp = $err->recipients)) {
            $err->_set_recipients([@{ $env->{to} }]);
        }
        die $err;
    }
    return $r;
}

1;
