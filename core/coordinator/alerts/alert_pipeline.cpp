#include "core/coordinator/alerts/alert_pipeline.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/alert_time.h"
#include "core/store/audit_entry.h"
#include "schemas/task.pb.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;

// The loop looks at its timers at least this often, whatever the clock says.
constexpr auto kMaxSleep = 1s;
// Fixes dispatched before a restart: how often the store is asked for their summary.
constexpr auto kRecoveredPollEvery = 2s;
constexpr auto kDedupePruneEvery = 60s;

}  // namespace

AlertPipeline::AlertPipeline(PipelineOptions options, std::shared_ptr<const RouteTable> routes,
                             FixRunner& runner, Connection& conn, store::TaskStore& store,
                             CoordinatorMetrics* metrics)
    : options_(std::move(options)),
      routes_(std::move(routes)),
      runner_(runner),
      conn_(conn),
      replier_(conn, "alerts"),
      store_(store),
      metrics_(metrics),
      loop_(*this, "alert-loop", "alert loop", options_.queue),
      db_(options_.database_url, "alerts", loop_.stopping()),
      incidents_store_(db_),
      dedupe_(options_.config.dedupe_window),
      kb_(decisions::ConfidenceModel(options_.config.confidence)),
      kb_store_(db_),
      approvals_(options_.config.approvals, db_, metrics_),
      safety_(options_.config.breakers, options_.config.blast_radius, db_),
      escalator_(conn_, options_.subjects, options_.config.notifiers),
      alertmanager_(options_.config.alertmanager_urls) {}

AlertPipeline::~AlertPipeline() { stop(); }

void AlertPipeline::start() { loop_.start(); }

void AlertPipeline::stop() { loop_.stop(); }

Expected<void> AlertPipeline::accept(AlertBatch batch, size_t bytes) {
  auto queued = loop_.try_push(AlertsArrived{std::move(batch)}, bytes);
  if (!queued && metrics_ != nullptr) metrics_->refused("event_queue");
  return queued;
}

void AlertPipeline::replace_routes(std::shared_ptr<const RouteTable> routes) {
  loop_.push(RoutesReplaced{std::move(routes)});
}

void AlertPipeline::control_seen(const std::string& subject, const tend::Control& control) {
  loop_.push(ControlObserved{subject, control});
}

// Requests are small: their count is what is bounded.
Expected<void> AlertPipeline::offer(PipelineEvent request) {
  auto queued = loop_.try_push(std::move(request), 0);
  if (queued) return {};
  if (metrics_ != nullptr) metrics_->refused("event_queue");
  return make_error(queued.error().message + ": ask again in a moment");
}

Expected<void> AlertPipeline::ask_incidents(Requester from, tend::IncidentQuery query) {
  return offer(IncidentsAsked{std::move(from), std::move(query)});
}

Expected<void> AlertPipeline::ask_kb(Requester from) { return offer(KbAsked{std::move(from)}); }

Expected<void> AlertPipeline::answer_approval(Requester from, std::string task_id, bool approve,
                                              tend::ApprovalAnswer answer) {
  return offer(ApprovalAnswered{std::move(from), std::move(task_id), approve, std::move(answer)});
}

Expected<void> AlertPipeline::ask_pending(Requester from) {
  return offer(PendingAsked{std::move(from)});
}

Expected<void> AlertPipeline::ask_breakers(Requester from) {
  return offer(BreakersAsked{std::move(from)});
}

Expected<void> AlertPipeline::reset_breaker(Requester from, tend::BreakerReset reset) {
  return offer(BreakerResetAsked{std::move(from), std::move(reset)});
}

Expected<void> AlertPipeline::adjust_kb(Requester from, tend::KbAdjust adjust) {
  return offer(KbAdjustAsked{std::move(from), std::move(adjust)});
}

// --- the thread ----------------------------------------------------------------

void AlertPipeline::on_start() {
  if (auto ok = load(); !ok) {
    spdlog::error("alerts: loading open incidents failed: {}; starting without them",
                  ok.error().message);
  }
}

