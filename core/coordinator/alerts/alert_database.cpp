#include "core/coordinator/alerts/alert_database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;

constexpr auto kMaxBackoff = 5s;
constexpr auto kComplainEvery = 30s;

}  // namespace

std::string timestamp_param(int n) {
  return fmt::format("to_timestamp(${}::double precision / 1000000)", n);
}

std::optional<std::string> time_value(int64_t micros_since_epoch) {
  if (micros_since_epoch == 0) return std::nullopt;
  return std::to_string(micros_since_epoch);
}

std::string epoch_us(std::string_view column) {
  return fmt::format("(extract(epoch from {}) * 1000000)::bigint", column);
}

bool AlertDatabase::connected() {
  if (conn_ && conn_->ok()) return true;
  conn_.reset();
  auto backoff = std::chrono::milliseconds(100);
  auto last_complaint = std::chrono::steady_clock::time_point{};
  while (!stopping_) {
    auto conn = store::PgConnection::connect(url_, 5s);
    if (conn) {
      conn_ = std::move(*conn);
      if (last_complaint != std::chrono::steady_clock::time_point{}) {
        spdlog::info("alerts: PostgreSQL is back; handling the alerts that waited");
      }
      return true;
    }
    if (std::chrono::steady_clock::now() - last_complaint > kComplainEvery) {
      spdlog::warn("alerts: waiting for PostgreSQL ({}); alerts wait meanwhile",
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

Expected<store::PgRows> AlertDatabase::query(std::string_view sql, const store::PgParams& params) {
  return run<store::PgRows>([&](store::PgConnection& c) { return c.query(sql, params); });
}

Expected<void> AlertDatabase::exec(std::string_view sql, const store::PgParams& params) {
  // Expected<void> has no value to carry: wrap it.
  auto done = run<bool>([&](store::PgConnection& c) -> Expected<bool> {
    auto ok = c.exec(sql, params);
    if (!ok) return ok.error();
    return true;
  });
  if (!done) return done.error();
  return {};
}

}  // namespace tend::alerts
