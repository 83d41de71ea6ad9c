#!/usr/bin/perl
# Mail::Sender on the bridge against the real Mail::Sender 0.904 on the same SMTP sinks: the same
# return codes, $Mail::Sender::Error and {error_msg} for every job and fault of mail/sender.pl,
# the same envelopes, and the same message bytes apart from Date, Message-ID and the time-based
# boundary (byte-identical where the script sets them). Mail::Sender is not packaged by Debian:
# the real module's transcript is kept in mail/sender.golden; with MAIL_SENDER_REAL_LIB pointing
# at its lib/ (Perl-Email-Project/Mail-Sender), it is run again and compared live.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use MailSink;
BEGIN { BridgeTest::need_daemon() }

my $dir = "$FindBin::Bin/mail";
my $repo = BridgeTest::repo();

sub transcript { MailSink::transcript("$dir/sender.pl", $dir, $repo, @_) }

sub slurp { open my $f, '<:raw', $_[0] or return undef; local $/; <$f> }

my $golden = slurp("$dir/sender.golden");
if (my $real = $ENV{MAIL_SENDER_REAL_LIB}) {
    my $t = transcript({ PERL5LIB => $real, PERL5OPT => undef });
    if ($ENV{MAIL_SENDER_WRITE_GOLDEN}) { open my $g, '>:raw', "$dir/sender.golden" or die; print $g $t; close $g; $golden = $t }
    is($t, $golden, 'the real Mail::Sender gives the kept transcript');
}
ok(defined $golden, 'mail/sender.golden is there');
my $bridge = transcript({});
my $received = MailSink::compare($golden // '', $bridge, 'codes, errors, debug logs, envelopes, message bytes');
cmp_ok($received, '>=', 10, 'the sinks received the messages');
ok(BridgeTest::read_file(BridgeTest::home() . '/journal.sqlite') !~ /Otter-Smtp-Secret-4471/, 'the SMTP password is not in the journal') if -e BridgeTest::home() . '/journal.sqlite';
done_testing;
