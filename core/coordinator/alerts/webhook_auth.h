// Who may send alerts over HTTP: Alertmanager with the token from
// coordinator.toml, as a bearer token (http_config.authorization) or as the
// password of basic auth (http_config.basic_auth, any user name). Compared in
// constant time. With no token configured every caller is let in (the
// listener is then on loopback: coordinator_config.cpp sees to it).
#pragma once

#include <string>
#include <string_view>

namespace tend::alerts {

class WebhookAuth {
 public:
  explicit WebhookAuth(std::string token) : token_(std::move(token)) {}

  // `authorization` is the Authorization header, "" when absent.
  bool allows(std::string_view authorization) const;
  bool open() const { return token_.empty(); }

 private:
  std::string token_;
};

}  // namespace tend::alerts
