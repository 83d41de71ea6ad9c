#!/usr/bin/perl
# MIME::Lite's typical jobs and faults against the SMTP sinks whose ports are given; run once with
# the real MIME::Lite 3.033 and once on the bridge (93-mime-lite.t compares).
use strict;
use warnings;
use MIME::Lite;
my %port = map { split /=/, $_, 2 } @ARGV;
chdir $port{dir} or die "$port{dir}: $!";
$| = 1;
sub try_send {
    my ($what, $code) = @_;
    my $ok = eval { $code->(); 1 };
    (my $e = $@) =~ s/\n/\\n/g;
    $e =~ s/ at \S+ line \d+\.(\\n)?$/ at (script)/;
    print "$what: ", ($ok ? 'ok' : "died: $e"), "\n";
}
sub show { (my $s = shift) =~ s/_----------=_\d+/_----------=_(time)/g; $s =~ s/^Date: .*$/Date: (date)/mg; print $s, "\n=====\n" }

my $msg = MIME::Lite->new(From => 'Report Bot <bot@example.test>', To => 'a@example.test, B <b@example.test>', Cc => 'c@example.test',
    Bcc => 'hidden@example.test', Subject => 'Daily report', Type => 'multipart/mixed');
$msg->attach(Type => 'TEXT', Data => "Hello,\n.a line with a dot\nthe report is attached.\n");
$msg->attach(Type => 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Path => 'report.xlsx', Filename => 'report.xlsx', Disposition => 'attachment');
$msg->attach(Type => 'text/plain', Path => 'notes.txt', Encoding => 'quoted-printable');
show($msg->as_string);
try_send('multipart', sub { $msg->send('smtp', '127.0.0.1', Port => $port{main}, Timeout => 30) });
print "last_send_successful: ", ($msg->last_send_successful ? 1 : 0), "\n";

my $single = MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Subject => 'single', Data => "one line\n", Date => 'Tue, 1 Dec 2026 06:00:00 +0000');
$single->attach(Type => 'image/gif', Data => "GIF89a\x00\x01\x02", Filename => 'x.gif');
$single->add('X-Job' => 'nightly');
$single->add('Message-ID' => '<ml-fixed@example.test>');
$single->attr('content-type.boundary' => 'FIXED-BOUNDARY');    # Date, Message-ID and boundary set: byte-identical
$single->attr('content-type.charset' => 'UTF-8');
$single->replace('Subject' => 'single, replaced');
show($single->as_string);
try_send('single', sub { $single->send_by_smtp('127.0.0.1', Port => $port{main}) });
my $html = MIME::Lite->build(From => 'bot@example.test', To => 'a@example.test', Subject => 'html', Type => 'text/html', Encoding => 'base64', Data => "<p>x</p>\n" x 30);
try_send('html', sub { $html->send('smtp', '127.0.0.1', Port => $port{main}) });
my @old = MIME::Lite->send('smtp', '127.0.0.1', Port => $port{main}, Timeout => 20);
print "class send returned: $old[0]\n";
try_send('class default', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Subject => 'via default', Data => "x\n")->send });
try_send('rcpt 550', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test, bad@example.test', Subject => 'x', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{main}) });
try_send('rcpt 450', sub { MIME::Lite->new(From => 'bot@example.test', To => 'later@example.test', Subject => 'x', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{main}) });
try_send('SkipBad', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test, bad@example.test', Subject => 'skip', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{main}, SkipBad => 1) });
try_send('refused', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{closed}) });
try_send('nobody', sub { MIME::Lite->new(From => 'bot@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{main}) });
try_send('auth', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Subject => 'auth', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{auth}, AuthUser => 'alice', AuthPass => 'Otter-Smtp-Secret-4471') });
try_send('auth wrong', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{auth}, AuthUser => 'alice', AuthPass => 'wrong') });
try_send('auth missing', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{auth}) });
try_send('data 554', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{reject}) });
try_send('mail 553', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Data => "x\n")->send_by_smtp('127.0.0.1', Port => $port{mail553}) });
try_send('missing file', sub { MIME::Lite->new(From => 'bot@example.test', To => 'a@example.test', Type => 'BINARY', Path => 'nope.bin')->send_by_smtp('127.0.0.1', Port => $port{main}) });
try_send('Data and Path', sub { MIME::Lite->new(Data => 'x', Path => 'report.xlsx') });
