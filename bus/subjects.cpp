#include "bus/subjects.h"

#include <cctype>

namespace tend {

std::string Subjects::join(std::string_view middle, std::string_view name) const {
  std::string s;
  s.reserve(prefix_.size() + middle.size() + name.size() + 2);
  s.append(prefix_).append(".").append(middle).append(".").append(name);
  return s;
}

// Stream names may not hold '.', '*', '>' or spaces: anything but a letter or
// a digit becomes '_'.
std::string Subjects::stream_name(std::string_view what) const {
  std::string name;
  for (char c : prefix_) {
    name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  }
  return name.append("_").append(what);
}

std::string_view Subjects::last_token(std::string_view subject) {
  auto dot = subject.rfind('.');
  return dot == std::string_view::npos ? subject : subject.substr(dot + 1);
}

}  // namespace tend
