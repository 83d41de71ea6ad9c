package BridgeTest::HideDBI;
# Loaded in every child perl of the tests (PERL5OPT=-MBridgeTest::HideDBI):
# DBI/DBD files may only come from perl/lib or perl/compat, never from the
# system's libdbi-perl.
use strict;
my ($LIB, $COMPAT);
BEGIN {
    (my $d = $INC{'BridgeTest/HideDBI.pm'} || __FILE__) =~ s{/t/lib/BridgeTest/HideDBI\.pm$}{};
    ($LIB, $COMPAT) = ("$d/lib", "$d/compat");
}
unshift @INC, sub {
    my (undef, $file) = @_;
    return unless $file =~ m{^(?:DBI|DBD|Crypt/CBC|Log/Log4perl|Log/Dispatch/FileRotate|Net/SFTP/Foreign|Mail/Sender|MIME/Lite|Email/Sender|XML/XPath|Excel/Writer/XLSX)(?:\.pm$|/)};
    for my $dir ($COMPAT, $LIB) { return if -e "$dir/$file" }
    die "HideDBI: refusing to load $file from outside perl/lib and perl/compat\n";
};
1;
