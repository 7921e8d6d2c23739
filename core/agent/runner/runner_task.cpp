#include "core/agent/runner/runner_task.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "core/agent/plugin_host/plugin_call.h"
#include "core/agent/plugin_host/plugin_file_policy.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/agent/runner/frame_io.h"
#include "core/common/sanitizers.h"
#include "core/common/trace_point.h"
#include "schemas/runner.pb.h"

namespace tend {
namespace {

std::atomic<bool> g_cancel{false};
// The request pipe, kept after the request is read: the agent closes it
// when it lets this runner go (see RunnerPool), and only then does the
// runner exit.
int g_release_fd = -1;

void on_term(int) { g_cancel = true; }

void limit(int resource, uint64_t value) {
  if (value == 0) return;
  rlimit rl{value, value};
  setrlimit(resource, &rl);
}

// Bytes of address space this process has mapped; 0 when /proc cannot say.
uint64_t mapped_bytes() {
  unsigned long pages = 0;
  if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%lu", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// The address-space limit a plugin gets. Under AddressSanitizer the runner
// has already reserved terabytes of shadow and allocator space that it
// never touches, so a plain limit would refuse the plugin's first
// allocation: there the plugin may map `bytes` more than the runner has
// mapped when the task starts (and at the limit ASan reports out of memory
// instead of the allocation failing).
uint64_t address_space_limit(uint64_t bytes) {
  if (!kAddressSanitizer || bytes == 0) return bytes;
  return mapped_bytes() + bytes;
}

// Exits without running destructors or unloading the plugin: the answer is
// out, and nothing a plugin's teardown does can change it any more. Not at
// once, though: tearing a process down costs about as much CPU as the task,
// so it waits until the agent lets it go, which the agent does once it has
// sent the result on (and, on a busy node, once things are quiet).
[[noreturn]] void answer(const tend::RunnerResponse& response) {
  std::fflush(stdout);
  std::fflush(stderr);
  bool ok = static_cast<bool>(write_frame(kRunnerAnswerFd, response.SerializeAsString()));
  ::close(kRunnerAnswerFd);  // the end of the answer, whatever the agent made of it
  if (ok && g_release_fd >= 0) {
    char byte;
    for (;;) {
      ssize_t n = ::read(g_release_fd, &byte, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
  }
  std::_Exit(ok ? 0 : 1);
}

// The plugin gets an empty stdin, as it did when the agent closed the pipe
// after the request; the pipe itself moves out of its way.
void keep_request_pipe() {
  g_release_fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, kRunnerAnswerFd + 1);
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    ::close(null);
  }
}

[[noreturn]] void refuse(const std::string& why, bool rejected) {
  tend::RunnerResponse response;
  response.set_succeeded(false);
  response.set_rejected(rejected);
  response.set_error(why);
  response.set_summary(why);
  answer(response);
}

}  // namespace

void warm_up_runner() {
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

void prefault_task_path(const PreloadedPlugins& preloaded) {
  warm_up_runner();
  const google::protobuf::Struct no_params;
  for (const auto& [path, library] : preloaded) {
    (void)validate_params(library->plugin(), no_params);
  }
  (void)PluginSettings::from_proto({});
}

void serve_one_task(const PreloadedPlugins& preloaded) {
  auto frame = read_frame(STDIN_FILENO);
  if (!frame) std::_Exit(0);  // the agent let this spare go unused
  trace_point("r.read");
  keep_request_pipe();
  tend::RunnerRequest request;
  if (!request.ParseFromString(*frame)) refuse("runner got a malformed request", false);

  struct sigaction sa {};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, nullptr);
  limit(RLIMIT_AS, address_space_limit(request.memory_limit_bytes()));
  limit(RLIMIT_CPU, request.cpu_limit_s());
  limit(RLIMIT_NOFILE, request.open_files_limit());

  // A plugin the zygote loaded ahead passed the file check when it was
  // loaded, and what runs is that code, whatever the file holds now. One
  // loaded here is checked first: the file may have changed since the agent
  // accepted it.
  std::shared_ptr<PluginLibrary> library;
  if (auto it = preloaded.find(request.plugin_path()); it != preloaded.end()) {
    library = it->second;
  } else {
    auto allowed = check_plugin_file_policy(request.plugin_path(), geteuid());
    if (!allowed) refuse(allowed.error().message, false);
    if (auto ahead = preloaded.find(allowed->string()); ahead != preloaded.end()) {
      library = ahead->second;
    } else {
      auto loaded = PluginLibrary::load(*allowed);
      if (!loaded) refuse(loaded.error().message, false);
      library = std::move(*loaded);
    }
  }
  trace_point("r.loaded");
  const auto& task = request.task();
  // The file was replaced since the agent's last reload by another plugin:
  // run nothing the agent did not check the task against.
  if (!task.plugin().empty() && library->name() != task.plugin()) {
    refuse(fmt::format("{} now holds plugin '{}', not '{}': the file changed since the agent's "
                       "last reload; reload it (tendctl reload --host H)",
                       request.plugin_path(), library->name(), task.plugin()),
           false);
  }
  auto params = validate_params(library->plugin(), task.params());
  if (!params) refuse(params.error().message, true);

  auto settings = PluginSettings::from_proto(request.settings());
  auto outcome = run_lifecycle(*library, std::move(*params), settings, task.dry_run(), g_cancel);
  trace_point("r.ran");

  tend::RunnerResponse response;
  response.set_succeeded(outcome.succeeded);
  response.set_verified(outcome.verified);
  response.set_summary(outcome.summary);
  response.set_error(outcome.error);
  response.mutable_outputs()->insert(outcome.outputs.begin(), outcome.outputs.end());
  response.mutable_figures()->insert(outcome.figures.begin(), outcome.figures.end());
  answer(response);
}

}  // namespace tend
