// A plugin that does the bad things a real plugin might, one per `mode`, so
// tests can show the agent survives each and reports it truthfully:
//   segfault, abort        die by a signal
//   hang                   sleep forever but honour SIGTERM (default action)
//   hang-ignoring-term     ignore SIGTERM: only SIGKILL ends it
//   hang-with-child        leave a child process behind in its process group
//   allocate               allocate and touch memory without bound
//   flood                  write far more to stdout than anyone keeps
//   exit                   exit(7) without reporting anything
//   remember               count its runs in a global and report the count
//                          and its pid: each task must see a fresh process
//   read-stdin             read stdin to its end and report how many bytes
//   wait-for-cancel        the well-behaved hang: sleep until cancelled, then
//                          report failure and exit normally
//   spin                   burn CPU until a limit stops it
//   kill-self              die by SIGKILL without having used much CPU
//   open-files             open files until it may not, and report how many
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <tend/plugin.hpp>
#include <vector>

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;

constexpr tend_param_spec kParams[] = {
    {.name = "mode",
     .type = TEND_PARAM_STRING,
     .required = 1,
     .allowed_values = "segfault,abort,hang,hang-ignoring-term,hang-with-child,allocate,flood,exit,"
                       "remember,read-stdin,wait-for-cancel,spin,kill-self,open-files"},
    // How long hang-with-child's child sleeps: a test that runs beside
    // another looks for its own leftover by this number.
    {.name = "child_seconds", .type = TEND_PARAM_INTEGER, .default_value = "86399"},
};

int runs = 0;  // what a plugin might wrongly keep from one task to the next

// A write through a null pointer, left to the hardware even in a sanitizing
// build (whose UBSan would stop the plugin first): the point is a real
// SIGSEGV.
__attribute__((no_sanitize("undefined"))) void write_to_null() {
  volatile int* nowhere = nullptr;
  *nowhere = 1;
}

[[noreturn]] void sleep_forever() {
  for (;;) pause();
}

class Misbehaving : public tend::sdk::Plugin {
 public:
  Outcome remediate(Context& ctx) override {
    std::string mode = ctx.param_string("mode");
    if (mode == "segfault") {
      write_to_null();
    } else if (mode == "abort") {
      std::abort();
    } else if (mode == "hang") {
      sleep_forever();
    } else if (mode == "hang-ignoring-term") {
      signal(SIGTERM, SIG_IGN);
      sleep_forever();
    } else if (mode == "hang-with-child") {
      // A distinctive command line, so a test can look for leftovers.
      std::string seconds = std::to_string(ctx.param_int("child_seconds", 86399));
      if (fork() == 0) {
        execlp("sleep", "sleep", seconds.c_str(), static_cast<char*>(nullptr));
        _exit(127);
      }
      sleep_forever();
    } else if (mode == "allocate") {
      std::vector<char*> blocks;
      for (;;) {
        char* block = new char[64 << 20];
        std::memset(block, 1, 64 << 20);
        blocks.push_back(block);
      }
    } else if (mode == "flood") {
      std::string line(1023, 'x');
      for (int i = 0; i < 100000; ++i) std::printf("%s\n", line.c_str());
      ctx.summary("flooded stdout with 100 MB");
      return Outcome::kOk;
    } else if (mode == "exit") {
      std::exit(7);
    } else if (mode == "wait-for-cancel") {
      while (!ctx.cancelled()) usleep(5000);
      ctx.error("cancelled");
      return Outcome::kFailed;
    } else if (mode == "read-stdin") {
      char buf[256];
      int64_t total = 0;
      for (ssize_t n; (n = read(0, buf, sizeof buf)) > 0;) total += n;
      ctx.output("stdin_bytes", total);
    } else if (mode == "spin") {  // burns CPU until a limit stops it
      volatile uint64_t n = 0;
      for (;;) n = n + 1;
    } else if (mode == "kill-self") {
      raise(SIGKILL);
    } else if (mode == "open-files") {  // opens files until it may open no more
      std::vector<int> fds;
      for (int fd; (fd = open("/dev/null", O_RDONLY)) >= 0;) fds.push_back(fd);
      const int why_not = errno;
      // Given back before reporting, as a plugin that meets the limit should:
      // reporting may need a descriptor (UBSan's checks open a pipe).
      for (int fd : fds) close(fd);
      ctx.output("opened", static_cast<int64_t>(fds.size()));
      ctx.output("why_not", std::strerror(why_not));
    } else if (mode == "remember") {
      ctx.output("runs", ++runs);
      ctx.output("pid", static_cast<int64_t>(getpid()));
    }
    return Outcome::kOk;
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(Misbehaving, {.name = "misbehaving",
                                   .version = "1.0.0",
                                   .description = "crashes, hangs or floods on request",
                                   .risk = TEND_RISK_HIGH,
                                   .params = kParams,
                                   .param_count = std::size(kParams)});
