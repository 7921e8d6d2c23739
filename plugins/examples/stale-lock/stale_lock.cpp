// stale-lock: removes a lock file whose owner process is gone — the leftover
// that keeps a cron job or a deploy script from ever running again.
//
// An example of a complete plugin: typed params with defaults, a diagnose
// that decides whether there is anything to do, a dry run that only reports,
// a remediate that changes one thing, and a verify that checks it worked.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;

constexpr tend_param_spec kParams[] = {
    {.name = "path",
     .type = TEND_PARAM_STRING,
     .required = 1,
     .pattern = "^/.+",
     .help = "absolute path of the lock file; it holds the owner's PID"},
    {.name = "min_age",
     .type = TEND_PARAM_DURATION,
     .default_value = "10m",
     .help = "leave younger locks alone even when their owner is gone"},
};

// The PID in the lock file, or 0 when there is none.
long owner_pid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  in >> pid;
  return pid;
}

bool process_alive(long pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

class StaleLock : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context& ctx) override {
    std::string path = ctx.param_string("path");
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
      ctx.summary("no lock at {}", path);
      return Outcome::kNothingToDo;
    }
    long pid = owner_pid(path);
    long age_s = static_cast<long>(std::time(nullptr) - st.st_mtime);
    ctx.output("owner_pid", pid);
    ctx.output("age_s", age_s);
    if (process_alive(pid)) {
      ctx.summary("lock {} is held by running process {}", path, pid);
      return Outcome::kNothingToDo;
    }
    if (age_s < ctx.param_int("min_age")) {
      ctx.summary("lock {} is only {} s old; leaving it", path, age_s);
      return Outcome::kNothingToDo;
    }
    if (ctx.dry_run())
      ctx.summary("would remove {} (owner {} is gone, {} s old)", path, pid, age_s);
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    std::string path = ctx.param_string("path");
    if (unlink(path.c_str()) != 0) {
      ctx.error("cannot remove {}: {}", path, std::strerror(errno));
      return Outcome::kFailed;
    }
    ctx.summary("removed stale lock {}", path);
    ctx.figure("locks_removed", 1);
    return Outcome::kOk;
  }

  Outcome verify(Context& ctx) override {
    std::string path = ctx.param_string("path");
    if (access(path.c_str(), F_OK) == 0 && !process_alive(owner_pid(path))) {
      ctx.error("{} is still there", path);
      return Outcome::kFailed;
    }
    return Outcome::kOk;
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(StaleLock, {.name = "stale-lock",
                                 .version = "1.0.0",
                                 .description = "removes a lock file whose owner process is gone",
                                 .risk = TEND_RISK_LOW,
                                 .supports = TEND_SUPPORTS_DRY_RUN,
                                 .params = kParams,
                                 .param_count = std::size(kParams)});
