// Routes fill a fix's params, target and service from the alert:
//
//   "{{ labels.mountpoint }}/log"   a label's value
//   "{{ annotations.summary }}"     an annotation's value
//   "{{ host }}"                    the instance label without its port
//                                   (web-01:9100 -> web-01), else the host label
//   "{{ short_host }}"              host up to its first dot
//   "{{ alertname }}", "{{ fingerprint }}"
//
// Placeholders are checked when routes.toml is read; a label the alert lacks
// is an error when the alert comes (the alert is then escalated, saying which).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

// web-01:9100 -> web-01, [::1]:9100 -> ::1, web-01 -> web-01.
std::string without_port(std::string_view instance);

// The host an alert is about: the instance label without its port, else the
// host label; "" when it has neither.
std::string alert_host(const Alert& alert);

class TextTemplate {
 public:
  static Expected<TextTemplate> parse(std::string_view text);
  Expected<std::string> render(const Alert& alert) const;
  bool literal() const { return parts_.size() <= 1 && (parts_.empty() || parts_[0].literal); }

 private:
  struct Part {
    bool literal = true;
    std::string text;  // the literal text, or the placeholder: "labels.x", "host", ...
  };
  std::vector<Part> parts_;
};

// Every string in a JSON tree (a route's params) is a TextTemplate; numbers,
// booleans and the shape of lists and tables are kept.
class ParamTemplate {
 public:
  ParamTemplate() = default;  // no params
  // `what` names the tree in errors, e.g. "params".
  static Expected<ParamTemplate> parse(nlohmann::json tree, std::string_view what);
  Expected<nlohmann::json> render(const Alert& alert) const;
  const nlohmann::json& tree() const { return tree_; }

 private:
  explicit ParamTemplate(nlohmann::json tree) : tree_(std::move(tree)) {}
  nlohmann::json tree_ = nlohmann::json::object();
};

}  // namespace tend::alerts
