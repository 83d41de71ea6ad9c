#!/usr/bin/perl
# MIME::Lite on the bridge against the real MIME::Lite 3.033 (Debian libmime-lite-perl, run with
# the shims out of @INC) on the same SMTP sinks: as_string, what dies and with which text for every
# job and fault of mail/mimelite.pl, the envelopes, and the message bytes apart from Date and
# the time-based boundaries (the bridge adds a Message-ID derived from the request, removed here).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use MIME::Lite 3.033; use Net::SMTP; print 1;\n"))[0];
plan skip_all => 'the real MIME::Lite 3.033 is not installed (libmime-lite-perl)' unless $real_ok;

my $dir = "$FindBin::Bin/mail";
my $repo = BridgeTest::repo();
my $real = MailSink::transcript("$dir/mimelite.pl", $dir, $repo, { PERL5LIB => undef, PERL5OPT => undef });
my $bridge = MailSink::transcript("$dir/mimelite.pl", $dir, $repo, {});
my $received = MailSink::compare($real, $bridge, 'as_string, die texts, envelopes, message bytes');
cmp_ok($received, '>=', 6, 'the sinks received the messages');
like($bridge, qr/^multipart: ok$/m, 'the multipart report was sent');
done_testing;
