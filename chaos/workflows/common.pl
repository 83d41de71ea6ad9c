# Shared by the chaos workflows: proves the shims (not the real CPAN modules) are loaded, and
# turns an in-doubt outcome into a clear report and exit code 3 (an operations team's rule:
# stop, say exactly what is unknown, never guess).
use strict;
use warnings;

sub chaos_assert_shims {
    for my $m (@_) {
        my $f = $INC{$m} // '(not loaded)';
        die "CHAOS: $m was loaded from $f, not from perl/compat (the real CPAN module is not hidden)\n"
            unless $f =~ m{(?:^|/)perl/compat/\Q$m\E\z};
    }
}

# Runs $code; if it fails with an in-doubt outcome, reports it and exits 3.
sub chaos_step {
    my ($what, $code) = @_;
    my @r;
    my $ok = eval { @r = $code->(); 1 };
    return wantarray ? @r : $r[0] if $ok;
    my $e = $@;
    my $msg = "$e" . ($DBI::errstr // '');
    if ($msg =~ /in_doubt|in doubt/i) {
        $| = 1;
        print "IN_DOUBT $what\n";
        print STDERR "CHAOS: outcome of $what is in doubt: $e";
        exit 3;
    }
    die $e;
}

1;
