#include "core/coordinator/alerts/label_matcher.h"

#include <fmt/format.h>

#include <cctype>

namespace tend::alerts {
namespace {

bool label_name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Expected<std::string> unquote(std::string_view raw, std::string_view whole) {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 2 < raw.size()) {
        char next = raw[++i];
        out += next == 'n' ? '\n' : next;
      } else if (raw[i] == '"') {
        return make_error(
            fmt::format("matcher '{}': a quote inside the value needs a backslash", whole));
      } else {
        out += raw[i];
      }
    }
    return out;
  }
  if (raw.find('"') != std::string_view::npos) {
    return make_error(fmt::format("matcher '{}': the value's quotes do not pair up", whole));
  }
  return std::string(raw);
}

}  // namespace

Expected<LabelMatcher> LabelMatcher::parse(std::string_view text) {
  std::string_view s = trim(text);
  size_t i = 0;
  while (i < s.size() && label_name_char(s[i], i == 0)) ++i;
  if (i == 0) {
    return make_error(
        fmt::format("matcher '{}' must start with a label name, e.g. severity=\"critical\"", text));
  }
  std::string name(s.substr(0, i));
  std::string_view rest = trim(s.substr(i));
  Op op;
  if (rest.starts_with("=~")) {
    op = Op::kRegex;
  } else if (rest.starts_with("!~")) {
    op = Op::kNotRegex;
  } else if (rest.starts_with("!=")) {
    op = Op::kNotEqual;
  } else if (rest.starts_with("=")) {
    op = Op::kEqual;
  } else {
    return make_error(
        fmt::format("matcher '{}': after the label name comes =, !=, =~ or !~ and a value", text));
  }
  auto value = unquote(trim(rest.substr(op == Op::kEqual ? 1 : 2)), text);
  if (!value) return value.error();
  std::optional<Pattern> re;
  if (op == Op::kRegex || op == Op::kNotRegex) {
    auto compiled = Pattern::compile(*value);
    if (!compiled) {
      return make_error(fmt::format("matcher '{}': the regex does not compile ({})", text,
                                    compiled.error().message));
    }
    re = std::move(*compiled);
  }
  return LabelMatcher(std::move(name), op, std::move(*value), std::move(re));
}

bool LabelMatcher::matches(const Labels& labels) const {
  auto it = labels.find(name_);
  const std::string& actual = it == labels.end() ? std::string() : it->second;
  switch (op_) {
    case Op::kEqual:
      return actual == value_;
    case Op::kNotEqual:
      return actual != value_;
    case Op::kRegex:
      return re_->matches_whole(actual);
    case Op::kNotRegex:
      return !re_->matches_whole(actual);
  }
  return false;
}

std::string LabelMatcher::text() const {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  return fmt::format("{}{}\"{}\"", name_, kOps[static_cast<int>(op_)], value_);
}

}  // namespace tend::alerts
