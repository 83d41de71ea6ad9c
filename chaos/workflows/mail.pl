#!/usr/bin/perl
# Mailing a report, as the seed's last step does: Mail::Sender OpenMultipart with a body and a
# 3 MiB attachment (streamed to the daemon in several writes), Close; then a MailMsg notice. Date,
# boundary and Message-ID are fixed, so every message is the same bytes in every run and the sink's
# files (named by their digest) are golden. A message in doubt is reported (exit 3), never resent.
# Usage: mail.pl PORT ATTACHMENT
use strict;
use warnings;
use FindBin;
use Mail::Sender;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('Mail/Sender.pm');

my ($port, $file) = @ARGV;
sub checked {
    my ($what, $r) = @_;
    return $r if ref $r;
    die "$what failed: $r $Mail::Sender::Error (in doubt)\n" if $Mail::Sender::Error =~ /in doubt/i;
    die "$what failed: $r $Mail::Sender::Error\n";
}
my $sender = Mail::Sender->new({ smtp => '127.0.0.1', port => $port, from => 'Nightly Report <report@example.test>', tls_allowed => 0,
    headers => { Date => 'Tue, 1 Dec 2026 06:00:00 +0000' }, boundary => 'chaos-report-boundary' });
ref $sender or die "new: $Mail::Sender::Error\n";
chaos_step('mail report', sub {
    checked('OpenMultipart', $sender->OpenMultipart({ to => 'Team <team@example.test>', cc => 'boss@example.test', subject => 'Nightly report',
        messageid => '<chaos-report-1@example.test>' }));
    checked('Body', $sender->Body({ msg => "Good morning,\n\nthe nightly report is attached.\n" }));
    checked('Attach', $sender->Attach({ description => 'report', ctype => 'application/octet-stream', encoding => 'Base64', file => $file }));
    checked('Close', $sender->Close);
});
print "report mailed\n";
chaos_step('mail notice', sub {
    checked('MailMsg', $sender->MailMsg({ to => 'ops@example.test', subject => 'Nightly report sent', msg => "The report went out.\n",
        messageid => '<chaos-notice-1@example.test>' }));
});
print "notice mailed\n";
# a daemon killed right after its last reply writes its crash marker a moment later: the harness
# looks for it when this script ends
select(undef, undef, undef, 0.3);
