// The loop from alert to fix, on one thread of its own with its own
// PostgreSQL connection:
//
//   AlertIntake → dedupe (window, open incident) → RouteTable → FixPlan
//     → Incident → decision (tier, breakers, blast radius, emergency stop)
//     → Coordinator::submit_internal (origin alert) | approval | escalation
//     → outcome (plugin verify, alert resolved) → knowledge base, breakers
//
// Everything reaches the thread as an event (pipeline_events.h); callers on
// NATS, HTTP and the coordinator's loop only push. Every step is written to
// the incidents table and the audit trail.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/common/actor.h"
#include "core/coordinator/alerts/alert_deduplicator.h"
#include "core/coordinator/alerts/alertmanager_client.h"
#include "core/coordinator/alerts/alerts_config.h"
#include "core/coordinator/alerts/escalator.h"
#include "core/coordinator/alerts/fix_plan.h"
#include "core/coordinator/alerts/fix_runner.h"
#include "core/coordinator/alerts/incident_book.h"
#include "core/coordinator/alerts/incident_store.h"
#include "core/coordinator/alerts/pipeline_events.h"
#include "core/coordinator/decisions/approval_desk.h"
#include "core/coordinator/decisions/knowledge_base.h"
#include "core/coordinator/decisions/knowledge_store.h"
#include "core/coordinator/decisions/safety_gate.h"
#include "core/coordinator/metrics/coordinator_metrics.h"
#include "core/store/database.h"
#include "core/store/task_store.h"

namespace tend::alerts {

struct PipelineOptions {
  AlertsConfig config;
  std::string database_url;
  std::string actor = "tend-coordinator";  // the coordinator's name, in the audit trail
  Subjects subjects;
  std::function<WallTime()> clock = [] { return std::chrono::system_clock::now(); };
  QueueLimits queue;  // [limits]: what may wait for the loop's thread
};

class AlertPipeline final : private Actor<PipelineEvent>::Owner {
 public:
  AlertPipeline(PipelineOptions options, std::shared_ptr<const RouteTable> routes,
                FixRunner& runner, Connection& conn, store::TaskStore& store,
                CoordinatorMetrics* metrics = nullptr);
  ~AlertPipeline() override;
  AlertPipeline(const AlertPipeline&) = delete;
  AlertPipeline& operator=(const AlertPipeline&) = delete;

  // Starts the thread: it connects, loads what was open, then takes events.
  void start();
  void stop();

  // From any thread. Each request below is refused (the error names the
  // bound) when the loop's queue is full: "alert loop busy: ...". `bytes`
  // is the size of the notification as it came.
  Expected<void> accept(AlertBatch batch, size_t bytes);
  void replace_routes(std::shared_ptr<const RouteTable> routes);
  void control_seen(const std::string& subject, const tend::Control& control);

  // An escalation from elsewhere in the coordinator (a maintenance run):
  // published and given to the notifiers like the loop's own. Any thread.
  void escalate(const tend::Escalation& escalation) { escalator_.send(escalation); }
  Expected<void> ask_incidents(Requester from, tend::IncidentQuery query);
  Expected<void> ask_kb(Requester from);
  Expected<void> adjust_kb(Requester from, tend::KbAdjust adjust);
  Expected<void> answer_approval(Requester from, std::string task_id, bool approve,
                                 tend::ApprovalAnswer answer);
  Expected<void> ask_pending(Requester from);
  Expected<void> ask_breakers(Requester from);
  Expected<void> reset_breaker(Requester from, tend::BreakerReset reset);
  void tick() { loop_.push(Tick{}); }

  // Waits until everything pushed before the call is handled (tests).
  bool drained(std::chrono::milliseconds timeout) { return loop_.drained(timeout); }

 private:
  // A request from outside into the queue, or why it has no room.
  Expected<void> offer(PipelineEvent request);

