package Log::Log4perl::Filter::LevelRange;
# Part of the bridge's Log::Log4perl (defined there), for scripts and configurations that load it by this name.
use strict;
use warnings;
require Log::Log4perl;
1;
