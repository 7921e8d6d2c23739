// A regular expression that is safe to run on anything from outside: RE2
// (linear time, no recursion, bounded memory), never std::regex, whose
// recursive matcher overflows the stack on a long enough input. One message of
// 100 KB against "^/.+" used to kill the agent that way.
//
// Syntax is RE2's (https://github.com/google/re2/wiki/Syntax): what
// ECMAScript and Go share, without backreferences or lookaround. A pattern
// RE2 refuses is an error naming RE2's reason, never a crash.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace re2 {
class RE2;
}

namespace tend {

class Pattern {
 public:
  // Compiles `expression`; the error reads "pattern ( does not compile:
  // missing ): (".
  static Expected<Pattern> compile(std::string_view expression);

  // The same, compiled once per distinct expression for the life of the
  // process and shared after that (safe from any thread): for patterns that
  // are checked on every task, such as the ones plugins declare.
  static Expected<Pattern> cached(std::string_view expression);

  // True when the pattern matches all of `text` (as std::regex_match and
  // Alertmanager's anchored matchers do).
  bool matches_whole(std::string_view text) const;

  // True when it matches somewhere in `text`.
  bool found_in(std::string_view text) const;

  const std::string& expression() const;

 private:
  explicit Pattern(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace tend
