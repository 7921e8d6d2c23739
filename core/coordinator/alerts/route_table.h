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

#include <cstdint>
#include <string>

#include "bus/expected.h"
#include "core/common/toml_bounds.h"
#include "core/coordinator/alerts/route.h"

namespace tend::alerts {

// Bounds on routes.toml, each refused naming file, line, key and limit.
// Every string (params, templates, alert names) and list in the file:
inline constexpr TomlBounds kRoutesFileBounds{.max_string_bytes = 4096, .max_items = 1000};
// Matchers run on every alert that comes in, regexes among them.
inline constexpr size_t kMaxMatchersPerRoute = 32;
inline constexpr size_t kMaxMatcherBytes = 1024;
// A route's name is the knowledge base's pattern (tendctl kb PATTERN).
inline constexpr size_t kMaxRouteNameBytes = 256;
// verify_within: at most a day.
inline constexpr int64_t kMaxVerifyWithinSeconds = 86400;

Expected<RouteTable> load_routes(const std::string& path);
Expected<RouteTable> read_routes(const toml::table& doc, const std::string& path);

}  // namespace tend::alerts
