#include "core/common/pattern.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <mutex>

namespace tend {
namespace {

// Plugins declare a handful of patterns each; more distinct ones than this
// means something generates them, and they are then compiled per use.
constexpr size_t kMaxCached = 4096;

}  // namespace

Expected<Pattern> Pattern::compile(std::string_view expression) {
  RE2::Options options;
  options.set_log_errors(false);  // the error goes back to the caller instead
  auto re = std::make_shared<const re2::RE2>(re2::StringPiece(expression.data(), expression.size()),
                                             options);
  if (!re->ok()) {
    return make_error(fmt::format("pattern {} does not compile: {}", expression, re->error()));
  }
  return Pattern(std::move(re));
}

Expected<Pattern> Pattern::cached(std::string_view expression) {
  static std::mutex mu;
  static std::map<std::string, Pattern, std::less<>> compiled;
  {
    std::lock_guard lock(mu);
    if (auto it = compiled.find(expression); it != compiled.end()) return it->second;
  }
  auto pattern = compile(expression);
  if (!pattern) return pattern;
  std::lock_guard lock(mu);
  if (compiled.size() < kMaxCached) compiled.emplace(std::string(expression), *pattern);
  return pattern;
}

bool Pattern::matches_whole(std::string_view text) const {
  return re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Pattern::found_in(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

const std::string& Pattern::expression() const { return re_->pattern(); }

}  // namespace tend
