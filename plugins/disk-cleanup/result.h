// A value or the reason there is none, in words an operator can act on.
// Failure is expected here (a root that is missing, a file that changed under
// us), so it is a value rather than an exception.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tend::disk_cleanup {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  static Result failure(std::string reason) {
    Result result;
    result.error_ = std::move(reason);
    return result;
  }

  explicit operator bool() const { return value_.has_value(); }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const std::string& error() const { return error_; }

 private:
  Result() = default;
  std::optional<T> value_;
  std::string error_;
};

}  // namespace tend::disk_cleanup
