#include "core/common/task_bounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "bus/names.h"
#include "core/common/input_bounds.h"
#include "core/common/param_bounds.h"

namespace tend {
namespace {

using Entries = google::protobuf::RepeatedPtrField<std::string>;

Expected<void> check_texts(const tend::Task& task) {
  struct Text {
    std::string_view what;
    const std::string& value;
    size_t limit;
  };
  const Text texts[] = {
      {"task id", task.id(), kMaxNameBytes},
      {"plugin", task.plugin(), kMaxNameBytes},
      {"requested_by", task.requested_by(), kMaxActorBytes},
      {"approved_by", task.approved_by(), kMaxActorBytes},
      {"dispatched_by", task.dispatched_by(), kMaxActorBytes},
      {"reason", task.reason(), kMaxReasonBytes},
  };
  for (const auto& text : texts) {
    if (auto ok = check_bytes(text.what, text.value.size(), text.limit); !ok) return ok;
  }
  return {};
}

// "target hosts has 20000 items; the limit is 10000",
// "target host #3 is 300 bytes; the limit is 128".
Expected<void> check_entries(std::string_view list, std::string_view entry, const Entries& values,
                             size_t limit) {
  const auto what = fmt::format("target {}", list);
  if (auto ok = check_items(what, static_cast<size_t>(values.size()), limit); !ok) return ok;
  for (int i = 0; i < values.size(); ++i) {
    if (auto ok = check_bytes(fmt::format("target {} #{}", entry, i + 1), values[i].size(),
                              kMaxNameBytes);
        !ok) {
      return ok;
    }
  }
  return {};
}

Expected<void> check_target(const tend::Target& target) {
  if (auto ok = check_entries("hosts", "host", target.hosts(), kMaxTargetHosts); !ok) return ok;
  if (auto ok = check_entries("roles", "role", target.roles(), kMaxTargetRolesOrTags); !ok) {
    return ok;
  }
  return check_entries("tags", "tag", target.tags(), kMaxTargetRolesOrTags);
}

// In name order, so the same task is always refused for the same param.
Expected<void> check_params(const google::protobuf::Struct& params) {
  const auto& fields = params.fields();
  if (auto ok = check_items("params", fields.size(), kMaxParams); !ok) return ok;
  std::vector<const std::string*> names;
  names.reserve(fields.size());
  for (const auto& [name, value] : fields) names.push_back(&name);
  std::sort(names.begin(), names.end(), [](auto* a, auto* b) { return *a < *b; });
  for (const std::string* name : names) {
    if (auto ok = check_param_bounds(*name, fields.at(*name)); !ok) return ok;
  }
  return {};
}

}  // namespace

Expected<void> check_task_bounds(const tend::Task& task) {
  if (auto ok = check_texts(task); !ok) return ok;
  if (auto ok = check_target(task.target()); !ok) return ok;
  if (auto ok = check_params(task.params()); !ok) return ok;
  if (task.timeout_s() == 0) return {};  // the default
  return check_range("timeout_s", task.timeout_s(), 1, kMaxTimeoutS, "s");
}

}  // namespace tend
