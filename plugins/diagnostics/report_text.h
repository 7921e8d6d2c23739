// The words of the diagnostics report: sizes as people read them, one line
// per process, and the phrases the summary line is made of, e.g.
//   disk / 93% (inodes 12%), mem 71% used, load 0.42 (2 CPUs),
//   2 failed units, 3 error lines in /var/log/syslog
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/host/load.h"
#include "core/host/memory.h"
#include "core/host/mounts.h"
#include "plugins/diagnostics/failed_units.h"
#include "plugins/diagnostics/log_errors.h"
#include "plugins/diagnostics/processes.h"

namespace tend::plugins::diagnostics {

// "512 B", "1.5 KiB", "3.2 GiB".
std::string human_bytes(uint64_t bytes);

// "4242 postgres: 512.0 MiB RSS, 3.0% CPU".
std::string process_line(const ProcessUsage& process);

// The fullest filesystem by blocks (with its inode use when both are asked
// for), and another filesystem when its inodes are fuller still:
// "disk / 93% (inodes 12%)", "disk / 40% (inodes 12%), inodes /var 97%".
std::string disk_phrase(const std::vector<host::MountUsage>& mounts, bool disk, bool inodes);
std::string memory_phrase(const host::MemInfo& memory);               // "mem 71% used"
std::string load_phrase(const host::LoadAverage& load, long cpus);    // "load 0.42 (2 CPUs)"
std::string process_phrase(const std::vector<ProcessUsage>& by_rss);  // "largest java 3.1 GiB"
std::string units_phrase(const FailedUnits& units);  // "2 failed units", "systemd not running"
std::string log_phrase(const std::string& path, const LogScan& scan);  // "3 error lines in /x"

}  // namespace tend::plugins::diagnostics
