package CPANBridge::Legacy::DB;

# The client's part of the predecessor's call_python('database', ...) functions whose state is
# the script's own (python_helpers/helpers/database.py): bind_param_inout / get_out_params (the
# OUT parameters bound, then their values after execute_statement), get_connection_error /
# get_statement_error (the last error of a handle) and connect_cached's ids. Kept in this process, so a daemon restart
# loses none of it; the handles themselves are checked with the daemon (a fake id fails).
# call_python (CPANBridge/Legacy.pm) runs call_<function> here when it exists.

use strict;
use warnings;
use CPANBridge::Error ();

my %OUT;       # statement_id => [ { name, at, max_len, initial } ] in bind order
my %OUTVAL;    # statement_id => { name => value } of the last execute
my %EXECUTED;  # statement_id => 1 once executed
my %ERR;       # "c:<connection_id>" / "s:<statement_id>" => last error text

sub _die { die CPANBridge::Error->new(code => 'bad_params', message => $_[0]) }

sub _id {
    my ($p, $key) = @_;
    my $v = $p->{$key};
    _die("$key is required") unless defined $v && length $v;
    return "$v";
}

sub _describe { CPANBridge::call('database', 'describe', { sth => $_[0] }) }

# A placeholder (1, ':1', ':name', 'name') as its 1-based position.
sub _position {
    my ($sid, $name) = @_;
    _die('param_name is required') unless defined $name && length $name;
    (my $k = "$name") =~ s/^://;
    my $d = _describe($sid);    # dies for an unknown statement id
    return ($k + 0, ":$k") if $k =~ /^\d+$/ && $k > 0;
    my @names = @{ $d->{param_names} || [] };
    for my $i (0 .. $#names) {
        (my $n = $names[$i]) =~ s/^://;
        return ($i + 1, ":$k") if lc $n eq lc $k;
    }
    _die("bind_param_inout: the statement has no placeholder :$k");
}

# connect_cached: the daemon keeps a cache per session too, but only in its memory (lost at a
# restart, and in process mode at every call); the ids known here stay valid across both.
my %CACHED;    # cache key => connection_id

sub call_connect_cached {
    my ($p) = @_;
    my $o = ref $p->{options} eq 'HASH' ? $p->{options} : {};
    my $key = join "\0", $p->{dsn} // '', $p->{username} // $p->{user} // '',
        map { defined $o->{$_} ? ($o->{$_} ? 1 : 0) : '' } qw(AutoCommit RaiseError PrintError);
    if (my $id = $CACHED{$key}) {
        my $alive = eval { CPANBridge::call('database', 'ping', { dbh => $id })->{alive} };
        return { success => 1, connection_id => $id, cached => 1 } if $alive;
        delete $CACHED{$key};
    }
    my $r = CPANBridge::call('database', 'connect_cached', $p, legacy => 1);
    $CACHED{$key} = $r->{connection_id} if $r->{success} && defined $r->{connection_id};
    return $r;
}

sub call_bind_param_inout {
    my ($p) = @_;
    my $sid = _id($p, 'statement_id');
    my ($at, $norm) = _position($sid, $p->{param_name});
    my $t = $p->{param_type};
    # CLOB/BLOB OUT variables: not supported (the values come back as strings of at most `size`)
    _die("bind_param_inout: param_type ora_type $t->{ora_type} (LOB) is not supported; OUT values are strings of at most size characters")
        if ref $t eq 'HASH' && defined $t->{ora_type};
    my $size = defined $p->{size} ? $p->{size} : 4000;
    _die("size must be a positive integer, not $size") unless $size =~ /^\d+$/ && $size > 0;
    my $list = $OUT{$sid} ||= [];
    @$list = grep { $_->{at} != $at } @$list;
    (my $clean = $norm) =~ s/^://;
    push @$list, { name => $clean, at => $at, max_len => $size + 0, initial => $p->{initial_value} };
    return { success => 1, message => "OUT/INOUT parameter $norm bound successfully" };
}

sub call_execute_statement {
    my ($p) = @_;
    my $sid = _id($p, 'statement_id');
    my %q = %$p;
    my $out = $OUT{$sid};
    if ($out && @$out) {
        my @binds = @{ $p->{bind_values} || $p->{params} || [] };
        for my $o (@$out) {
            push @binds, undef while @binds < $o->{at};
            $binds[ $o->{at} - 1 ] = $o->{initial};
        }
        $q{bind_values} = \@binds;
        delete @q{qw(params binds)};
        $q{out_binds} = [ map { { at => $_->{at}, max_len => $_->{max_len} } } @$out ];
    }
    my $r = CPANBridge::call('database', 'execute_statement', \%q, legacy => 1);
    $EXECUTED{$sid} = 1;
    if ($out && @$out) {
        my $vals = delete $r->{out_values} || [];
        $OUTVAL{$sid} = { map { $out->[$_]{name} => $vals->[$_] } 0 .. $#$out };
    }
    return $r;
}

sub call_get_out_params {
    my ($p) = @_;
    my $sid = _id($p, 'statement_id');
    _describe($sid);    # an unknown id fails
    return { success => 0, error => 'Statement not yet executed' } unless $EXECUTED{$sid};
    return { success => 1, out_params => { %{ $OUTVAL{$sid} || {} } } };
}

sub call_get_connection_error {
    my ($p) = @_;
    my $cid = _id($p, 'connection_id');
    CPANBridge::call('database', 'ping', { dbh => $cid });    # an unknown id fails
    return { success => 1, errstr => $ERR{"c:$cid"} // '' };
}

sub call_get_statement_error {
    my ($p) = @_;
    my $sid = _id($p, 'statement_id');
    _describe($sid);
    return { success => 1, errstr => $ERR{"s:$sid"} // '' };
}

# After each database call_python: the handles it named keep its error, or lose the last one.
sub remember_error {
    my ($function, $p, $msg) = @_;
    return unless ref $p eq 'HASH' && $function !~ /^get_(?:connection|statement)_error\z/;
    for ([c => 'connection_id'], [s => 'statement_id']) {
        my ($tag, $key) = @$_;
        next unless defined $p->{$key} && !ref $p->{$key};
        if (defined $msg) { $ERR{"$tag:$p->{$key}"} = $msg }
        else { delete $ERR{"$tag:$p->{$key}"} }
    }
}

1;
