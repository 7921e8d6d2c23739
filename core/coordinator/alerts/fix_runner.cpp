#include "core/coordinator/alerts/fix_runner.h"

#include "core/coordinator/coordinator.h"

namespace tend::alerts {

void CoordinatorFixRunner::run(tend::Task task, std::function<void(const tend::Summary&)> done) {
  coordinator_.submit_internal(std::move(task), TaskOrigin::kAlert, std::move(done));
}

std::vector<std::string> CoordinatorFixRunner::hosts(const tend::Target& target) {
  return coordinator_.expected_hosts(target);
}

}  // namespace tend::alerts
