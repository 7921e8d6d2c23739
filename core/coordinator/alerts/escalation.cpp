#include "core/coordinator/alerts/escalation.h"

#include <fmt/format.h>

#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

std::string severity_of(const Labels& labels) {
  auto it = labels.find("severity");
  if (it == labels.end()) return "warning";
  for (const char* known : {"critical", "error", "warning", "info"}) {
    if (it->second == known) return known;
  }
  return it->second == "page" ? "critical" : "warning";
}

std::string what_fired(const Incident& i) {
  std::string text = i.alertname;
  if (!i.host.empty()) text += " on " + i.host;
  for (const char* key : {"summary", "description"}) {
    if (auto it = i.annotations.find(key); it != i.annotations.end() && !it->second.empty()) {
      text += ": " + it->second;
      break;
    }
  }
  return fmt::format("{}, since {}", text, format_rfc3339(i.started_at));
}

std::string what_was_tried(const Incident& i) {
  if (i.dispatched_at == WallTime{}) {
    if (i.plugin.empty()) return "nothing: no route covers this alert";
    return fmt::format("nothing yet: {} on {} was not run", i.plugin, i.target);
  }
  return fmt::format("{} on {} (task {}, {})", i.plugin, i.target, i.task_id,
                     i.automatic ? "on its own" : "approved by " + i.task.approved_by());
}

std::string default_look_at(const Incident& i, const std::string& kind) {
  const std::string where = i.host.empty() ? i.alertname : i.host;
  if (kind == kApprovalRequestKind) {
    return fmt::format("decide whether {} may run on {}: tendctl approve {} (or deny)", i.plugin,
                       i.target, i.task_id);
  }
  if (kind == kResolvedKind) return "nothing: the alert resolved";
  if (i.plugin.empty()) {
    return fmt::format("{} by hand; if a plugin can fix it, add a route for {} to routes.toml",
                       where, i.alertname);
  }
  if (i.dispatched_at != WallTime{}) {
    return fmt::format(
        "{}: the fix's results are in tendctl incidents (incident {}); the alert's "
        "graph: {}",
        where, i.id, i.generator_url.empty() ? "-" : i.generator_url);
  }
  return fmt::format("{} by hand, or let {} run: tendctl kb shows what it has earned", where,
                     i.plugin);
}

}  // namespace

tend::Escalation build_escalation(const Incident& i, const std::string& kind,
                                  const std::string& why, std::string look_at, WallTime now) {
  tend::Escalation e;
  e.set_kind(kind);
  e.set_incident_id(i.id);
  e.set_fingerprint(i.fingerprint);
  e.set_alertname(i.alertname);
  e.mutable_labels()->insert(i.labels.begin(), i.labels.end());
  e.set_host(i.host);
  e.set_severity(severity_of(i.labels));
  e.set_what_fired(what_fired(i));
  e.set_what_was_tried(what_was_tried(i));
  e.set_what_it_found(i.summary);
  e.set_look_at(look_at.empty() ? default_look_at(i, kind) : std::move(look_at));
  e.set_why(why);
  e.set_task_id(i.task_id);
  e.set_generator_url(i.generator_url);
  e.set_pattern(i.pattern);
  e.set_plugin(i.plugin);
  *e.mutable_at() = to_timestamp(now);
  return e;
}

tend::Escalation breaker_escalation(const std::string& kind, const std::string& key,
                                    const std::string& why, WallTime now) {
  tend::Escalation e;
  e.set_kind(kBreakerKind);
  e.set_fingerprint(fmt::format("breaker-{}-{}", kind, key));
  e.set_severity("error");
  e.set_what_fired(fmt::format("circuit breaker {} {} opened", kind, key));
  e.set_what_was_tried("automatic fixes, which kept failing or came too often");
  e.set_why(why);
  e.set_look_at(
      fmt::format("why the fixes fail (tendctl incidents --since 1d); once it is safe: "
                  "tendctl breakers reset {}{} --reason ...",
                  kind, kind == "fleet" ? "" : " " + key));
  *e.mutable_at() = to_timestamp(now);
  return e;
}

std::string headline(const tend::Escalation& e) {
  const std::string subject = e.alertname().empty()
                                  ? e.what_fired()
                                  : e.alertname() + (e.host().empty() ? "" : " on " + e.host());
  if (e.kind() == kApprovalRequestKind) return fmt::format("{}: a fix waits for approval", subject);
  if (e.kind() == kResolvedKind) return fmt::format("{}: resolved", subject);
  if (e.kind() == kBreakerKind) return fmt::format("tend: {}", e.what_fired());
  return fmt::format("{}: escalated: {}", subject, e.why());
}

}  // namespace tend::alerts
