package BenchNoXS;

# perl -MBenchNoXS: JSON::XS and Cpanel::JSON::XS cannot be loaded (as on a host with core
# modules only), so the bridge client falls back to JSON::PP.

use strict;
use warnings;

unshift @INC, sub {
    my (undef, $file) = @_;
    die "BenchNoXS: $file is hidden (core modules only)\n"
        if $file =~ m{^(?:JSON/XS|Cpanel/JSON/XS|JSON/XS/Boolean|Types/Serialiser)\.pm$};
    return;
};

1;
