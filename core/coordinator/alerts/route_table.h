// Reads routes.toml. Anything wrong (an unknown key, a matcher that does not
// parse, a placeholder tend does not know, a prior outside 0..1, a name used
// twice) is an error naming the file, the line and the problem: the
// coordinator then refuses to start, or keeps its old routes on a reload.
//
//   [[route]]
//   name = "disk-full"                 # default: the alert name
//   alert = "DiskFull"
//   matchers = ['severity="critical"', 'mountpoint=~"/var.*"', 'env!="staging"']
//   plugin = "disk-cleanup"
//   params = { path = "{{ labels.mountpoint }}", max_age = "7d" }
//   target = { hosts = ["{{ host }}"] }  # the default
//   service = "{{ labels.service }}"     # default: the service label, else the plugin
//   prior_confidence = 0.6
//   risk = "low"                          # low, medium (default), high
//   requires_approval = false
//   verify_within = "10m"                 # the alert must resolve this soon after the fix
//   silence = true                        # silence it in Alertmanager meanwhile
//   timeout_s = 300
#pragma once

#include <toml++/toml.h>

#include <string>

#include "bus/expected.h"
#include "core/coordinator/alerts/route.h"

namespace tend::alerts {

Expected<RouteTable> load_routes(const std::string& path);
Expected<RouteTable> read_routes(const toml::table& doc, const std::string& path);

}  // namespace tend::alerts
