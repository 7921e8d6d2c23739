#include "core/tendctl/task_builder.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>

#include "bus/names.h"
#include "core/common/duration.h"
#include "core/common/target_matcher.h"

namespace tend::tendctl {
namespace {

bool is_number(std::string_view text) {
  double value;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// "[a,b]" or a JSON array: a list of strings.
google::protobuf::Value list_value(std::string_view text) {
  google::protobuf::Value value;
  auto* list = value.mutable_list_value();
  std::string_view inner = text.substr(1, text.size() - 2);
  if (google::protobuf::Value json;
      google::protobuf::util::JsonStringToMessage(std::string(text), &json).ok() &&
      json.has_list_value()) {
    return json;
  }
  while (!inner.empty()) {
    auto comma = inner.find(',');
    std::string_view item = inner.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) list->add_values()->set_string_value(std::string(item));
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  return value;
}

google::protobuf::Value parse_value(std::string_view text) {
  google::protobuf::Value value;
  if (text == "true" || text == "false") {
    value.set_bool_value(text == "true");
  } else if (is_number(text)) {
    value.set_number_value(std::stod(std::string(text)));
  } else if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    return list_value(text);
  } else {
    value.set_string_value(std::string(text));
  }
  return value;
}

}  // namespace

Expected<tend::Task> build_task(const RunArguments& args) {
  tend::Task task;
  if (auto ok = check_name("plugin", args.plugin); !ok) return ok.error();
  task.set_plugin(args.plugin);
  auto* target = task.mutable_target();
  for (const auto& h : args.hosts) target->add_hosts(h);
  for (const auto& r : args.roles) target->add_roles(r);
  for (const auto& t : args.tags) target->add_tags(t);
  target->set_all(args.all);
  if (auto ok = TargetMatcher::validate(*target); !ok) {
    return make_error(ok.error().message + " (use --host, --role, --tag or --all)");
  }
  for (const auto& param : args.params) {
    auto eq = param.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(fmt::format("parameter '{}' is not key=value", param));
    }
    (*task.mutable_params()->mutable_fields())[param.substr(0, eq)] =
        parse_value(std::string_view(param).substr(eq + 1));
  }
  if (!args.timeout.empty()) {
    auto timeout = parse_duration(args.timeout);
    if (!timeout) return make_error("--timeout: " + timeout.error().message);
    if (timeout->count() == 0) return make_error("--timeout must be more than 0 seconds");
    task.set_timeout_s(static_cast<uint32_t>(timeout->count()));
  }
  task.set_dry_run(args.dry_run);
  task.set_reason(args.reason);
  task.set_requested_by(args.requested_by);
  return task;
}

}  // namespace tend::tendctl
