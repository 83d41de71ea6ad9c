#!/usr/bin/perl
# Predecessor-style script (Test_Scripts/test_daemon_basic.pl, test_operational_monitoring.pl,
# docs/operations snippets): the test.* and system.* management calls, ending with
# system.shutdown. Prints the daemon's pid last.
use strict;
use warnings;
use CPANBridge;

my $bridge = CPANBridge->new();
sub check { my ($ok, $name) = @_; print $ok ? "ok: $name\n" : "FAIL: $name\n"; $ok }
sub has { my ($r, @k) = @_; !grep { !exists $r->{$_} } @k }

my $ping = $bridge->call_python('test', 'ping', { probe => 'x' });
check($ping->{success} && $ping->{message} eq 'pong', 'test.ping: success and pong');
check(has($ping, qw(daemon_version uptime input)) && $ping->{input}{probe} eq 'x' && $ping->{uptime} =~ /^[\d.]+$/, 'test.ping: daemon_version, uptime in seconds, input');
check($bridge->test_python_bridge, 'test_python_bridge');
my $echo = $bridge->call_python('test', 'echo', { a => [1, 2] });
check($echo->{success} && $echo->{input}{a}[1] == 2, 'test.echo');
my $st = $bridge->call_python('test', 'stats', {});
check($st->{success} && $st->{requests_processed} > 0, 'test.stats');
check($bridge->call_python('test', 'health', {})->{overall_status} eq 'healthy', 'test.health');
check($bridge->check_python_module('database') && !$bridge->check_python_module('no_such_module'), 'test.check_module through check_python_module');

my $info = $bridge->call_python('system', 'info', {});
check($info->{success} && has($info, qw(daemon_version socket_path uptime loaded_modules active_connections configuration)), 'system.info fields');
check($info->{socket_path} eq $ENV{CPAN_BRIDGE_SOCKET} && grep({ $_ eq 'database' } @{ $info->{loaded_modules} }), 'system.info: socket path, modules');
my $h = $bridge->call_python('system', 'health', {});
check($h->{success} && has($h, qw(timestamp checks warnings errors overall_status)) && $h->{overall_status} eq 'healthy', 'system.health fields, healthy');
my $m = $bridge->call_python('system', 'metrics', {});
check($m->{success} && ref $m->{resource_status} eq 'HASH' && ref $m->{resource_status}{violations} eq 'ARRAY', 'system.metrics: resource_status');
check($m->{daemon_info}{uptime_formatted} =~ /^\d+h \d+m \d+s$/, 'system.metrics: uptime_formatted');
my $perf = $bridge->call_python('system', 'performance', {});
check($perf->{success} && $perf->{performance_metrics}{total_requests} > 0, 'system.performance');
my $conn = $bridge->call_python('system', 'connections', {});
check($conn->{success} && $conn->{active_connections} >= 1, 'system.connections');
my $cl = $bridge->call_python('system', 'cleanup', {});
check($cl->{success} && $cl->{message}, 'system.cleanup (daemon owner)');
my $ss = $bridge->call_python('system', 'stats', {});
check($ss->{success} && has($ss, qw(requests_processed performance_summary resource_status)), 'system.stats');
my $json = $bridge->_safe_json_encode({ b => [1, 'two'], a => undef });
check($json eq '{"a":null,"b":[1,"two"]}', '_safe_json_encode');
my $pid = CPANBridge::daemon_pid() // '';
my $sd = $bridge->call_python('system', 'shutdown', {});
check($sd->{success} && $sd->{message} eq 'Shutdown initiated', 'system.shutdown');
print "pid=$pid\n";
print "done\n";
