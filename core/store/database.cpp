#include "core/store/database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

namespace tend::store {
namespace {

using namespace std::chrono_literals;

// A server that stays away is mentioned again this often, not at every try.
constexpr auto kComplainEvery = 30s;

}  // namespace

Pause pause_unless(const std::atomic<bool>& stopping) {
  return [&stopping](std::chrono::milliseconds delay) {
    for (auto slept = 0ms; slept < delay && !stopping; slept += 50ms) {
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(50ms, delay - slept));
    }
    return !stopping;
  };
}

Database::Database(std::string url, std::string who, const std::atomic<bool>& stopping)
    : Database(DatabaseOptions{.url = std::move(url),
                               .who = std::move(who),
                               .while_away = "its work waits meanwhile",
                               .wait = pause_unless(stopping)}) {}

Expected<PgConnection*> Database::connection() {
  for (;;) {
    if (conn_ && conn_->ok()) return conn_.get();
    if (options_.wait && !options_.wait(next_try_in())) {
      return make_error(options_.who + " is stopping");
    }
    auto conn = try_connect();
    if (conn || !options_.wait) return conn;
  }
}

Expected<PgConnection*> Database::try_connect() {
  if (conn_ && conn_->ok()) return conn_.get();
  close();  // gone between statements: a new one, at once
  if (Clock::now() < next_try_) return make_error(last_failure_);
  auto conn = open();
  if (!conn) {
    failed(conn.error().message);
    return conn.error();
  }
  conn_ = std::move(*conn);
  {
    std::lock_guard lock(cancel_mu_);
    canceller_.emplace(conn_->canceller());
  }
  came_back();
  return conn_.get();
}

Expected<std::unique_ptr<PgConnection>> Database::open() {
  auto conn = PgConnection::connect(options_.url, options_.connect_timeout);
  if (!conn || !options_.prepare) return conn;
  if (auto ok = options_.prepare(**conn); !ok) {
    return make_error(fmt::format("cannot prepare the session: {}", ok.error().message));
  }
  return conn;
}

void Database::failed(const std::string& why) {
  const auto now = Clock::now();
  connected_ = false;
  last_failure_ = why;
  next_try_ = now + backoff_.next();
  if (away_since_ == Clock::time_point{}) away_since_ = now;
  if (complained_at_ != Clock::time_point{} && now - complained_at_ < kComplainEvery) return;
  complained_at_ = now;
  if (options_.while_away.empty()) {
    spdlog::warn("{}: {}", options_.who, why);
  } else {
    spdlog::warn("{}: {}; {}", options_.who, why, options_.while_away);
  }
}

void Database::came_back() {
  connected_ = true;
  backoff_.reset();
  next_try_ = {};
  if (away_since_ == Clock::time_point{}) {
    spdlog::info("{}: connected to PostgreSQL", options_.who);
    return;
  }
  spdlog::info(
      "{}: PostgreSQL is back after {} s", options_.who,
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - away_since_).count());
  away_since_ = {};
  complained_at_ = {};
}

bool Database::lost(const Error& why) {
  if (!conn_ || conn_->ok()) return false;
  spdlog::info("{}: the connection to PostgreSQL broke ({}); reconnecting", options_.who,
               why.message);
  close();
  return true;
}

std::chrono::milliseconds Database::next_try_in() const {
  const auto left = next_try_ - Clock::now();
  if (left <= Clock::duration::zero()) return 0ms;
  return std::chrono::ceil<std::chrono::milliseconds>(left);
}

void Database::cancel() {
  std::lock_guard lock(cancel_mu_);
  if (canceller_) canceller_->cancel();
}

void Database::close() {
  {
    std::lock_guard lock(cancel_mu_);
    canceller_.reset();
  }
  conn_.reset();
  connected_ = false;
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