void AlertPipeline::on_event(PipelineEvent& event) {
  std::visit([this](auto& e) { handle(e); }, event);
}

// The timers run on the pipeline's clock (a test's own); the thread sleeps
// on the steady one.
Actor<PipelineEvent>::Clock::time_point AlertPipeline::next_wake() const {
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_due() - now());
  wait = std::clamp<std::chrono::milliseconds>(wait, 0ms, kMaxSleep);
  return std::chrono::steady_clock::now() + wait;
}

Expected<void> AlertPipeline::load() {
  if (auto ok = kb_store_.load(kb_); !ok) return ok;
  if (auto ok = safety_.load(now()); !ok) return ok;
  auto open = incidents_store_.load_open();
  if (!open) return open.error();
  for (auto& incident : *open) {
    dedupe_.seen(incident.fingerprint, incident.received_at);
    incidents_.add(std::move(incident));
  }
  if (auto ok = approvals_.load(); !ok) return ok;
  auto recent = incidents_store_.received_since(now() - options_.config.dedupe_window);
  if (!recent) return recent.error();
  for (const auto& [fingerprint, at] : *recent) dedupe_.seen(fingerprint, at);
  if (incidents_.size() > 0) {
    spdlog::info("alerts: {} open incident(s) picked up from the store", incidents_.size());
  }
  return {};
}

void AlertPipeline::handle(AlertsArrived& event) {
  for (const auto& alert : event.batch.alerts) {
    if (alert.firing()) {
      firing(alert, event.batch.source);
    } else {
      resolved(alert);
    }
  }
}

void AlertPipeline::handle(FixFinished& event) {
  live_tasks_.erase(event.task_id);
  Incident* incident = incidents_.by_task(event.task_id);
  if (incident == nullptr || incident->status != IncidentStatus::kRunning) return;
  fix_finished(*incident, event.summary);
}

void AlertPipeline::handle(RoutesReplaced& event) {
  routes_ = std::move(event.routes);
  spdlog::info("alerts: {} route(s) from {} in use", routes_->routes().size(), routes_->file());
}

// tendctl pause --all is the emergency stop; resume --all lifts it. Pauses
// and resumes of single hosts are the agents' business.
void AlertPipeline::handle(ControlObserved& event) {
  if (event.subject != options_.subjects.control_all()) return;
  if (event.control.action() == "pause") emergency_stop(event.control);
  if (event.control.action() == "resume") emergency_resume(event.control);
}

// --- timers ----------------------------------------------------------------------

WallTime AlertPipeline::next_due() const {
  WallTime due = now() + kMaxSleep;
  for (const Incident* incident : incidents_.all()) {
    if (incident->due_at != WallTime{} && (incident->status == IncidentStatus::kHeld ||
                                           incident->status == IncidentStatus::kVerifying)) {
      due = std::min(due, incident->due_at);
    }
  }
  if (auto expiry = approvals_.next_expiry()) due = std::min(due, *expiry);
  return due;
}

void AlertPipeline::on_timers() {
  const WallTime t = now();
  for (Incident* incident : incidents_.all()) {
    if (incident->due_at == WallTime{} || incident->due_at > t) continue;
    if (incident->status == IncidentStatus::kHeld) {
      incident->due_at = {};
      // The breakers are checked again: the hold may have seen them open.
      auto verdict = safety_verdict(*incident);
      breakers_changed();
      if (auto why = verdict.pattern ? verdict.pattern : verdict.automatic) {
        escalate(*incident, *why);
      } else {
        dispatch(*incident, "");
      }
    } else if (incident->status == IncidentStatus::kVerifying) {
      incident->due_at = {};
      fix_failed(*incident,
                 fmt::format("the alert still fired {} after the fix succeeded",
                             duration_words(std::chrono::duration_cast<std::chrono::seconds>(
                                 t - incident->fixed_at))));
    }
  }
  expire_approvals();
  if (t - alertmanager_polled_at_ >= options_.config.poll_interval) {
    alertmanager_polled_at_ = t;
    poll_silenced_alerts();
  }
  if (t - recovered_polled_at_ >= kRecoveredPollEvery) {
    recovered_polled_at_ = t;
    poll_recovered_tasks();
  }
  if (t - dedupe_pruned_at_ >= kDedupePruneEvery) {
    dedupe_pruned_at_ = t;
    dedupe_.forget_older_than_window(t);
  }
}

