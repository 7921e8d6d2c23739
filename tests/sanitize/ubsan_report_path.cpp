// Linked into every program and plugin of a TEND_SANITIZE build with GCC.
// GCC links UndefinedBehaviorSanitizer as a runtime of its own beside
// AddressSanitizer's, each with its own copy of the sanitizer common code,
// and UBSan's own attempt to honour log_path calls the exported setter,
// which resolves to ASan's copy: UBSan reports would go to stderr, where a
// runner's or an agent's are easily lost. This gives UBSan's copy the
// log_path of UBSAN_OPTIONS before main, so tests/sanitize/run_checked finds
// its reports like ASan's.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// The value of log_path in a sanitizer options string; empty if none.
std::string log_path_in(const char* options) {
  std::string path;
  for (const char* at = options; (at = std::strstr(at, "log_path=")) != nullptr;) {
    at += std::strlen("log_path=");
    path.assign(at, std::strcspn(at, ": ,\t\n"));  // the last one wins, as in the runtime
  }
  return path;
}

__attribute__((constructor)) void send_ubsan_reports_to_log_path() {
  const char* options = std::getenv("UBSAN_OPTIONS");
  if (options == nullptr) return;
  const std::string path = log_path_in(options);
  if (path.empty()) return;
  void* ubsan = dlopen("libubsan.so.1", RTLD_NOLOAD | RTLD_LAZY);
  if (ubsan == nullptr) return;  // not GCC's separate runtime: nothing to fix
  using SetReportPath = void (*)(const char*);
  if (auto set = reinterpret_cast<SetReportPath>(dlsym(ubsan, "__sanitizer_set_report_path"))) {
    set(path.c_str());
  }
}

}  // namespace
