#!/usr/bin/perl
# The seed's business process: database query -> workbook with formats over several worksheets
# -> close -> upload by SFTP -> "Email Report": the workbook mailed with Mail::Sender's MailFile.
# Usage: seed.pl DB_FILE OUT_XLSX SMTP_PORT [SFTP_PORT SSHD_DIR]
use strict;
use warnings;
use FindBin;
use DBI;
use Excel::Writer::XLSX;
use Net::SFTP::Foreign;
use Mail::Sender;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm', 'Excel/Writer/XLSX.pm', 'Net/SFTP/Foreign.pm', 'Mail/Sender.pm');

my ($db, $out, $smtp_port, $port, $sd) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 1 })
    or die "connect: $DBI::errstr\n";

my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
my $title = $wb->add_format(bold => 1, size => 14, align => 'center');
my $hdr   = $wb->add_format(bold => 1, bg_color => '#D9E1F2', border => 1);
my $money = $wb->add_format(num_format => '#,##0.00');
my $int   = $wb->add_format(num_format => '0');
my $warn  = $wb->add_format(italic => 1, color => 'red');

# Sheet 1: summary by region
my $sum = $wb->add_worksheet('Summary');
$sum->set_column('A:A', 18);
$sum->set_column('B:C', 14);
$sum->merge_range('A1:C1', 'Orders by region', $title);
$sum->write_row(1, 0, ['Region', 'Orders', 'Amount'], $hdr);
my $by = $dbh->selectall_arrayref(
    'SELECT c.region, COUNT(*), SUM(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.region ORDER BY c.region');
my $r = 2;
for my $row (@$by) {
    $sum->write_string($r, 0, $row->[0]);
    $sum->write_number($r, 1, $row->[1], $int);
    $sum->write_number($r, 2, $row->[2], $money);
    $r++;
}
$sum->write($r, 0, 'Total', $hdr);
$sum->write_formula($r, 2, "=SUM(C3:C$r)", $money);

# Sheet 2: every order, from a cursor
my $det = $wb->add_worksheet('Orders');
$det->set_column(0, 0, 8);
$det->set_column(1, 2, 20);
$det->freeze_panes(1, 0);
$det->write_row(0, 0, ['Id', 'Customer', 'Region', 'Day', 'Amount', 'Status'], $hdr);
my $sth = $dbh->prepare(
    'SELECT o.id, c.name, c.region, o.day, o.amount, o.status FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.amount >= ? ORDER BY o.id');
$sth->execute(0);
my ($n, $total, $late) = (0, 0, 0);
while (my $row = $sth->fetchrow_arrayref) {
    $n++;
    $det->write_number($n, 0, $row->[0]);
    $det->write_string($n, 1, $row->[1]);
    $det->write_string($n, 2, $row->[2]);
    $det->write_string($n, 3, $row->[3]);
    $det->write_number($n, 4, $row->[4], $money);
    $det->write_string($n, 5, $row->[5], $row->[5] eq 'late' ? $warn : undef);
    $total += $row->[4];
    $late++ if $row->[5] eq 'late';
}
$sth->finish;

# Sheet 3: customers
my $cus = $wb->add_worksheet('Customers');
$cus->write_row(0, 0, ['Id', 'Name', 'Region'], $hdr);
my $all = $dbh->selectall_arrayref('SELECT id, name, region FROM customers ORDER BY id');
$cus->write_col(1, 0, [map { $_->[0] } @$all]);
$cus->write_col(1, 1, [map { $_->[1] } @$all]);
$cus->write_col(1, 2, [map { $_->[2] } @$all]);

$wb->close or die "workbook close failed\n";
printf "regions=%d orders=%d customers=%d late=%d total=%.2f\n", scalar(@$by), $n, scalar(@$all), $late, $total;

# The upload: the report to the partner's SFTP server, atomically, then checked there
if (defined $port) {
    my $sftp = Net::SFTP::Foreign->new('127.0.0.1', port => $port, user => ($> == 0 ? 'nobody' : scalar getpwuid($>)),
        more => [-i => "$sd/user_key", -o => "UserKnownHostsFile=$sd/known_hosts", -o => 'BatchMode=yes']);
    $sftp->die_on_error('sftp connect');
    $sftp->mkpath('outbound') or $sftp->die_on_error('mkpath');
    $sftp->put($out, 'outbound/report.xlsx', atomic => 1, copy_time => 0) or $sftp->die_on_error('upload');
    my $a = $sftp->stat('outbound/report.xlsx') or $sftp->die_on_error('stat');
    my $same = ($sftp->get_content('outbound/report.xlsx') // '') eq do { open my $f, '<:raw', $out or die; local $/; <$f> };
    print 'uploaded: ', ($a->size == -s $out && $same ? 'identical' : 'DIFFERENT'), "\n";
    $sftp->disconnect;
}
$dbh->disconnect;

# Email Report
chaos_step('mail report', sub {
    my $sender = Mail::Sender->new({ smtp => '127.0.0.1', port => $smtp_port, from => 'reports@example.test', tls_allowed => 0 });
    ref $sender or die "Mail::Sender: $Mail::Sender::Error\n";
    my $r = $sender->MailFile({ to => 'sales@example.test', subject => 'Sales report', msg => "The sales report is attached.\n", file => $out });
    ref $r or die "MailFile failed: $r $Mail::Sender::Error\n";
});
print "report mailed\n";
# a daemon killed right after its last reply writes its crash marker a moment later: the harness
# looks for it when this script ends
select(undef, undef, undef, 0.3);
exit 0;
