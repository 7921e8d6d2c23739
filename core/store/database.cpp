#include "core/store/database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

namespace tend::store {
namespace {

using namespace std::chrono_literals;

constexpr auto kMaxBackoff = 5s;
constexpr auto kComplainEvery = 30s;

}  // namespace

bool Database::connected() {
  if (conn_ && conn_->ok()) return true;
  conn_.reset();
  auto backoff = std::chrono::milliseconds(100);
  auto last_complaint = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    auto conn = PgConnection::connect(url_, 5s);
    if (conn) {
      conn_ = std::move(*conn);
      if (last_complaint != std::chrono::steady_clock::time_point{}) {
        spdlog::info("{}: PostgreSQL is back; handling what waited", who_);
      }
      return true;
    }
    if (std::chrono::steady_clock::now() - last_complaint > kComplainEvery) {
      spdlog::warn("{}: waiting for PostgreSQL ({}); its work waits meanwhile", who_,
                   conn.error().message);
      last_complaint = std::chrono::steady_clock::now();
    }
    // Short slices, so a stop is not kept waiting.
    for (auto slept = 0ms; slept < backoff && !stopping_; slept += 50ms) {
      std::this_thread::sleep_for(50ms);
    }
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
  return false;
}

Expected<PgRows> Database::query(std::string_view sql, const PgParams& params) {
  return run<PgRows>([&](PgConnection& c) { return c.query(sql, params); });
}

Expected<void> Database::exec(std::string_view sql, const PgParams& params) {
  // Expected<void> has no value to carry: wrap it.
  auto done = run<bool>([&](PgConnection& c) -> Expected<bool> {
    auto ok = c.exec(sql, params);
    if (!ok) return ok.error();
    return true;
  });
  if (!done) return done.error();
  return {};
}

}  // namespace tend::store