  // The thread (Actor::Owner): loads what was open, then each event and
  // the timers.
  void on_start() override;
  void on_event(PipelineEvent& event) override;
  Actor<PipelineEvent>::Clock::time_point next_wake() const override;
  void on_wake() override { on_timers(); }
  Expected<void> load();
  void handle(AlertsArrived& event);
  void handle(FixFinished& event);
  void handle(RoutesReplaced& event);
  void handle(ControlObserved& event);
  // pipeline_requests.cpp: tendctl's questions and commands.
  void handle(IncidentsAsked& event);
  void handle(KbAsked& event);
  void handle(KbAdjustAsked& event);
  // approval_flow.cpp: fixes that wait for a human, at the ApprovalDesk.
  void handle(ApprovalAnswered& event);
  void approve(Incident& incident, const ApprovalAnswered& event);
  void deny(Incident& incident, const ApprovalAnswered& event);
  void handle(PendingAsked& event);
  void request_approval(Incident& incident);
  void expire_approvals();
  void cancel_approval(Incident& incident, const std::string& why);
  // safety_flow.cpp: what the SafetyGate says and changes, audited.
  void handle(BreakersAsked& event);
  void handle(BreakerResetAsked& event);
  // What the breakers and the stop say about running `incident`'s fix now.
  decisions::CircuitBreakers::Verdict safety_verdict(const Incident& incident);
  // How many nodes `incident`'s fix means now, of the whole fleet.
  decisions::Reach reach_of(const Incident& incident);
  void emergency_stop(const tend::Control& control);
  void emergency_resume(const tend::Control& control);
  void breakers_changed();
  void handle(Tick&) {}

  // incident_flow.cpp: one alert's way.
  void firing(const Alert& alert, const std::string& source);
  void resolved(const Alert& alert);
  void decide(Incident& incident, const Alert& alert);
  // What the knowledge base and the route say, for decide().
  decisions::DecisionFacts known_facts(const decisions::KbEntry& entry, const Route& route) const;
  // Runs, holds, asks for approval or escalates, as decided.
  void carry_out(Incident& incident, decisions::Tier tier);
  void dispatch(Incident& incident, const std::string& approved_by);
  void fix_finished(Incident& incident, const tend::Summary& summary);
  void verified(Incident& incident, const std::string& resolution);
  void fix_failed(Incident& incident, const std::string& what_found);
  // Hands the incident to a human: tend.escalation and the notifiers.
  void escalate(Incident& incident, const std::string& why, const std::string& look_at = "");
  void close(Incident& incident, const std::string& outcome, const std::string& resolution);
  // The knowledge base hears how a fix ended.
  void learn(const Incident& incident, bool verified);

  // Timers: held fixes, verification deadlines, recovered tasks.
  void on_timers();
  WallTime next_due() const;
  void poll_recovered_tasks();
  // Silenced alerts send no resolved notification: Alertmanager is asked.
  void poll_silenced_alerts();
  // A silence while the fix is verified, and its end.
  void silence(Incident& incident);
  void lift_silence(Incident& incident);

  void save(const Incident& incident);
  void audit(const std::string& actor, const std::string& action, const Incident& incident,
             const std::string& reason, nlohmann::json detail = nlohmann::json::object());
  void audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& reason, const nlohmann::json& detail,
             const std::string& task_id = "");
  void save(const decisions::KbEntry& entry);
  WallTime now() const { return options_.clock(); }
  std::shared_ptr<const Route> route_named(const std::string& name) const;

  PipelineOptions options_;
  std::shared_ptr<const RouteTable> routes_;
  FixRunner& runner_;
  Connection& conn_;
  Replier replier_;
  store::TaskStore& store_;
  CoordinatorMetrics* metrics_;

  // Before db_, which ends its reconnect waits once the loop is stopping.
  Actor<PipelineEvent> loop_;

  // The thread's own.
  store::Database db_;
  IncidentStore incidents_store_;
  IncidentBook incidents_;
  AlertDeduplicator dedupe_;
  decisions::KnowledgeBase kb_;
  decisions::KnowledgeStore kb_store_;
  decisions::ApprovalDesk approvals_;
  decisions::SafetyGate safety_;
  std::set<std::string> live_tasks_;  // dispatched by this process: their summary comes back
  WallTime recovered_polled_at_{};
  WallTime dedupe_pruned_at_{};
  Escalator escalator_;
  AlertmanagerClient alertmanager_;
  WallTime alertmanager_polled_at_{};
};

}  // namespace tend::alerts
