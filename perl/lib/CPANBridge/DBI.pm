package CPANBridge::DBI;

# DBI on the bridge: packages DBI, DBI::db and DBI::st with DBI's behaviour
# (return values, err/errstr/state, RaiseError/PrintError/HandleError, message
# texts with the script's file and line), backed by the daemon's `database`
# module. Loaded by perl/compat/DBI.pm (`use DBI;`) and by DBIHelper.pm.
#
# One file per package, so that more of the DBI surface is easy to add:
#   DBI/Attr.pm     CPANBridge::DBI::Attr: tied-hash attribute storage of every handle
#                   (dynamic attributes in %DYN_FETCH, side effects in %DYN_STORE)
#   DBI/common.pm   CPANBridge::DBI::common: methods shared by db and st: err/errstr/state,
#                   set_err, the error policy (_fail), caller location
#   DBI/Class.pm    DBI: connect, connect_cached, class-level err/errstr, constants, utils
#   DBI/db.pm       DBI::db: database handle methods; the catalog ones (table_info...)
#                   in DBI/Catalog.pm and Catalog/<Driver>.pm
#   DBI/st.pm       DBI::st: statement handle methods (row buffer with prefetch)
#   DBI/Rows.pm     bind values out, reply rows in (both row formats)
#   this file       live handles closed at END, per-thread ownership, loading order
# A new method is one sub in DBI::db / DBI::st that calls _rpc(); errors go
# through _fail(), which implements the whole RaiseError/PrintError policy.

use strict;
use warnings;
no warnings 'redefine';
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::DBI::Attr ();
use CPANBridge::DBI::common ();
use CPANBridge::DBI::Class ();
use CPANBridge::DBI::db ();
use CPANBridge::DBI::st ();
use CPANBridge::DBI::Rows ();
# it calls DBI::db subs defined above (_nested, _fail, _new_sth, the select* methods)
use CPANBridge::DBI::Catalog ();
use CPANBridge::DBI::Private ();

our $VERSION = '0.1.0';

# Live database handles of this process, closed at exit like DBI does.
sub _register { CPANBridge::Shim::track('dbi', $_[0]) }

END {
    for my $h (CPANBridge::Shim::live('dbi')) {
        my $i = tied %$h or next;
        next unless $i->{Active} && $i->{_pid} == $$ && !$i->{InactiveDestroy} && _own_thread($i);
        $i->{Active} = 0;
        eval { CPANBridge::send_async('database', 'disconnect', { dbh => $i->{_id} }, sub { }) };
    }
}

# A handle belongs to the Perl thread that made it: another thread gets a copy it cannot use
# (DBI croaks, whatever RaiseError says), and the copy's DESTROY does nothing.
sub _own_thread { CPANBridge::Shim::own_thread($_[0]{_interp}) }

sub _thread_check {
    my ($h, $method) = @_;
    my $i = ref $h && Scalar::Util::reftype($h) eq 'HASH' && tied %$h or return;
    return if _own_thread($i);
    die sprintf("%s %s failed: handle %d is owned by thread %x not current thread %x (handles can't be shared between threads and your driver may need a CLONE method added)",
        CPANBridge::DBI::common::_class_name($i), $method, ($i->{Type} // '') eq 'st' ? 3 : 2, $i->{_interp}, CPANBridge::Shim::thread_tag())
        . CPANBridge::DBI::common::_where();
}

# Every public method of a database or statement handle checks its thread first (threads->new
# clones the script's data, handles included). A script without threads pays one sub call.
{
    no strict 'refs';
    no warnings 'redefine';
    for my $class (qw(DBI::db DBI::st)) {
        my %seen;
        for my $pkg ($class, @{"${class}::ISA"}) {
            for my $name (sort keys %{"${pkg}::"}) {
                next if $seen{$name}++ || $name !~ /^[a-z]/ || $name =~ /^(?:can|isa|import)$/;
                next unless defined &{"${pkg}::$name"};
                my $code = $class->can($name) or next;
                # the own-thread test inlined (CPANBridge::Shim::own_thread): fetchrow_* runs it per row
                *{"${class}::$name"} = sub {
                    my $i = ref $_[0] && Scalar::Util::reftype($_[0]) eq 'HASH' && tied %{ $_[0] };
                    _thread_check($_[0], $name) if $i && defined $i->{_interp} && $i->{_interp} != 0 + \$CPANBridge::ANCHOR;
                    goto &$code;
                };
            }
        }
    }
}

$INC{'DBI.pm'} ||= __FILE__;

1;
