package Email::Sender::Simple;
# Email::Sender::Simple 2.600 on the CPAN Bridge: sendmail and try_to_sendmail (exported on
# request, as Sub::Exporter does), the envelope from the arguments or the To/Cc/From headers, the
# default transport from EMAIL_SENDER_TRANSPORT (SMTP only). The real default transport is
# Sendmail when a sendmail binary exists: that one is not the bridge's (it dies, saying so);
# without one it is SMTP on localhost, as here.
use strict;
use warnings;
use Carp ();
use Email::Sender::Failure ();
use Email::Sender::Transport ();
our $VERSION = '2.600';

sub import {
    my ($class, @names) = @_;
    my $caller = caller;
    no strict 'refs';
    for my $n (@names) {
        next if ref $n;
        my $name = $n =~ /^-/ ? next : $n;
        if ($name eq 'sendmail') { *{"${caller}::sendmail"} = sub { $class->send(@_) } }
        elsif ($name eq 'try_to_sendmail') { *{"${caller}::try_to_sendmail"} = sub { $class->try_to_send(@_) } }
        else { Carp::croak(qq{"$name" is not exported by the $class module}) }
    }
}

{
    my ($DEFAULT_TRANSPORT, $DEFAULT_FROM_ENV);

    sub transport_from_env {
        my ($class, $env_base) = @_;
        $env_base ||= 'EMAIL_SENDER_TRANSPORT';
        my $tc = $ENV{$env_base};
        return unless defined $tc and length $tc;
        my %arg;
        for my $key (grep { /^\Q$env_base\E_[_0-9A-Za-z]+$/ } keys %ENV) {
            (my $new_key = $key) =~ s/^\Q$env_base\E_//;
            $arg{lc $new_key} = $ENV{$key};
        }
        $tc = "Email::Sender::Transport::$tc" if $tc !~ s/^=// and $tc !~ m{:};
        Carp::croak("Email::Sender on the CPAN Bridge: the transport $tc is not supported (Email::Sender::Transport::SMTP is)")
            unless $tc eq 'Email::Sender::Transport::SMTP';
        require Email::Sender::Transport::SMTP;
        return Email::Sender::Transport::SMTP->new(\%arg);
    }

    sub default_transport {
        return $DEFAULT_TRANSPORT if $DEFAULT_TRANSPORT;
        my ($class) = @_;
        my $t = $class->transport_from_env;
        if ($t) { $DEFAULT_FROM_ENV = 1; $DEFAULT_TRANSPORT = $t }
        else { $DEFAULT_FROM_ENV = 0; $DEFAULT_TRANSPORT = $class->build_default_transport }
        return $DEFAULT_TRANSPORT;
    }

    sub _default_was_from_env { $_[0]->default_transport; $DEFAULT_FROM_ENV }

    sub reset_default_transport { undef $DEFAULT_TRANSPORT; undef $DEFAULT_FROM_ENV }
}

sub build_default_transport {
    for my $p ('/usr/sbin/sendmail', '/usr/lib/sendmail', map { "$_/sendmail" } split /:/, ($ENV{PATH} || '')) {
        next unless -x $p;
        Carp::croak("Email::Sender on the CPAN Bridge: the default transport (Sendmail, $p) is not supported: pass transport => Email::Sender::Transport::SMTP->new(...) or set EMAIL_SENDER_TRANSPORT=SMTP");
    }
    require Email::Sender::Transport::SMTP;
    return Email::Sender::Transport::SMTP->new;
}

sub _addresses {
    my @out;
    for my $v (@_) {
        next unless defined $v;
        for my $a ($v =~ /((?:[^",]|"[^"]*")+)/g) {
            $a =~ s/^\s+|\s+$//g;
            next unless length $a;
            push @out, $a =~ /<([^>]*)>/ ? $1 : $a;
        }
    }
    return @out;
}

sub send {
    my ($class, $message, $arg) = @_;
    $arg ||= {};
    my $email = Email::Sender::Transport::_email($message);
    my $transport = $class->default_transport;
    if ($arg->{transport}) {
        $arg = {%$arg};
        $transport = delete $arg->{transport} unless $class->_default_was_from_env;
    }
    Carp::confess("transport $transport not safe for use with Email::Sender::Simple") unless $transport->is_simple;
    my $to = $arg->{to};
    $to = [$to] if defined $to and !ref $to;
    $to = [_addresses(map { $email->header($_) } qw(to cc))] unless $to && @$to;
    my $from = $arg->{from};
    ($from) = _addresses(scalar $email->header('from')) unless defined $from;
    Email::Sender::Failure::Permanent->throw("no recipients") if !@$to;
    Email::Sender::Failure::Permanent->throw("no sender") if !defined $from;
    return $transport->send($email, { to => $to, from => $from });
}

sub try_to_send {
    my ($class, $email, $arg) = @_;
    my $r = eval { $class->send($email, $arg) };
    return $r if $r;
    my $error = $@ || 'unknown error';
    return if eval { $error->isa('Email::Sender::Failure') };
    die $error;
}

1;
