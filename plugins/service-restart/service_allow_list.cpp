#include "plugins/service-restart/service_allow_list.h"

#include <algorithm>

namespace tend::service_restart {

std::string canonical_service_name(std::string_view name) {
  constexpr std::string_view kSuffix = ".service";
  if (name.size() > kSuffix.size() && name.ends_with(kSuffix)) name.remove_suffix(kSuffix.size());
  return std::string(name);
}

bool service_allowed(std::string_view service, const std::vector<std::string>& allow) {
  std::string wanted = canonical_service_name(service);
  return std::any_of(allow.begin(), allow.end(), [&](const std::string& entry) {
    return canonical_service_name(entry) == wanted;
  });
}

}  // namespace tend::service_restart
