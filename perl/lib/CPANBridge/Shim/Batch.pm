package CPANBridge::Shim::Batch;

# Batching for shims whose scripts make many small calls (cell writes, log lines): records
# are joined into one string and sent as one pipelined request (CPANBridge::send_async) when
# enough are pending, and before anything that must come after them (flush). The record
# format is the module's: this only packs, bounds and sends. A batch belongs to the process and
# thread that made it: a forked child's or another thread's copy never sends (see Shim.pm).
#
#   my $b = CPANBridge::Shim::Batch->new(
#       module => 'excel', function => 'write_batch', params => { wb => $id }, field => 'cells',
#       records => 5000, bytes => 1 << 20,      # send when either is reached
#       sep => "\x1e",                           # between records
#       chars => 1,                              # send as characters (utf8::upgrade)
#       before => sub { ... });                  # sends what the records depend on, first
#   $b->add($record); ... $b->flush;

use strict;
use warnings;
use CPANBridge ();

sub new {
    my ($class, %o) = @_;
    defined $o{$_} or die "CPANBridge::Shim::Batch->new: $_ is required\n" for qw(module function field);
    return bless {
        %o, sep => $o{sep} // "\x1e", records => $o{records} || 1000, bytes => $o{bytes} || (1 << 20),
        params => $o{params} || {}, buf => '', n => 0, owner => CPANBridge::owner_tag(),
    }, $class;
}

sub pending { $_[0]{n} }

sub add {
    my $self = $_[0];
    $self->{buf} .= $self->{n}++ ? $self->{sep} . $_[1] : $_[1];
    $self->flush if $self->{n} >= $self->{records} || length($self->{buf}) >= $self->{bytes};
    return;
}

# Sends what is pending (after what `before` sends); nothing to send: only `before`.
sub flush {
    my $self = shift;
    return $self->discard if $self->{owner} ne CPANBridge::owner_tag();
    $self->{before}->() if $self->{before};
    return unless $self->{n};
    my $buf = $self->{buf};
    utf8::upgrade($buf) if $self->{chars};
    $self->{buf} = '';
    $self->{n} = 0;
    CPANBridge::send_async($self->{module}, $self->{function}, { %{ $self->{params} }, $self->{field} => $buf });
    return;
}

# Forgets what is pending (the object was closed, or belongs to another process or thread).
sub discard {
    my $self = shift;
    $self->{buf} = '';
    $self->{n} = 0;
    return;
}

1;
