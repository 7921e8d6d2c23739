// A label matcher as Alertmanager writes them: `name="value"` (equal),
// `name!="value"` (not equal), `name=~"regex"` and `name!~"regex"`. Regexes
// match the whole value, as in Alertmanager, and use its syntax: RE2's, which
// is also linear in time, so no label an alert carries can stall the matcher. Quotes are optional
// when the value has no spaces or commas.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "core/common/pattern.h"
#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

class LabelMatcher {
 public:
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };

  static Expected<LabelMatcher> parse(std::string_view text);

  // A label the alert lacks reads as "", as in Alertmanager: `env!="prod"`
  // matches an alert with no env label.
  bool matches(const Labels& labels) const;

  const std::string& name() const { return name_; }
  Op op() const { return op_; }
  const std::string& value() const { return value_; }
  // `name="value"`, as it would be written.
  std::string text() const;

 private:
  LabelMatcher(std::string name, Op op, std::string value, std::optional<Pattern> re)
      : name_(std::move(name)), op_(op), value_(std::move(value)), re_(std::move(re)) {}

  std::string name_;
  Op op_;
  std::string value_;
  std::optional<Pattern> re_;  // for the regex ops
};

}  // namespace tend::alerts
