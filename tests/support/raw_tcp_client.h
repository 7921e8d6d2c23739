// A TCP client that sends exactly the bytes a test says, when it says, from
// a loopback address of its choice (127.0.0.2 is another client than
// 127.0.0.1 to the server): for slow and hostile HTTP clients.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tend::testing {

class RawTcpClient {
 public:
  // Connects from `from_ip` (port chosen by the kernel) to 127.0.0.1:`port`.
  RawTcpClient(const std::string& from_ip, int port);
  ~RawTcpClient();
  RawTcpClient(const RawTcpClient&) = delete;
  RawTcpClient& operator=(const RawTcpClient&) = delete;

  bool connected() const { return fd_ >= 0; }

  // False once the server has closed or reset the connection.
  bool send(std::string_view bytes);

  // What the server sent until it closed the connection, or nothing when it
  // is still open after `timeout`.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout);

  // One HTTP response (headers and a Content-Length body), or nothing when
  // it has not arrived whole within `timeout`.
  std::optional<std::string> read_response(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string received_;
};

}  // namespace tend::testing
