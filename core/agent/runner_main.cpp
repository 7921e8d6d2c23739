// tend-plugin-runner: the single-threaded process that runs one task's plugin
// on behalf of tend-agent, so that nothing a plugin does can take the agent
// down. Started ahead of need, it waits on stdin for one RunnerRequest, sets
// its own resource limits, loads the plugin, runs diagnose → remediate →
// verify (→ rollback), writes one RunnerResponse to fd 3 and exits.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "core/agent/frame_io.h"
#include "core/agent/plugin_call.h"
#include "core/agent/plugin_descriptor.h"
#include "core/agent/plugin_file_policy.h"
#include "core/agent/plugin_library.h"
#include "core/agent/plugin_params.h"
#include "core/common/trace_point.h"
#include "schemas/runner.pb.h"

namespace {

constexpr int kAnswerFd = 3;
std::atomic<bool> g_cancel{false};

void on_term(int) { g_cancel = true; }

void limit(int resource, uint64_t value) {
  if (value == 0) return;
  rlimit rl{value, value};
  setrlimit(resource, &rl);
}

// Exits without running destructors or unloading the plugin: the answer is
// out, and nothing a plugin's teardown does can change it any more.
int answer(const tend::RunnerResponse& response) {
  bool ok = static_cast<bool>(tend::write_frame(kAnswerFd, response.SerializeAsString()));
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(ok ? 0 : 1);
}

// A spare runner waits for its task; everything it can do before the task
// arrives is off the task's clock. Protobuf builds its descriptors lazily on
// first use, which otherwise costs about a millisecond per task.
void warm_up() {
  tend::RunnerRequest request;
  (*request.mutable_task()->mutable_params()->mutable_fields())["warm"].set_number_value(1);
  (*request.mutable_settings())["warm"].add_items("up");
  tend::RunnerRequest parsed;
  parsed.ParseFromString(request.SerializeAsString());
  tend::RunnerResponse response;
  (*response.mutable_outputs())["warm"] = "up";
  (*response.mutable_figures())["warm"] = 1;
  response.SerializeAsString();
}

int refuse(const std::string& why, bool rejected) {
  tend::RunnerResponse response;
  response.set_succeeded(false);
  response.set_rejected(rejected);
  response.set_error(why);
  response.set_summary(why);
  return answer(response);
}

// `--describe FILE`: load the file and print its PluginInfo (binary protobuf)
// on stdout, so the agent learns what a plugin is without loading it itself.
int describe(const char* path) {
  auto allowed = tend::check_plugin_file_policy(path, geteuid());
  if (!allowed) return std::fprintf(stderr, "%s\n", allowed.error().message.c_str()), 1;
  auto library = tend::PluginLibrary::load(*allowed);
  if (!library) return std::fprintf(stderr, "%s\n", library.error().message.c_str()), 1;
  auto info = tend::PluginDescriptor::describe((*library)->plugin(), *allowed);
  std::string bytes = info.SerializeAsString();
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  std::fflush(stdout);
  std::_Exit(0);  // without unloading: nothing the plugin's teardown does matters now
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--describe") return describe(argv[2]);
  // Whatever the agent had open is none of the plugin's business.
  closefrom(kAnswerFd + 1);
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // an agent that dies takes its runners along
  if (getppid() == 1) return 0;
  warm_up();

  auto frame = tend::read_frame(STDIN_FILENO);
  if (!frame) return 0;  // the agent let this spare go unused
  tend::trace_point("r.read");
  tend::RunnerRequest request;
  if (!request.ParseFromString(*frame)) return refuse("runner got a malformed request", false);

  struct sigaction sa {};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, nullptr);
  limit(RLIMIT_AS, request.memory_limit_bytes());
  limit(RLIMIT_CPU, request.cpu_limit_s());
  limit(RLIMIT_NOFILE, request.open_files_limit());

  // Checked again here: the file may have changed since the agent loaded it.
  auto allowed = tend::check_plugin_file_policy(request.plugin_path(), geteuid());
  if (!allowed) return refuse(allowed.error().message, false);
  auto library = tend::PluginLibrary::load(*allowed);
  if (!library) return refuse(library.error().message, false);
  tend::trace_point("r.loaded");
  const auto& task = request.task();
  auto params = tend::validate_params((*library)->plugin(), task.params());
  if (!params) return refuse(params.error().message, true);

  auto settings = tend::PluginSettings::from_proto(request.settings());
  auto outcome =
      tend::run_lifecycle(**library, std::move(*params), settings, task.dry_run(), g_cancel);

  tend::trace_point("r.ran");
  tend::RunnerResponse response;
  response.set_succeeded(outcome.succeeded);
  response.set_verified(outcome.verified);
  response.set_summary(outcome.summary);
  response.set_error(outcome.error);
  response.mutable_outputs()->insert(outcome.outputs.begin(), outcome.outputs.end());
  response.mutable_figures()->insert(outcome.figures.begin(), outcome.figures.end());
  return answer(response);
}
