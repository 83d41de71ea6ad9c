package CPANBridge::Log4perl::Sink;

# The bytes of the File appenders, on their way to the daemon: buffered in the script and sent in
# numbered batches, pipelined (the script never waits for a log line), at most $MAX_EVENTS events,
# $MAX_BYTES bytes or $MAX_DELAY seconds after the first one of a batch. A FATAL event, logdie,
# a re-init and the end of the script send and wait (flush). The daemon writes each batch once
# (its number is journaled with the file's end), so a resend after a crash never doubles a line.

use strict;
use warnings;
use Time::HiRes ();
use CPANBridge ();
use CPANBridge::Codec ();
use POSIX ();

our $MAX_EVENTS = 1000;
our $MAX_BYTES  = 256 * 1024;
# CPAN_BRIDGE_LOG_BATCH_SECONDS: the time bound (0: none, batches are cut by size only)
our $MAX_DELAY  = defined $ENV{CPAN_BRIDGE_LOG_BATCH_SECONDS} && $ENV{CPAN_BRIDGE_LOG_BATCH_SECONDS} =~ /^\d+(?:\.\d+)?$/ ? $ENV{CPAN_BRIDGE_LOG_BATCH_SECONDS} : 0.2;

my ($WRITER, $SEQ, @CHUNKS, $BYTES, $T0, $PID, $FILES, $EVENTS, @WHOLE);

sub open_files {
    my ($files) = @_;
    close_writer();
    return unless @$files;
    my $r = CPANBridge::call('logging', 'open', { files => $files });
    ($WRITER, $SEQ, $BYTES, $PID, $FILES, $EVENTS) = ($r->{writer}, 0, 0, $$, $files, 0);
    @CHUNKS = ();
    # a rotated file gets its messages one by one (FileRotate decides before each); others in runs
    @WHOLE = map { $_->{rotate} ? 1 : 0 } @$files;
    return $r->{paths};
}

# A forked child writes to the same files as the parent, through a writer of its own (its own
# session), opened for append: the parent's buffered lines stay the parent's to send.
sub _child {
    @CHUNKS = ();
    my @files = map { { %$_, mode => 'append' } } @$FILES;
    my $r = CPANBridge::call('logging', 'open', { files => \@files });
    ($WRITER, $SEQ, $BYTES, $PID, $EVENTS) = ($r->{writer}, 0, 0, $$, 0);
}

# A log_open_failed error as the real File appender dies: "Can't open NAME (strerror)", NAME as
# the script wrote it. Other errors unchanged.
sub open_error {
    my ($e, $shown) = @_;
    return $e unless ref $e && eval { $e->code } && $e->code eq 'log_open_failed';
    my $errno = $e->{errno} || 'EIO';
    my $no = eval { no strict 'refs'; &{"POSIX::$errno"}() };
    local $! = $no || 5;
    return "Can't create path $1 ($!)" if $e->message =~ /^Can't create path (.*?) \(/;
    return "Can't open $shown ($!)";
}

sub add {
    my ($idx, $bytes) = @_;
    return unless defined $WRITER;
    _child() if $PID != $$;
    $T0 = Time::HiRes::time() if $MAX_DELAY && !@CHUNKS;
    if (@CHUNKS && $CHUNKS[-1][0] == $idx && !$WHOLE[$idx]) { $CHUNKS[-1][1] .= $bytes }    # one chunk per run of lines to a file
    else { push @CHUNKS, [$idx, $bytes] }
    $BYTES += length $bytes;
    send_batch() if ++$EVENTS >= $MAX_EVENTS || $BYTES >= $MAX_BYTES || ($MAX_DELAY && Time::HiRes::time() - $T0 >= $MAX_DELAY);
}

sub send_batch {
    return unless @CHUNKS && defined $WRITER;
    return @CHUNKS = () if $PID != $$;    # a forked child that logged nothing: the parent's batches are the parent's
    my @c = map { [$_->[0], CPANBridge::Codec::bytes($_->[1])] } @CHUNKS;
    @CHUNKS = ();
    $BYTES = $EVENTS = 0;
    CPANBridge::send_async('logging', 'append', { writer => $WRITER, seq => ++$SEQ, chunks => \@c });
}

# The File appender's file_switch: the lines so far to the old file, then the new one (waits: an
# error, such as a directory that does not exist, dies here as in the real module).
sub switch_file {
    my ($idx, $path) = @_;
    return unless defined $WRITER;
    _child() if $PID != $$;
    flush();    # the lines so far, in a batch of their own
    my $ok = eval { CPANBridge::call('logging', 'append', { writer => $WRITER, seq => ++$SEQ, chunks => [], switch => [[$idx, $path]] }); 1 };
    die open_error($@, $path) unless $ok;
    $FILES->[$idx] = { %{ $FILES->[$idx] }, path => $path };
}

# Everything logged so far is in the files (the daemon has answered).
sub flush {
    send_batch();
    CPANBridge::flush() if defined $WRITER && $PID == $$;
}

# CPAN_BRIDGE_LOG_SYNC=1: every event is in its file before the log call returns (a round trip
# per event; for scripts that read their own log files while they run)
our $SYNC = $ENV{CPAN_BRIDGE_LOG_SYNC} ? 1 : 0;

# after each event: FATAL (and every event in sync mode) waits until its lines are written
sub event_done {
    my ($fatal) = @_;
    flush() if ($fatal || $SYNC) && defined $WRITER;
}

sub close_writer {
    return unless defined $WRITER;
    if ($PID == $$) {
        flush();
        CPANBridge::call('logging', 'close', { writer => $WRITER });
    }
    undef $WRITER;
    @CHUNKS = ();
}

sub active { defined $WRITER }

END { eval { flush(); 1 } or warn "Log::Log4perl (bridge): log lines could not be written: " . ($@ =~ s/\s+\z//r) . "\n" if defined $WRITER }

1;
