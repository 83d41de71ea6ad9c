#!/usr/bin/perl
# Mail as batch jobs send it, through unchanged MIME::Lite code: N reports, each a text part and
# an attachment (ATTACH_KIB of binary), sent by SMTP to the sink. Prints "BENCH {json}".
#   mail.pl PORT N ATTACHMENT_FILE
use strict;
use warnings;
use Time::HiRes ();
use MIME::Lite;

my ($port, $n, $file) = @ARGV;
my $t0 = Time::HiRes::time();
for my $i (1 .. $n) {
    my $msg = MIME::Lite->new(From => 'Report Bot <bot@example.test>', To => 'ops@example.test', Subject => "Report $i", Type => 'multipart/mixed');
    $msg->attach(Type => 'TEXT', Data => "Hello,\nreport $i is attached.\n");
    $msg->attach(Type => 'application/octet-stream', Path => $file, Filename => 'report.bin', Disposition => 'attachment');
    $msg->send('smtp', '127.0.0.1', Port => $port, Timeout => 30) or die "send $i failed\n";
}
my $t1 = Time::HiRes::time();
printf "BENCH {\"send_ms\":%.3f,\"messages\":%d}\n", ($t1 - $t0) * 1000, $n;
