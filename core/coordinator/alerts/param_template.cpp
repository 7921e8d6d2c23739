#include "core/coordinator/alerts/param_template.h"

#include <fmt/format.h>

#include <cctype>

namespace tend::alerts {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool name_ok(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

Expected<void> check_placeholder(std::string_view p, std::string_view whole) {
  if (p == "host" || p == "short_host" || p == "alertname" || p == "fingerprint") return {};
  for (std::string_view prefix : {"labels.", "annotations."}) {
    if (p.starts_with(prefix) && name_ok(p.substr(prefix.size()))) return {};
  }
  return make_error(
      fmt::format("'{{{{ {} }}}}' in \"{}\" is not a placeholder tend knows: use labels.NAME, "
                  "annotations.NAME, host, short_host, alertname or fingerprint",
                  p, whole));
}

Expected<std::string> value_of(const std::string& p, const Alert& alert) {
  auto from = [&](const Labels& map, std::string_view kind, size_t skip) -> Expected<std::string> {
    auto it = map.find(p.substr(skip));
    if (it == map.end()) {
      return make_error(fmt::format("the alert has no {} '{}'", kind, p.substr(skip)));
    }
    return it->second;
  };
  if (p.starts_with("labels.")) return from(alert.labels, "label", 7);
  if (p.starts_with("annotations.")) return from(alert.annotations, "annotation", 12);
  if (p == "alertname") return alert.alertname();
  if (p == "fingerprint") return alert.fingerprint;
  std::string host = alert_host(alert);
  if (host.empty()) return make_error("the alert has neither an instance nor a host label");
  if (p == "short_host") return host.substr(0, host.find('.'));
  return host;
}

Expected<void> check_tree(const nlohmann::json& node, const std::string& where) {
  if (node.is_string()) {
    auto t = TextTemplate::parse(node.get<std::string>());
    if (!t) return make_error(fmt::format("{}: {}", where, t.error().message));
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      if (auto ok = check_tree(node[i], fmt::format("{}[{}]", where, i)); !ok) return ok;
    }
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (auto ok = check_tree(value, fmt::format("{}.{}", where, key)); !ok) return ok;
    }
  }
  return {};
}

Expected<nlohmann::json> render_tree(const nlohmann::json& node, const Alert& alert,
                                     const std::string& where) {
  if (node.is_string()) {
    auto t = TextTemplate::parse(node.get<std::string>());
    if (!t) return t.error();
    auto text = t->render(alert);
    if (!text) return make_error(fmt::format("{}: {}", where, text.error().message));
    return nlohmann::json(*text);
  }
  if (node.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < node.size(); ++i) {
      auto item = render_tree(node[i], alert, fmt::format("{}[{}]", where, i));
      if (!item) return item;
      out.push_back(std::move(*item));
    }
    return out;
  }
  if (node.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : node.items()) {
      auto item = render_tree(value, alert, fmt::format("{}.{}", where, key));
      if (!item) return item;
      out[key] = std::move(*item);
    }
    return out;
  }
  return node;
}

}  // namespace

std::string without_port(std::string_view instance) {
  if (instance.starts_with('[')) {
    auto close = instance.find(']');
    if (close != std::string_view::npos) return std::string(instance.substr(1, close - 1));
  }
  auto colon = instance.find(':');
  if (colon != std::string_view::npos && instance.find(':', colon + 1) == std::string_view::npos) {
    return std::string(instance.substr(0, colon));
  }
  return std::string(instance);  // no port, or a bare IPv6 address
}

std::string alert_host(const Alert& alert) {
  if (auto it = alert.labels.find("instance"); it != alert.labels.end() && !it->second.empty()) {
    return without_port(it->second);
  }
  if (auto it = alert.labels.find("host"); it != alert.labels.end()) return it->second;
  return "";
}

Expected<TextTemplate> TextTemplate::parse(std::string_view text) {
  TextTemplate t;
  size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      t.parts_.push_back({true, std::string(text.substr(pos))});
      break;
    }
    if (open > pos) t.parts_.push_back({true, std::string(text.substr(pos, open - pos))});
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return make_error(fmt::format("\"{}\" opens {{{{ without closing it with }}}}", text));
    }
    std::string_view placeholder = trim(text.substr(open + 2, close - open - 2));
    if (auto ok = check_placeholder(placeholder, text); !ok) return ok.error();
    t.parts_.push_back({false, std::string(placeholder)});
    pos = close + 2;
  }
  return t;
}

Expected<std::string> TextTemplate::render(const Alert& alert) const {
  std::string out;
  for (const auto& part : parts_) {
    if (part.literal) {
      out += part.text;
      continue;
    }
    auto value = value_of(part.text, alert);
    if (!value) return value;
    out += *value;
  }
  return out;
}

Expected<ParamTemplate> ParamTemplate::parse(nlohmann::json tree, std::string_view what) {
  if (auto ok = check_tree(tree, std::string(what)); !ok) return ok.error();
  return ParamTemplate(std::move(tree));
}

Expected<nlohmann::json> ParamTemplate::render(const Alert& alert) const {
  return render_tree(tree_, alert, "params");
}

}  // namespace tend::alerts
