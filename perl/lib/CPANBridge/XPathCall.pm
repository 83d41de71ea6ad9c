package CPANBridge::XPathCall;
# One call to the daemon's xpath module for XML::XPath (perl/compat) and XPathHelper: a failure
# dies with the daemon's message as it is (XML::XPath's own texts), without the bridge's prefix.
use strict;
use warnings;
use CPANBridge ();

sub call {
    my ($function, $params) = @_;
    my $r = eval { CPANBridge::call('xpath', $function, $params) };
    if (my $e = $@) {
        my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
        $m =~ s/^xpath\.\w+: //;
        $m .= "\n" unless $m =~ /\n\z/;
        die $m;
    }
    return $r;
}

1;
