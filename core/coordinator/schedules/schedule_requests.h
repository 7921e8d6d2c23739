// The maintenance verbs tendctl sends: tend.schedule.<verb> (add, list, show,
// pause, resume, remove, run-now) and tend.runs.{report,status}. The
// Scheduler queues each request and hands it here on its own thread, so the
// verbs share its store, timetables and runs without a lock; they reach them
// through Host, which the Scheduler is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/common/wall_clock.h"
#include "core/coordinator/schedules/rollout.h"
#include "core/coordinator/schedules/schedule_store.h"
#include "core/coordinator/schedules/zoned_schedule.h"

namespace tend {

class ScheduleRequests {
 public:
  // A request as it came off the bus, waiting for the scheduler's thread.
  struct Request {
    std::string subject;
    std::string data;
    Requester from;
  };

  // What the verbs need of the scheduler whose thread runs them.
  class Host {
   public:
    virtual ~Host() = default;
    // The store, (re)connected if need be; unreachable: why.
    virtual Expected<ScheduleStore*> store() = 0;
    // The parsed timetable of `schedule`; nullptr when it cannot fire.
    virtual const ZonedSchedule* zoned(const tend::Schedule& schedule) = 0;
    // A removed schedule's timetable and the windows counted for it.
    virtual void forget(const std::string& name) = 0;
    virtual bool in_schedules_file(const std::string& name) const = 0;
    // Why the emergency stop holds maintenance back; empty when it does not.
    virtual const std::string& held_why() const = 0;
    // The run's id; empty when another coordinator (or run) has the window.
    virtual std::string start_run(const tend::Schedule& schedule, SysSeconds window_start,
                                  SysSeconds window_end, const std::string& trigger,
                                  std::optional<uint64_t> seed) = 0;
    // The rollout running here under `run_id`; nullptr when none is.
    virtual const Rollout* running(const std::string& run_id) const = 0;
    virtual tend::Progress run_progress(const Rollout& rollout) const = 0;
    virtual void audit(const std::string& actor, const std::string& action,
                       const std::string& target, const std::string& reason,
                       const std::string& task_id, const nlohmann::json& detail) = 0;
  };

  ScheduleRequests(Connection& conn, const Subjects& subjects, const WallClock& clock, Host& host)
      : replier_(conn, "schedules"), subjects_(subjects), clock_(clock), host_(host) {}

  // Answers `r` on its reply subject, or refuses it naming why.
  void handle(const Request& r);

 private:
  void add(const Request& r, const tend::ScheduleRequest& req);
  void list(const Request& r);
  void show(const Request& r, const tend::ScheduleRequest& req);
  void set_paused(const Request& r, const tend::ScheduleRequest& req, bool paused);
  void remove(const Request& r, const tend::ScheduleRequest& req);
  void run_now(const Request& r, const tend::ScheduleRequest& req);
  void report(const Request& r);
  void status(const Request& r);

  Expected<tend::ScheduleView> view_of(const StoredSchedule& stored, int runs);
  SysSeconds seconds_now() const;

  Replier replier_;
  const Subjects& subjects_;
  const WallClock& clock_;
  Host& host_;
  ScheduleStore* store_ = nullptr;  // connected, for the request being answered
};

}  // namespace tend
