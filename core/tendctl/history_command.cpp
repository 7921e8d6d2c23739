#include "core/tendctl/history_command.h"

#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/history_table.h"
#include "core/tendctl/store_query.h"

namespace tend::tendctl {
namespace {

constexpr auto kHistoryTimeout = std::chrono::seconds(30);

}  // namespace

tend::HistoryRequest history_request(const HistoryArguments& args) {
  tend::HistoryRequest request;
  request.set_host(args.host);
  request.set_plugin(args.plugin);
  request.set_status(args.status);
  request.set_since(args.since);
  request.set_limit(args.limit);
  return request;
}

int show_history(const GlobalOptions& options, const HistoryArguments& args, bool json) {
  tend::HistoryReply reply;
  if (int code =
          ask_store(options, &Subjects::history, history_request(args), reply, kHistoryTimeout);
      code != 0) {
    return code;
  }
  std::cout << (json ? to_json(reply) + "\n" : render_history(reply, colour_wanted()));
  return 0;
}

}  // namespace tend::tendctl
