package CPANBridge::Shim;

# What every shim (DBI, Excel::Writer::XLSX, the modules to come) needs beside
# CPANBridge::call: the live objects it closes at exit as the real module would,
# who owns an object (a forked child or another Perl thread gets a copy it must
# not close), and the text of a bridge error for the script's message.

use strict;
use warnings;
use Scalar::Util ();
use CPANBridge ();

# Each shim keeps its own END block over live(): END blocks run in the reverse order of
# loading, so a shim loaded after the script's END block still closes before it runs.
my %LIVE;    # registry name => [ weak objects, in creation order ]

# Weak: a registry must not keep an object out of scope alive (no DESTROY, no close).
# (grep copies the references strong again: weaken them all.)
sub track {
    my ($name, $obj) = @_;
    my $l = $LIVE{$name} ||= [];
    @$l = grep { defined } @$l, $obj;
    Scalar::Util::weaken($_) for @$l;
    return $obj;
}

sub untrack {
    my ($name, $obj) = @_;
    my $l = $LIVE{$name} or return;
    my $a = Scalar::Util::refaddr($obj);
    @$l = grep { defined && Scalar::Util::refaddr($_) != $a } @$l;
    Scalar::Util::weaken($_) for @$l;
    return;
}

sub live { my $l = $LIVE{ $_[0] } or return (); return grep { defined } @$l }

# The Perl interpreter (thread) of this moment; see CPANBridge::owner_tag.
sub thread_tag { 0 + \$CPANBridge::ANCHOR }

# Made by this thread (objects that predate thread tags count as this thread's).
sub own_thread { my ($tag) = @_; return !defined $tag || $tag == thread_tag() }

# The message of a CPANBridge::Error (or of any die value), without a trailing newline.
sub error_text {
    my ($e) = @_;
    my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
    $m =~ s/\s+\z//;
    return $m;
}

1;
