#!/usr/bin/perl
# Origin: DBI.pm POD, "HandleError": a handler that changes the message
# RaiseError then uses ('$_[0] = ...; return 0'), a handler that turns errors
# into exception objects ("Exception->new('DBI')->raise($_[0])"), stacking
# handlers with closures ("my $previous_handler = $h->{HandleError}"), and a
# handler that hides an error with set_err and supplies the return value;
# plus Tim Bunce's "Advanced DBI" talk (2004), "Picking up the Pieces":
# 'if ($DBI::err && $@ =~ /^(\S+) (\S+) failed: /)' to tell the driver class
# and method, $h->{Statement}, and ShowErrorStatement.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a tiny exception class
# instead of the POD's "Exception" module; messages printed, not died.
use strict;
use warnings;
use DBI;

package My::DBIException;
sub new   { my ($class, %a) = @_; bless {%a}, $class }
sub raise { my ($self, $msg) = @_; $self->{message} = $msg; die $self }
sub message { $_[0]{message} }

package main;

my $db = shift || $ENV{CORPUS_DB} || 'errors.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
$dbh->do('INSERT INTO item (id, label) VALUES (1, ?)', undef, 'first');

# 1. Picking up the pieces
eval { $dbh->do('INSERT INTO item (id, label) VALUES (1, ?)', undef, 'again') };
if ($DBI::err && $@ =~ /^(\S+) (\S+) failed: /) {
    print "DBI error from class $1, method $2\n";
    print "statement: $dbh->{Statement}\n";
}

# 2. change the message, let RaiseError die with it
$dbh->{HandleError} = sub { $_[0] = "[app] $_[0]"; 0 };
eval { $dbh->selectall_arrayref('SELECT nope FROM item') };
print "changed message: $@";

# 3. exceptions as objects
$dbh->{HandleError} = sub { My::DBIException->new(handle => ref $_[1])->raise($_[0]) };
eval {
    my $sth = $dbh->prepare('INSERT INTO item (id, label) VALUES (?, ?)');
    $sth->execute(2, undef);
};
if (ref $@ && $@->isa('My::DBIException')) {
    print "exception object from a ", $@->{handle}, ": ", $@->message, "\n";
}

# 4. stacking handlers
my @seen;
sub your_subroutine {
    my $h = shift;
    my $previous_handler = $h->{HandleError};
    $h->{HandleError} = sub {
        push @seen, "outer saw: $_[0]";
        return 1 if $previous_handler and &$previous_handler(@_);
        return 0;
    };
}
$dbh->{HandleError} = sub { push @seen, 'inner saw it'; return 0 };
your_subroutine($dbh);
eval { $dbh->do('UPDATE nowhere SET x = 1') };
print "stacked: $_\n" for @seen;
print "and RaiseError still died: ", ($@ ? 'yes' : 'no'), "\n";

# 5. hide an error: the handler resets it and supplies the return value
$dbh->{HandleError} = sub {
    return 0 unless $_[0] =~ /^\S+ selectrow_arrayref failed:/ || $_[0] =~ /^\S+ prepare failed:/;
    $_[1]->set_err(undef, undef);    # turn off the error
    $_[2] = [ 'fallback' ];          # supply alternative return value
    return 1;
};
my $r = eval { $dbh->selectrow_arrayref('SELECT missing FROM item') };
print "hidden: ", ($@ ? "died: $@" : 'no exception'), "; returned ", (ref $r ? "[@$r]" : defined $r ? $r : 'undef'),
      "; err=", (defined $dbh->err ? $dbh->err : 'undef'), "\n";

# 6. ShowErrorStatement on a statement handle, handler off
$dbh->{HandleError} = undef;
$dbh->{ShowErrorStatement} = 1;
my $sth = $dbh->prepare('INSERT INTO item (id, label) VALUES (?, ?)');
eval { $sth->execute(1, 'dup') };
print "with statement: $@";
$dbh->{RaiseError} = 0;
$dbh->{PrintError} = 1;
# handles made before the change keep the attributes they inherited
eval { $sth->execute(1, 'dup, old handle') };
print "old handle still raises: $@";
my $sth2 = $dbh->prepare('INSERT INTO item (id, label) VALUES (?, ?)');
$sth2->execute(1, 'dup, printed');
print "err=", $sth2->err, " state=", $sth2->state, "\n";

$dbh->disconnect;
