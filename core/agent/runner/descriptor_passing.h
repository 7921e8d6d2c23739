// One datagram with file descriptors attached (SCM_RIGHTS), over the
// SOCK_SEQPACKET socket between tend-agent and its runner zygote: how a
// forked runner gets the pipes the agent holds the other ends of.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <tend/unique_fd.hpp>
#include <vector>

#include "bus/expected.h"

namespace tend {

inline constexpr size_t kMaxPassedDescriptors = 4;

// Sends `bytes` and duplicates of `fds` (at most kMaxPassedDescriptors) in
// one datagram; never raises SIGPIPE.
Expected<void> send_datagram(int socket, std::string_view bytes, const std::vector<int>& fds = {});

// Receives one datagram, of at most buffer.size() bytes, and the descriptors
// that came with it. The datagram is read into `buffer` and copied to
// `bytes`; the rest of `buffer` is left untouched (in the zygote, each page
// written after a fork is a copy-on-write fault). An empty error message
// means the other end closed the socket.
Expected<void> receive_datagram(int socket, std::span<char> buffer, std::string& bytes,
                                std::vector<UniqueFd>& fds);

}  // namespace tend
