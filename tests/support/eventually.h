// How a test waits for something to happen: it asks again and again until
// the answer is yes or time runs out, never sleeping a fixed time and hoping.
// The one place tests poll; everything that waits on a condition goes here.
//
//   ASSERT_TRUE(eventually([&] { return outbox.pending() == 0; }, 20s));
//   EXPECT_EQ(read_until([&] { return count(sql); }, [](int64_t n) { return n == 3; }), 3);
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

namespace tend::testing {

// How long a test waits unless it says otherwise, and how often it asks
// meanwhile (a poll that costs more, a query or a program run, asks less often).
inline constexpr std::chrono::milliseconds kEventuallyTimeout{5000};
inline constexpr std::chrono::milliseconds kEventuallyPoll{10};

// Asks `condition` until it says true or `timeout` has passed: whether it
// did. It is asked at least once, and once more when the time is up.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = kEventuallyTimeout,
                       std::chrono::milliseconds poll = kEventuallyPoll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(poll, deadline - now));
  }
}

// Reads with `read` until `done(value)` holds or `timeout` has passed; the
// last value read either way, for the test to assert on and show.
template <typename Read, typename Done>
auto read_until(Read&& read, Done&& done, std::chrono::milliseconds timeout = kEventuallyTimeout,
                std::chrono::milliseconds poll = kEventuallyPoll) {
  std::optional<std::decay_t<std::invoke_result_t<Read&>>> last;
  eventually(
      [&] {
        last.emplace(read());
        return static_cast<bool>(done(*last));
      },
      timeout, poll);
  return std::move(*last);
}

}  // namespace tend::testing
