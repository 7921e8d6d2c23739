// What makes a Schedule valid, and schedules.toml read into Schedules. Every
// refusal names the schedule and the field ("schedule 'security-updates':
// timezone: unknown time zone 'Europe/Berln' ..."), so a bad file or a bad
// `tendctl schedule add` says what to fix and changes nothing.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "bus/expected.h"
#include "schemas/schedule.pb.h"

namespace tend {

// Bounds on a schedule's text fields (the numbers have ranges: window up to
// 7 days, timeout up to 86400 s, rollout counts up to 1000000).
inline constexpr size_t kMaxCronBytes = 256;
inline constexpr size_t kMaxTimezoneBytes = 64;
inline constexpr size_t kMaxCountTextBytes = 32;  // limit, rollout.batch: "10" or "10%"
inline constexpr size_t kMaxDescriptionBytes = 1024;
inline constexpr size_t kMaxUpdatedByBytes = 128;

// Name, cron, time zone, window, target, plugin, limit and rollout settings,
// each within its bound. (The target and params are the task's: the same
// bounds as any task's.)
Expected<void> validate_schedule(const tend::Schedule& schedule);

// The failure budget's default and the health gate's, filled in.
tend::RolloutSettings effective_rollout(const tend::Schedule& schedule);

// Every [[schedule]] in a schedules.toml; source "file". Unknown keys are
// errors (a typo in a maintenance window is not something to guess about).
Expected<std::vector<tend::Schedule>> read_schedules(const toml::table& doc,
                                                     const std::string& path);
Expected<std::vector<tend::Schedule>> load_schedules_file(const std::string& path);

// "roles=web-server, batches of 10% after a canary of 1, stop past 5% failed"
std::string describe_rollout(const tend::Schedule& schedule);

}  // namespace tend
