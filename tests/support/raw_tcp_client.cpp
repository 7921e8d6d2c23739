#include "tests/support/raw_tcp_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace tend::testing {
namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in loopback(const std::string& ip, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
  return addr;
}

}  // namespace

RawTcpClient::RawTcpClient(const std::string& from_ip, int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  auto from = loopback(from_ip, 0);
  auto to = loopback("127.0.0.1", port);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawTcpClient::~RawTcpClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawTcpClient::send(std::string_view bytes) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

std::optional<std::string> RawTcpClient::read_until_closed(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::array<char, 4096> buffer{};
  while (fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (got <= 0) return received_;  // closed (or reset): what came before is the answer
    received_.append(buffer.data(), static_cast<size_t>(got));
  }
  return received_;
}

std::optional<std::string> RawTcpClient::read_response(std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  std::array<char, 4096> buffer{};
  for (;;) {
    const auto end = received_.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t length = 0;
      const auto header = received_.find("Content-Length: ");
      if (header != std::string::npos && header < end) {
        length = std::stoul(received_.substr(header + 16));
      }
      if (received_.size() >= end + 4 + length) {
        std::string response = received_.substr(0, end + 4 + length);
        received_.erase(0, end + 4 + length);
        return response;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (fd_ < 0 || left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (got <= 0) return std::nullopt;
    received_.append(buffer.data(), static_cast<size_t>(got));
  }
}

}  // namespace tend::testing
