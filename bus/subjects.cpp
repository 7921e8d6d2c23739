#include "bus/subjects.h"

namespace tend {

std::string Subjects::join(std::string_view middle, std::string_view name) const {
  std::string s;
  s.reserve(prefix_.size() + middle.size() + name.size() + 2);
  s.append(prefix_).append(".").append(middle).append(".").append(name);
  return s;
}

std::string_view Subjects::last_token(std::string_view subject) {
  auto dot = subject.rfind('.');
  return dot == std::string_view::npos ? subject : subject.substr(dot + 1);
}

}  // namespace tend
