// tend-plugin-runner: the single-threaded processes that run plugins on
// behalf of tend-agent, so that nothing a plugin does can take the agent
// down. Three ways to start it:
//   tend-plugin-runner --zygote         the runner zygote (zygote_server.h):
//                                       loads plugins once, forks a runner
//                                       per task; socket on fd 3
//   tend-plugin-runner                  one runner for one task (runner_task.h),
//                                       when no zygote is available
//   tend-plugin-runner --describe FILE  prints the plugin's PluginInfo
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/agent/plugin_host/plugin_descriptor.h"
#include "core/agent/plugin_host/plugin_file_policy.h"
#include "core/agent/plugin_host/plugin_library.h"
#include "core/agent/runner/runner_task.h"
#include "core/agent/runner/zygote_server.h"

namespace {

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
  closefrom(tend::kRunnerAnswerFd + 1);
  if (argc == 2 && std::string_view(argv[1]) == "--zygote") {
    tend::serve_as_zygote(tend::kRunnerAnswerFd);
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // an agent that dies takes its runners along
  prctl(PR_SET_NAME, "tend-runner");
  if (getppid() == 1) return 0;
  tend::warm_up_runner();
  tend::serve_one_task({});
}
