#include "plugins/package-update/reboot_flag.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace tend::package_update {

RebootFlag read_reboot_flag(const std::string& path) {
  RebootFlag flag;
  flag.required = access(path.c_str(), F_OK) == 0;
  std::ifstream list(path + ".pkgs");
  std::string line;
  while (std::getline(list, line)) {
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty() &&
        std::find(flag.packages.begin(), flag.packages.end(), line) == flag.packages.end()) {
      flag.packages.push_back(line);
    }
  }
  return flag;
}

}  // namespace tend::package_update
