/*
 * tend/expected.hpp — errors as values, for plugins and for tend itself.
 *
 * A failure that can be expected (a bad param, a missing file, a server that
 * does not answer) comes back as an Error whose message an operator can act
 * on, rather than as an exception or a flag with an out-parameter:
 *
 *   tend::Expected<int> read_port(const std::string& text);
 *
 *   auto port = read_port(ctx.param_string("port"));
 *   if (!port) {
 *     ctx.error(port.error().message);
 *     return tend::sdk::Outcome::kFailed;
 *   }
 *   connect(*port);
 *
 * Header-only and standard C++ only, like the rest of the SDK.
 */
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tend {

struct Error {
  std::string message;
};

// Holds either a T or an Error. Modelled on std::expected (C++23), which
// C++20 does not have.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// For operations that return nothing on success.
template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

inline Error make_error(std::string message) { return Error{std::move(message)}; }

}  // namespace tend
