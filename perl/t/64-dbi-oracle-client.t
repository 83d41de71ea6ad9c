#!/usr/bin/perl
# The DBI shim's Oracle-only requests and replies without a server: CPANBridge::call and
# send_async are replaced by a stand-in that records each request and answers as the daemon
# answers an Oracle connection (src/modules/database/index.ts). Checked: a REF CURSOR out bind
# ({ ora_type => ORA_RSET }) asks for a cursor and makes the bound variable an executed, Active
# statement handle fetched through the daemon; LongReadLen / LongTruncOk travel with execute as
# DBD::Oracle applies them (LongReadLen as it was when the statement was described: at prepare,
# or at the first execute under ora_check_sql => 0; LongTruncOk as it is). The same on a server:
# perl/t/63-dbi-oracle-binds.t.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use DBI;
use DBD::Oracle qw(:ora_types);

my @REQ;
my %ROWS = (c1 => [ [ 3, 'n3' ], [ 4, 'n4' ], [ 5, 'n5' ] ]);
my $n = 0;
sub answer {
    my ($f, $p) = @_;
    push @REQ, [ $f, $p ];
    return { dbh => 'd1', driver => 'Oracle', autocommit => 1 } if $f eq 'connect';
    return { sth => 's' . ++$n, num_params => ($p->{sql} =~ /:cur/ ? 2 : 0), param_names => ($p->{sql} =~ /:cur/ ? [ ':min', ':cur' ] : undef), fields => undef } if $f eq 'prepare';
    if ($f eq 'execute' && $p->{out}) {
        return { rows => 1, fields => undef, batch => [], done => \1,
                 out => [ { sth => 'c1', fields => [qw(ID NAME)], types => [ 3, 12 ], nullable => [ 0, 1 ] } ] };
    }
    return { rows => 0, fields => ['DOC'], types => [40], nullable => [1], batch => [], done => \1 } if $f eq 'execute';
    if ($f eq 'fetch') {
        my $rows = $ROWS{ $p->{sth} } || [];
        my @b = splice @$rows, 0, $p->{max};
        return { batch => \@b, done => (@$rows ? \0 : \1) };
    }
    return {};
}
{
    no warnings 'redefine';
    *CPANBridge::call = sub { answer($_[1], $_[2]) };
    *CPANBridge::send_async = sub { my $r = answer($_[1], $_[2]); $_[3]->($r) if $_[3]; 1 };
}
sub requests { my $f = shift; map { $_->[1] } grep { $_->[0] eq $f } @REQ }

my $dbh = DBI->connect('dbi:Oracle:db', 'scott', 'tiger', { RaiseError => 1, PrintError => 0 });
is $dbh->{Driver}{Name}, 'Oracle', 'an Oracle handle (stand-in)';

subtest 'REF CURSOR out bind' => sub {
    my $open = $dbh->prepare('BEGIN OPEN :cur FOR SELECT id, name FROM t WHERE id > :min; END;');
    my $cur = 'old value';
    $open->bind_param(':min', 2);
    ok $open->bind_param_inout(':cur', \$cur, 0, { ora_type => ORA_RSET }), 'bind_param_inout with ORA_RSET';
    ok $open->execute, 'execute';
    my ($ex) = grep { $_->{out} } requests('execute');
    is_deeply $ex->{out}, [ { at => 2, max_len => 4000, cursor => \1 } ], 'a cursor out bind asked for';
    is $ex->{binds}[1], undef, 'its in-value (the variable) is not sent';
    isa_ok $cur, 'DBI::st', 'the bound variable';
    ok $cur->{Active} && $cur->{Executed}, 'Active and executed';
    is_deeply [ $cur->{NAME}, $cur->{NUM_OF_FIELDS}, $cur->{TYPE}, $cur->{NULLABLE} ], [ [qw(ID NAME)], 2, [ 3, 12 ], [ 0, 1 ] ], 'NAME, NUM_OF_FIELDS, TYPE, NULLABLE';
    is_deeply [ $cur->fetchrow_array ], [ 3, 'n3' ], 'first row';
    is_deeply $cur->fetchall_arrayref, [ [ 4, 'n4' ], [ 5, 'n5' ] ], 'the rest';
    is_deeply [ map { $_->{sth} } requests('fetch') ], ['c1'], 'fetched from the cursor handle the daemon made';
    ok !$cur->{Active}, 'inactive at the end';
    is $cur->{Database}, $dbh, 'a statement of the same database handle';
    my $use = $dbh->prepare('BEGIN use_it(:cur); END;');
    ok !eval { $use->bind_param(':cur', $cur, { ora_type => ORA_RSET }); 1 }, 'a REF CURSOR as an IN parameter dies';
    like $@, qr/REF CURSOR \(ORA_RSET\) as an IN parameter is not supported/, 'saying so';
    is $use->state, 'IM001', "DBI's not-supported state";
};

subtest 'LongReadLen and LongTruncOk with execute' => sub {
    @REQ = ();
    $dbh->{LongReadLen} = 100;
    my $s = $dbh->prepare('SELECT doc FROM t', { LongReadLen => 30 });
    $s->{LongReadLen} = 50;    # after the describe: no effect
    $s->execute;
    $s->{LongTruncOk} = 1;     # read at fetch time: applies
    $s->execute;
    my $late = $dbh->prepare('SELECT doc FROM t', { ora_check_sql => 0 });
    $late->{LongReadLen} = 40;
    $late->execute;
    $late->{LongReadLen} = 45;
    $late->execute;
    my $plain = $dbh->prepare('SELECT doc FROM t');
    $plain->execute;
    is_deeply [ map { [ $_->{long_read}{len}, ${ $_->{long_read}{trunc_ok} } ? 1 : 0 ] } requests('execute') ],
        [ [ 30, 0 ], [ 30, 1 ], [ 40, 0 ], [ 40, 0 ], [ 100, 0 ] ], 'what each execute sent';
};

done_testing;
