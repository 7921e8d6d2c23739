// Linked into every program and plugin of a TEND_SANITIZE build with GCC.
// GCC links UndefinedBehaviorSanitizer as a runtime of its own beside
// AddressSanitizer's, each with its own copy of the sanitizer common code,
// and UBSan's own attempt to honour log_path calls the exported setter,
// which resolves to ASan's copy: UBSan reports would go to stderr, where a
// runner's or an agent's are easily lost. This gives UBSan's copy the
// log_path of UBSAN_OPTIONS before main, so tests/sanitize/run_checked finds
// its reports like ASan's.
//
// C, not C++: it is linked into C plugins too, which must not need the C++
// run-time (they link with -z defs).
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

enum { kMaxPath = 4096 };  // PATH_MAX

// The value of log_path in a sanitizer options string, into `path`; empty
// if none (or too long to be a path).
static void log_path_in(const char* options, char path[kMaxPath]) {
  path[0] = '\0';
  for (const char* at = options; (at = strstr(at, "log_path=")) != NULL;) {
    at += strlen("log_path=");
    size_t n = strcspn(at, ": ,\t\n");  // the last one wins, as in the runtime
    if (n >= kMaxPath) n = 0;
    memcpy(path, at, n);
    path[n] = '\0';
  }
}

__attribute__((constructor)) static void send_ubsan_reports_to_log_path(void) {
  const char* options = getenv("UBSAN_OPTIONS");
  if (options == NULL) return;
  char path[kMaxPath];
  log_path_in(options, path);
  if (path[0] == '\0') return;
  void* ubsan = dlopen("libubsan.so.1", RTLD_NOLOAD | RTLD_LAZY);
  if (ubsan == NULL) return;  // not GCC's separate runtime: nothing to fix
  typedef void (*SetReportPath)(const char*);
  SetReportPath set = (SetReportPath)dlsym(ubsan, "__sanitizer_set_report_path");
  if (set != NULL) set(path);
}
