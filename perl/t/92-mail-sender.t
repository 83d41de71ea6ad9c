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
my @g = split /\n/, $golden // '';
my @b = split /\n/, $bridge;
is(scalar @b, scalar @g, 'as many transcript lines as the real module');
my @diff = grep { ($g[$_] // '') ne ($b[$_] // '') } 0 .. ($#g > $#b ? $#g : $#b);
is(scalar @diff, 0, 'every line of the transcript equal (codes, errors, envelopes, message bytes)')
    or diag(join "\n", map { "line $_\nreal:   " . ($g[$_] // '(none)') . "\nbridge: " . ($b[$_] // '(none)') } @diff[0 .. ($#diff < 8 ? $#diff : 7)]);
my @lines = grep { /^[A-Za-z].*: / && !/^(?:stderr|  skipped)/ } split /\n/, $bridge;
cmp_ok(scalar(grep { /^--- / } split /\n/, $bridge), '>=', 10, 'the sinks received the messages');
ok(BridgeTest::read_file(BridgeTest::home() . '/journal.sqlite') !~ /Otter-Smtp-Secret-4471/, 'the SMTP password is not in the journal') if -e BridgeTest::home() . '/journal.sqlite';
done_testing;
