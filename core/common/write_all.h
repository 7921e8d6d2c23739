// Writes all of `data` to a file descriptor, through short writes and
// EINTR. False when a write fails; errno then says why.
#pragma once

#include <string_view>

namespace tend {

bool write_all(int fd, std::string_view data);

}  // namespace tend
