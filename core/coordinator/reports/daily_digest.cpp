#include "core/coordinator/reports/daily_digest.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bus/codec.h"
#include "core/coordinator/reports/digest_figures.h"
#include "core/coordinator/reports/digest_markdown.h"
#include "core/coordinator/reports/digest_timing.h"
#include "core/store/audit_entry.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

// Wakes at least this often: a clock set forward, or a day missed while the
// machine slept, is noticed within a minute.
constexpr auto kLongestSleep = 60s;

std::chrono::sys_seconds seconds_of(WallClock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

}  // namespace

DailyDigestService::DailyDigestService(DailyDigestOptions options, Connection& connection,
                                       store::TaskStore& audit, const WallClock& clock)
    : options_(std::move(options)),
      conn_(connection),
      audit_(audit),
      clock_(clock),
      zone_(options_.config.timezone.empty() ? TimeZone::local()
                                             : *TimeZone::named(options_.config.timezone)),
      db_(store::DatabaseOptions{.url = options_.database_url, .who = "reports"}),
      loop_(*this, "daily-digest", "reports") {}

DailyDigestService::~DailyDigestService() { stop(); }

void DailyDigestService::start() {
  spdlog::info("reports: daily digest at {:02}:{:02} {}", options_.config.daily_at.count() / 60,
               options_.config.daily_at.count() % 60, zone_.name());
  loop_.start();
}

void DailyDigestService::stop() { loop_.stop(); }

void DailyDigestService::on_wake() {
  const auto now = seconds_of(clock_.now());
  if (auto due = digest_due(now, zone_, options_.config.daily_at, last_day_)) {
    auto sent = send(due->day, now);
    if (sent) {
      last_day_ = due->day;  // sent here, or by another coordinator
    } else {
      spdlog::error("reports: daily digest for {} not made: {}; trying again in a minute", due->day,
                    sent.error().message);
    }
  }
  auto next = next_digest_time(now, zone_, options_.config.daily_at);
  auto sleep = std::min<std::chrono::seconds>(next - now, kLongestSleep);
  next_check_ = Clock::now() + std::max<std::chrono::seconds>(sleep, 1s);
}

Expected<std::optional<tend::DailyDigest>> DailyDigestService::send(const std::string& day,
                                                                    std::chrono::sys_seconds to) {
  auto live = db_.connection();
  if (!live) return live.error();
  store::PgConnection& db = **live;
  auto claimed = db.query(
      "INSERT INTO daily_digests (day, timezone, owner) VALUES ($1, $2, $3) "
      "ON CONFLICT (day) DO NOTHING RETURNING day",
      {day, zone_.name(), options_.owner});
  if (!claimed) return claimed.error();
  if (claimed->empty()) return std::optional<tend::DailyDigest>();  // another coordinator's

  auto digest = gather_digest_figures(db, to - std::chrono::hours(24), to);
  if (!digest) {
    // Give the day back, so the next try (here or elsewhere) can have it.
    (void)db.exec("DELETE FROM daily_digests WHERE day = $1 AND owner = $2", {day, options_.owner});
    return digest.error();
  }
  digest->set_day(day);
  digest->set_timezone(zone_.name());
  estimate_time_saved(*digest, options_.config.minutes_per_fix,
                      options_.config.minutes_per_maintained_host);
  digest->set_markdown(render_digest_markdown(*digest));

  if (auto ok = db.exec(
          "UPDATE daily_digests SET markdown = $2, digest = $3 WHERE day = $1",
          {day, digest->markdown(), store::PgConnection::bytea_text(digest->SerializeAsString())});
      !ok) {
    spdlog::warn("reports: daily digest for {} not kept: {}", day, ok.error().message);
  }
  if (auto ok = conn_.publish(options_.subjects.report("daily"), *digest, Encoding::kJson); !ok) {
    spdlog::error("reports: daily digest not published: {}", ok.error().message);
  }
  write_file(*digest);
  audit_.audit(store::audit_entry(options_.owner, "report", "daily", "",
                                  {{"day", day},
                                   {"automatic_fixes", digest->automatic_fixes()},
                                   {"escalations", digest->escalations()}}));
  spdlog::info("reports: daily digest for {} sent", day);
  return std::optional<tend::DailyDigest>(std::move(*digest));
}

// Whole or not at all: written aside, then renamed into place.
void DailyDigestService::write_file(const tend::DailyDigest& digest) {
  if (options_.config.daily_dir.empty()) return;
  namespace fs = std::filesystem;
  const fs::path dir = options_.config.daily_dir;
  const fs::path final_path = dir / fmt::format("tend-daily-{}.md", digest.day());
  const fs::path temp = dir / fmt::format(".tend-daily-{}.md.{}", digest.day(), getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << digest.markdown();
    if (!out.flush()) {
      spdlog::error("reports: cannot write {}: is [reports] daily_dir writable?", temp.string());
      std::error_code ec;
      fs::remove(temp, ec);
      return;
    }
  }
  std::error_code ec;
  fs::rename(temp, final_path, ec);
  if (ec) spdlog::error("reports: cannot write {}: {}", final_path.string(), ec.message());
}

}  // namespace tend
