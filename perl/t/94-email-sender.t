#!/usr/bin/perl
# Email::Sender::Simple and Email::Sender::Transport::SMTP on the bridge against the real Email::Sender 2.600 (Debian libemail-sender-perl, run with
# the shims out of @INC) on the same SMTP sinks: as_string, what dies and with which text for every
# job and fault of mail/emailsender.pl, the envelopes, and the message bytes apart from Date and
# the time-based boundaries (the bridge adds no Message-ID: the script sets one).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Email::Sender::Simple 2.600; use Email::Sender::Transport::SMTP; use Email::Simple; print 1;\n"))[0];
plan skip_all => 'the real Email::Sender 2.600 or Email::Simple is not installed (libemail-sender-perl)' unless $real_ok;

my $dir = "$FindBin::Bin/mail";
my $repo = BridgeTest::repo();
my $real = MailSink::transcript("$dir/emailsender.pl", $dir, $repo, { PERL5LIB => undef, PERL5OPT => undef });
my $bridge = MailSink::transcript("$dir/emailsender.pl", $dir, $repo, {});
my $received = MailSink::compare($real, $bridge, 'results, failure classes, codes and messages, envelopes, message bytes');
cmp_ok($received, '>=', 6, 'the sinks received the messages');
like($bridge, qr/^plain: success/m, "the plain message was sent");
like($bridge, qr/^mime multipart: success/m, 'an Email::MIME multipart message was sent (libemail-mime-perl)');
done_testing;
