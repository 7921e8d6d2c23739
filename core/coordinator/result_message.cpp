#include "core/coordinator/result_message.h"

#include "bus/subjects.h"
#include "core/common/request_bounds.h"

namespace tend {

Expected<tend::Result> read_result(const Message& msg) {
  tend::Result result;
  if (auto ok = msg.decode(result); !ok) return ok.error();
  if (result.task_id().empty()) {
    result.set_task_id(std::string(Subjects::last_token(msg.subject())));
  }
  if (auto ok = check_subject_name("task id", result.task_id()); !ok) return ok.error();
  if (auto ok = check_subject_name("host", result.host()); !ok) return ok.error();
  return result;
}

}  // namespace tend
