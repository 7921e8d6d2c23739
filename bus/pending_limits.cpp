#include "bus/pending_limits.h"

namespace tend {
namespace {

constexpr int64_t kMiB = 1024 * 1024;

constexpr PendingLimits kTasks{10'000, 16 * kMiB};
constexpr PendingLimits kControl{100, 1 * kMiB};
constexpr PendingLimits kFanIn{100'000, 256 * kMiB};  // many senders, one listener
constexpr PendingLimits kOther{10'000, 64 * kMiB};

// "tend.task.all" -> "task": the prefix is one token (bus/names.h).
std::string_view kind_of(std::string_view subject) {
  auto first = subject.find('.');
  if (first == std::string_view::npos) return {};
  subject.remove_prefix(first + 1);
  return subject.substr(0, subject.find('.'));
}

bool is_wildcard(std::string_view subject) {
  return subject.ends_with(".>") || subject.ends_with(".*") || subject == ">" || subject == "*";
}

}  // namespace

PendingLimits pending_limits_for(std::string_view subject) {
  if (is_wildcard(subject)) return kFanIn;
  std::string_view kind = kind_of(subject);
  if (kind == "task") return kTasks;
  if (kind == "control") return kControl;
  if (kind == "result" || kind == "progress" || kind == "heartbeat") return kFanIn;
  return kOther;
}

}  // namespace tend
