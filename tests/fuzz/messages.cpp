// Any bytes that reach tend as a Task (tend.task.*, tend.submit), a Control
// (tend.control.*), an ApprovalAnswer (tend.approve.*, tend.deny.*) or a
// Summary (what tendctl reads), in JSON or in protobuf:
//
// - decoding gives the message or an error, and nothing else happens;
// - a message that decodes, encoded again the same way, decodes to itself;
// - a task meets every check the agent makes before it runs anything (its
//   id, its target, the plugin, dry run, the params against the real
//   plugin's table, the node's maintenance windows) and the coordinator's
//   submit checks, and each is an answer, never a crash; params that pass
//   hold only declared names, with every required one and every default;
// - a summary renders as tendctl shows it.
//
// The first byte says what the rest is: t/T a task, c/C a control, a/A an
// approval, s/S a summary; lower case JSON, upper case protobuf.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "bus/codec.h"
#include "bus/names.h"
#include "core/agent/config/maintenance_policy.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/common/target_matcher.h"
#include "core/common/task_id.h"
#include "core/coordinator/submit_request.h"
#include "core/tendctl/result_table.h"
#include "schemas/approval.pb.h"
#include "schemas/control.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/fuzz/support/builtin_plugins.h"
#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {
namespace {

const NodeIdentity kNode{"web-01", "web-server", {"production", "nginx"}};

// The README's [maintenance] example, at a time outside its windows.
const MaintenancePolicy& maintenance() {
  static const MaintenancePolicy policy = *MaintenancePolicy::read(toml::parse(R"(
    [maintenance]
    timezone = "Europe/Berlin"
    windows = ["Sun 01:00-05:00", "Mon-Fri 22:00-02:00"]
    risk = "high"
    plugins = ["package-update", "service-restart"]
    blackout = ["2026-12-24", "2026-12-28..2027-01-02"]
  )"),
                                                                   "agent.toml");
  return policy;
}
const auto kMonday10Utc =  // 2026-11-23 10:00 UTC
    std::chrono::system_clock::time_point(std::chrono::seconds(1795428000));

std::string canonical(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

void require_round_trip(const google::protobuf::Message& message, Encoding encoding) {
  std::unique_ptr<google::protobuf::Message> again(message.New());
  bool decoded = static_cast<bool>(decode(encode(message, encoding), encoding, *again));
  require(decoded && canonical(*again) == canonical(message),
          "a message that decodes, encoded again the same way, decodes to itself");
}

void require_only_declared(const tend_plugin& plugin, const PluginParams& params) {
  std::span<const tend_param_spec> specs(plugin.params, plugin.param_count);
  for (const auto& [name, value] : params.values()) {
    bool declared = false;
    for (const auto& spec : specs) {
      if (name == spec.name) declared = value.type == spec.type;
    }
    require(declared, "validated params hold only declared names, each of its declared type");
  }
  for (const auto& spec : specs) {
    if (spec.required || spec.default_value) {
      require(params.has(spec.name), "validated params hold every required param and default");
    }
  }
}

bool has_target(const tend::Task& task) {
  const auto& t = task.target();
  return t.all() || !t.hosts().empty() || !t.roles().empty() || !t.tags().empty();
}

// What Agent::on_task and IsolatedRunner::admit decide, in their order.
void agent_checks(tend::Task task, std::string_view body) {
  if (task.id().empty()) {
    task.set_id(derived_task_id("tend.task.all", "", body));
    require(is_valid_name(task.id()), "an id the agent derives can be in a subject");
  }
  if (!check_name("task id", task.id())) return;
  if (has_target(task) && !TargetMatcher(task.target()).matches(kNode)) return;
  auto plugin = builtin_plugins().find(task.plugin());
  if (!plugin) return;
  if (task.dry_run() && !(plugin->plugin().supports & TEND_SUPPORTS_DRY_RUN)) return;
  auto params = validate_params(plugin->plugin(), task.params());
  if (!params) {
    // Bounds read the same wherever they are met ("param 'command' is 300000
    // bytes; the limit is 4096"); every other refusal names the plugin.
    const auto& why = params.error().message;
    const bool named = why.starts_with("plugin " + task.plugin()) || why.starts_with("param ");
    if (!named) std::fprintf(stderr, "refusal: %s\n", why.c_str());
    require(named, "a refused param names the plugin, or the param and its bound");
    return;
  }
  require_only_declared(plugin->plugin(), *params);
  (void)maintenance().check(task, plugin->info().risk(), kMonday10Utc);
}

void coordinator_checks(std::string_view body, Encoding encoding) {
  auto task = read_submit(body, encoding);
  if (!task) return;
  require(TargetMatcher::validate(task->target()) && is_valid_name(task->plugin()),
          "a task the coordinator accepts has a plugin and a valid target");
}

template <typename M>
void read(std::string_view body, Encoding encoding) {
  M message;
  if (!decode(body, encoding, message)) return;
  require_round_trip(message, encoding);
  if constexpr (std::is_same_v<M, tend::Task>) {
    agent_checks(message, body);
    coordinator_checks(body, encoding);
  }
  if constexpr (std::is_same_v<M, tend::Summary>) {
    (void)tendctl::render_summary(message, std::chrono::milliseconds(5), /*colour=*/true);
  }
}

// t, c, a, s; upper case for protobuf. Any other byte: its value modulo 8.
constexpr std::string_view kKinds = "tcasTCAS";
using Reader = void (*)(std::string_view, Encoding);
constexpr Reader kReaders[] = {read<tend::Task>, read<tend::Control>, read<tend::ApprovalAnswer>,
                               read<tend::Summary>};

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  if (size == 0) return 0;
  size_t kind = kKinds.find(static_cast<char>(data[0]));
  if (kind == std::string_view::npos) kind = data[0] % 8;
  const auto encoding = kind < 4 ? tend::Encoding::kJson : tend::Encoding::kProtobuf;
  kReaders[kind % 4](std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), encoding);
  return 0;
}
