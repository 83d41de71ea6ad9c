#!/usr/bin/perl
# Predecessor-style script (Test_Scripts/test_live_database.pl, test_connect_cached.pl,
# test_do_statement.pl, test_column_metadata.pl, test_bind_param_inout.pl): call_python
# 'database' with SQLite instead of Oracle. Usage: db_calls.pl <database file>
use strict;
use warnings;
use CPANBridge;

my $file = shift or die "usage: $0 db-file\n";
my $dsn = "dbi:SQLite:dbname=$file";
my $bridge = CPANBridge->new();
sub check { my ($ok, $name) = @_; print $ok ? "ok: $name\n" : "FAIL: $name\n"; $ok }

# connect_cached: 0 the first time, then 1 with the same id
my $c1 = $bridge->call_python('database', 'connect_cached', { dsn => $dsn, username => '', password => '', options => { AutoCommit => 1 } });
my $c2 = $bridge->call_python('database', 'connect_cached', { dsn => $dsn, username => '', password => '', options => { AutoCommit => 1 } });
check($c1->{success} && !$c1->{cached}, 'connect_cached: first call not cached');
check($c2->{success} && $c2->{cached} && $c2->{connection_id} eq $c1->{connection_id}, 'connect_cached: second call cached, same id');
my $cid = $c1->{connection_id};

$bridge->call_python('database', 'do_statement', { connection_id => $cid, sql => 'CREATE TABLE emp (id INTEGER, name VARCHAR(30), dept TEXT)' });
for my $r ([1, 'Ann', 'IT'], [2, 'Bob', 'HR'], [3, 'Cy', undef]) {
    $bridge->call_python('database', 'execute_immediate', { connection_id => $cid, sql => 'INSERT INTO emp VALUES (?, ?, ?)', bind_values => $r });
}

# execute_immediate / do_statement with a SELECT: rows and column_info too
for my $fn (qw(execute_immediate do_statement)) {
    my $r = $bridge->call_python('database', $fn, { connection_id => $cid, sql => 'SELECT id, name, dept FROM emp ORDER BY id' });
    check($r->{success} && ref $r->{rows} eq 'ARRAY' && @{ $r->{rows} } == 3 && $r->{rows}[1][1] eq 'Bob', "$fn SELECT: rows");
    check(!defined $r->{rows}[2][2], "$fn SELECT: NULL is undef");
    my $ci = $r->{column_info} || {};
    check($ci->{count} == 3 && "@{ $ci->{names} }" eq 'id name dept', "$fn SELECT: column_info names");
    check(ref $ci->{types} eq 'ARRAY' && $ci->{types}[0] eq 'INTEGER' && $ci->{types}[1] eq 'VARCHAR(30)', "$fn SELECT: column_info types");
    check(ref $ci->{columns} eq 'ARRAY' && $ci->{columns}[1]{name} eq 'name' && $ci->{columns}[1]{type} eq 'VARCHAR(30)', "$fn SELECT: column_info columns");
}

# prepare / execute_statement with bind_params / fetch_row format => 'hash' until success 0
my $p = $bridge->call_python('database', 'prepare', { connection_id => $cid, sql => 'SELECT id, name FROM emp WHERE id >= ? ORDER BY id' });
my $sid = $p->{statement_id};
my $x = $bridge->call_python('database', 'execute_statement', { connection_id => $cid, statement_id => $sid, bind_params => { 1 => { value => 2 } } });
check($x->{success} && $x->{column_info}{types}[0] eq 'INTEGER', 'execute_statement: column_info with types');
my @got;
my $guard = 0;
while (1) {
    my $row = $bridge->call_python('database', 'fetch_row', { connection_id => $cid, statement_id => $sid, format => 'hash' });
    last unless $row->{success};
    push @got, "$row->{row}{id}=$row->{row}{name}";
    last if ++$guard > 10;
}
check("@got" eq '2=Bob 3=Cy', 'fetch_row hash rows with bind_params, loop ends at success 0');
$bridge->call_python('database', 'execute_statement', { connection_id => $cid, statement_id => $sid, bind_values => [1] });
my $all = $bridge->call_python('database', 'fetch_all', { connection_id => $cid, statement_id => $sid, format => 'hash' });
check($all->{success} && @{ $all->{rows} } == 3 && $all->{rows}[0]{name} eq 'Ann', 'fetch_all format hash');

# errors of a handle, and the management of OUT parameters
my $bad = $bridge->call_python('database', 'execute_immediate', { connection_id => $cid, sql => 'SELECT nosuchcol FROM emp' });
check(!$bad->{success} && $bad->{error}, 'a failing statement: success 0 and error');
my $ce = $bridge->call_python('database', 'get_connection_error', { connection_id => $cid });
check($ce->{success} && $ce->{errstr} =~ /nosuchcol/, 'get_connection_error: the last error of the connection');
my $se = $bridge->call_python('database', 'get_statement_error', { statement_id => $sid });
check($se->{success} && $se->{errstr} eq '', 'get_statement_error: none for a good statement');
check(!$bridge->call_python('database', 'get_connection_error', { connection_id => 'fake_conn' })->{success}, 'get_connection_error: a fake id fails');
check(!$bridge->call_python('database', 'bind_param_inout', { statement_id => 'fake_stmt_id', param_name => ':out_param', size => 4000 })->{success}, 'bind_param_inout: a fake id fails');
check(!$bridge->call_python('database', 'get_out_params', { statement_id => 'fake_stmt_id' })->{success}, 'get_out_params: a fake id fails');
my $call = $bridge->call_python('database', 'prepare', { connection_id => $cid, sql => 'SELECT ? AS v' });
my $b1 = $bridge->call_python('database', 'bind_param_inout', { statement_id => $call->{statement_id}, param_name => 1, initial_value => 'x', size => 100 });
check($b1->{success} && $b1->{message} =~ /:1 bound/, 'bind_param_inout: accepted for a real statement');
my $o1 = $bridge->call_python('database', 'get_out_params', { statement_id => $call->{statement_id} });
check(!$o1->{success} && $o1->{error} eq 'Statement not yet executed', 'get_out_params before execute');
my $lob = $bridge->call_python('database', 'bind_param_inout', { statement_id => $call->{statement_id}, param_name => 1, size => 100, param_type => { ora_type => 112 } });
check(!$lob->{success} && $lob->{error} =~ /not supported/, 'bind_param_inout: a LOB type is refused, not ignored');
my $ex = $bridge->call_python('database', 'execute_statement', { statement_id => $call->{statement_id} });
check(!$ex->{success} && $ex->{error} =~ /not supported by DBD::SQLite/, 'execute with an OUT parameter on SQLite: said not supported');

# the predecessor's words for an unknown function
my $nf = $bridge->call_python('database', 'no_such_function', {});
check(!$nf->{success} && $nf->{error} =~ /^Request validation failed: Function not allowed: database\.no_such_function/, 'unknown function: the predecessor error text');

check($bridge->call_python('database', 'disconnect', { connection_id => $cid })->{success}, 'disconnect');
my $c3 = $bridge->call_python('database', 'connect_cached', { dsn => $dsn, options => { AutoCommit => 1 } });
check($c3->{success} && !$c3->{cached} && $c3->{connection_id} ne $cid, 'connect_cached after disconnect: a new connection');
print "done\n";
