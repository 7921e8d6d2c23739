#include "core/tendctl/show_command.h"

#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/store_query.h"
#include "core/tendctl/task_detail_view.h"
#include "schemas/query.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kShowTimeout = std::chrono::seconds(30);

}  // namespace

int show_task(const GlobalOptions& options, const std::string& task_id, bool json) {
  tend::ShowRequest request;
  request.set_task_id(task_id);
  tend::ShowReply reply;
  if (int code = ask_store(options, &Subjects::show, request, reply, kShowTimeout); code != 0) {
    return code;
  }
  std::cout << (json ? to_json(reply) + "\n" : render_task_detail(reply, colour_wanted()));
  return 0;
}

}  // namespace tend::tendctl
