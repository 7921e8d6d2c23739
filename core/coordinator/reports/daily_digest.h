// The morning digest: at [reports] daily_at, local time, the coordinator
// whose claim on the day goes in first (daily_digests' primary key, so one
// digest however many coordinators run) gathers the last 24 hours from the
// store, publishes the DailyDigest on tend.report.daily, keeps it, writes it
// as Markdown into [reports] daily_dir when that is set, and audits it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/common/actor.h"
#include "core/common/time_zone.h"
#include "core/common/wall_clock.h"
#include "core/coordinator/reports/reports_config.h"
#include "core/store/database.h"
#include "core/store/task_store.h"
#include "schemas/report.pb.h"

namespace tend {

struct DailyDigestOptions {
  std::string database_url;
  std::string owner;  // this coordinator's name
  Subjects subjects;
  ReportsConfig config;
};

// Its thread is an Actor that takes no events: it only wakes when a digest
// may be due.
class DailyDigestService final : private Actor<std::monostate>::Owner {
 public:
  DailyDigestService(DailyDigestOptions options, Connection& connection, store::TaskStore& audit,
                     const WallClock& clock);
  ~DailyDigestService() override;
  DailyDigestService(const DailyDigestService&) = delete;
  DailyDigestService& operator=(const DailyDigestService&) = delete;

  void start();
  void stop();

  // Makes and sends the digest for `day` ending at `to` now, if this
  // coordinator wins the day's claim. The digest, or nothing when another
  // coordinator had it already. (The thread calls this when one is due.)
  Expected<std::optional<tend::DailyDigest>> send(const std::string& day,
                                                  std::chrono::sys_seconds to);

 private:
  using Clock = Actor<std::monostate>::Clock;
  // The thread (Actor::Owner).
  void on_event(std::monostate&) override {}  // nothing is sent to it
  Clock::time_point next_wake() const override { return next_check_; }
  // Sends the digest if one is due, and says when to look again.
  void on_wake() override;
  void write_file(const tend::DailyDigest& digest);

  DailyDigestOptions options_;
  Connection& conn_;
  store::TaskStore& audit_;
  const WallClock& clock_;
  TimeZone zone_;
  store::Database db_;  // the thread's (or send's caller's) alone; never waits
  std::optional<std::string> last_day_;
  Clock::time_point next_check_{};  // at once, when the thread starts

  Actor<std::monostate> loop_;
};

}  // namespace tend
