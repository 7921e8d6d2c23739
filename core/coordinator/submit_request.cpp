#include "core/coordinator/submit_request.h"

#include <fmt/format.h>

#include "bus/names.h"
#include "core/common/request_bounds.h"
#include "core/common/target_matcher.h"
#include "core/common/task_bounds.h"

namespace tend {

Expected<tend::Task> read_submit(std::string_view data, Encoding encoding) {
  tend::Task task;
  if (auto ok = decode(data, encoding, task); !ok) return ok.error();
  if (auto ok = check_task_bounds(task); !ok) return ok.error();
  if (task.plugin().empty()) {
    return make_error("plugin is missing: say which plugin to run, e.g. \"plugin\": \"noop\"");
  }
  if (auto ok = check_subject_name("plugin", task.plugin()); !ok) return ok.error();
  if (auto ok = TargetMatcher::validate(task.target()); !ok) return ok.error();
  if (!task.id().empty()) {
    if (auto ok = check_subject_name("task id", task.id()); !ok) return ok.error();
  }
  if (task.force() && task.approved_by().empty()) {
    return make_error(
        "force needs approved_by: say who approved running this outside the nodes' maintenance "
        "windows, e.g. \"approved_by\": \"alice\"");
  }
  return task;
}

}  // namespace tend
