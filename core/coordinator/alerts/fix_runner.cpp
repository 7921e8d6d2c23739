#include "core/coordinator/alerts/fix_runner.h"

namespace tend::alerts {

void DispatcherFixRunner::run(tend::Task task, std::function<void(const tend::Summary&)> done) {
  dispatcher_.submit_internal(std::move(task), TaskOrigin::kAlert, std::move(done));
}

std::vector<std::string> DispatcherFixRunner::hosts(const tend::Target& target) {
  return dispatcher_.expected_hosts(target);
}

}  // namespace tend::alerts
