package CPANBridge::Taint;

# Scripts run with perl -T work with the real DBI and DBD drivers, so they must with the bridge.
# What the client takes from outside is its own configuration (CPAN_BRIDGE_* variables and the
# file CPAN_BRIDGE_CONFIG names: the operator's, as DBI_DSN is; the state directory is still
# checked for owner and mode) and the daemon's replies (data the real drivers return untainted).
# Values are taken as they are: taint mode protects the script's own operations, and these
# checks do not weaken them.

use strict;
use warnings;

sub on { ${^TAINT} }

# The value, untainted (undef and references as they are).
sub clean {
    my ($v) = @_;
    return $v if !${^TAINT} || !defined $v || ref $v;
    ($v) = $v =~ /\A(.*)\z/s;
    return $v;
}

# In a child about to exec the daemon's command: the environment perlsec asks for
# (no IFS, CDPATH, ENV, BASH_ENV) and the rest of it untainted; -> @cmd untainted.
sub for_exec {
    my @cmd = @_;
    return @cmd unless ${^TAINT};
    delete @ENV{qw(IFS CDPATH ENV BASH_ENV)};
    $_ = clean($_) for values %ENV;
    return map { clean($_) } @cmd;
}

1;
