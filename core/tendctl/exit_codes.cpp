#include "core/tendctl/exit_codes.h"

#include <algorithm>

namespace tend::tendctl {

int exit_code_for(const tend::Summary& summary) {
  // A task that reached nobody fixed nothing: a script must not read it as
  // success. The counts are checked as well as the lists, in case a summary
  // fills one and not the other.
  if (summary.expected() == 0 || summary.missing_size() > 0 ||
      summary.responded() < summary.expected()) {
    return kSomeMissing;
  }
  const bool any_result_failed =
      std::any_of(summary.results().begin(), summary.results().end(),
                  [](const tend::Result& r) { return r.status() != tend::SUCCEEDED; });
  if (summary.failed() > 0 || summary.succeeded() < summary.responded() || any_result_failed) {
    return kSomeFailed;
  }
  return kAllSucceeded;
}

}  // namespace tend::tendctl