// A fix dispatched before a restart tells no one here how it ended: its
// summary is in the store once the (restarted) coordinator finishes it.
void AlertPipeline::poll_recovered_tasks() {
  std::vector<std::string> ids;
  for (Incident* incident : incidents_.all()) {
    if (incident->status == IncidentStatus::kRunning && !live_tasks_.contains(incident->task_id)) {
      ids.push_back(incident->task_id);
    }
  }
  if (ids.empty()) return;
  auto rows = db_.query(
      "SELECT id, summary FROM tasks WHERE id = ANY($1::text[]) AND finished_at IS NOT NULL",
      {fmt::format("{{{}}}", fmt::join(ids, ","))});
  if (!rows) {
    spdlog::warn("alerts: summaries of fixes from before the restart not read: {}",
                 rows.error().message);
    return;
  }
  for (int r = 0; r < rows->size(); ++r) {
    tend::Summary summary;
    if (!summary.ParseFromString(rows->get_bytes(r, 1))) continue;
    Incident* incident = incidents_.by_task(std::string(rows->get(r, 0)));
    if (incident != nullptr) fix_finished(*incident, summary);
  }
}

void AlertPipeline::poll_silenced_alerts() {
  if (!alertmanager_.configured()) return;
  std::vector<std::pair<std::string, Labels>> silenced;
  for (const Incident* incident : incidents_.all()) {
    if (!incident->silence_id.empty() && incident->alert_resolved_at == WallTime{}) {
      silenced.emplace_back(incident->fingerprint, incident->labels);
    }
  }
  for (const auto& [fingerprint, labels] : silenced) {
    auto firing = alertmanager_.firing(fingerprint, labels);
    if (!firing) {
      spdlog::warn("alerts: cannot ask Alertmanager whether {} still fires: {}", fingerprint,
                   firing.error().message);
      continue;
    }
    if (*firing) continue;
    Alert gone;
    gone.status = Alert::Status::kResolved;
    gone.fingerprint = fingerprint;
    gone.labels = labels;
    resolved(gone);
  }
}

// --- helpers -----------------------------------------------------------------------

void AlertPipeline::save(const Incident& incident) {
  if (auto ok = incidents_store_.save(incident); !ok) {
    spdlog::error("alerts: incident {} not saved: {}", incident.id, ok.error().message);
  }
}

void AlertPipeline::save(const decisions::KbEntry& entry) {
  if (auto ok = kb_store_.save(entry); !ok) {
    spdlog::error("alerts: knowledge base entry {} ({}) not saved: {}", entry.pattern, entry.plugin,
                  ok.error().message);
  }
}

void AlertPipeline::audit(const std::string& actor, const std::string& action,
                          const Incident& incident, const std::string& reason,
                          nlohmann::json detail) {
  detail["incident"] = incident.id;
  detail["alertname"] = incident.alertname;
  detail["fingerprint"] = incident.fingerprint;
  if (!incident.pattern.empty()) detail["pattern"] = incident.pattern;
  if (!incident.plugin.empty()) detail["plugin"] = incident.plugin;
  audit(actor, action, incident.host.empty() ? incident.target : incident.host, reason, detail,
        incident.task_id);
}

void AlertPipeline::audit(const std::string& actor, const std::string& action,
                          const std::string& target, const std::string& reason,
                          const nlohmann::json& detail, const std::string& task_id) {
  store_.audit(store::audit_entry(actor, action, target, reason, detail, task_id));
}

std::shared_ptr<const Route> AlertPipeline::route_named(const std::string& name) const {
  for (const auto& route : routes_->routes()) {
    if (route->name == name) return route;
  }
  return nullptr;
}

}  // namespace tend::alerts
