#include "core/coordinator/alerts/incident_store.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/common/json_text.h"
#include "core/coordinator/alerts/alert_time.h"
#include "core/store/sql_time.h"

namespace tend::alerts {
namespace {

using store::epoch_us;
using store::PgParams;
using store::PgRows;
using store::time_value;
using store::timestamp_param;

constexpr uint32_t kDefaultLimit = 100;

std::string labels_json(const Labels& labels) {
  return json_text(nlohmann::json(labels));
}

Labels labels_from(std::string_view text) {
  Labels out;
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return out;
  for (const auto& [k, v] : doc.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

std::string boolean(bool b) { return b ? "true" : "false"; }

std::string select_columns() {
  return fmt::format(
      "id, fingerprint, alertname, labels::text, annotations::text, generator_url, status, "
      "pattern, plugin, decision, confidence, why, automatic, coalesce(task_id, ''), task, "
      "target, service, host, summary, outcome, resolution, silence_id, escalated, repeats, "
      "{}, {}, {}, {}, {}, {}, {}, {}, time_to_remediate_ms",
      epoch_us("started_at"), epoch_us("received_at"), epoch_us("last_seen_at"),
      epoch_us("dispatched_at"), epoch_us("fixed_at"), epoch_us("alert_resolved_at"),
      epoch_us("resolved_at"), epoch_us("due_at"));
}

Incident read_row(const PgRows& rows, int r) {
  Incident i;
  int c = 0;
  i.id = rows.get_int(r, c++);
  i.fingerprint = rows.get(r, c++);
  i.alertname = rows.get(r, c++);
  i.labels = labels_from(rows.get(r, c++));
  i.annotations = labels_from(rows.get(r, c++));
  i.generator_url = rows.get(r, c++);
  i.status = status_from_name(rows.get(r, c++));
  i.pattern = rows.get(r, c++);
  i.plugin = rows.get(r, c++);
  i.decision = rows.get(r, c++);
  if (!rows.is_null(r, c)) i.confidence = std::stod(std::string(rows.get(r, c)));
  ++c;
  i.why = rows.get(r, c++);
  i.automatic = rows.get_bool(r, c++);
  i.task_id = rows.get(r, c++);
  if (!rows.is_null(r, c)) (void)i.task.ParseFromString(rows.get_bytes(r, c));
  ++c;
  i.target = rows.get(r, c++);
  i.service = rows.get(r, c++);
  i.host = rows.get(r, c++);
  i.summary = rows.get(r, c++);
  i.outcome = rows.get(r, c++);
  i.resolution = rows.get(r, c++);
  i.silence_id = rows.get(r, c++);
  i.escalated = rows.get_bool(r, c++);
  i.repeats = static_cast<uint32_t>(rows.get_int(r, c++));
  for (WallTime* t : {&i.started_at, &i.received_at, &i.last_seen_at, &i.dispatched_at, &i.fixed_at,
                      &i.alert_resolved_at, &i.resolved_at, &i.due_at}) {
    *t = store::time_at(rows, r, c++);
  }
  if (!rows.is_null(r, c)) i.time_to_remediate_ms = rows.get_int(r, c);
  return i;
}

}  // namespace

Expected<bool> IncidentStore::open(Incident& incident) {
  const WallTime started =
      incident.started_at == WallTime{} ? incident.received_at : incident.started_at;
  auto rows = db_.query(
      fmt::format("INSERT INTO incidents (fingerprint, alertname, labels, annotations, "
                  "generator_url, started_at, received_at, last_seen_at, status) "
                  "VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, {}, {}, {}, $8) "
                  "ON CONFLICT (fingerprint) WHERE resolved_at IS NULL DO NOTHING RETURNING id",
                  timestamp_param(6), timestamp_param(7), timestamp_param(7)),
      {incident.fingerprint, incident.alertname, labels_json(incident.labels),
       labels_json(incident.annotations), incident.generator_url, time_value(micros(started)),
       time_value(micros(incident.received_at)), std::string(status_name(incident.status))});
  if (!rows) return rows.error();
  if (rows->empty()) return false;
  incident.id = rows->get_int(0, 0);
  return true;
}

Expected<void> IncidentStore::save(const Incident& i) {
  std::optional<std::string> task;
  if (!i.task.plugin().empty()) task = store::PgConnection::bytea_text(i.task.SerializeAsString());
  std::optional<std::string> confidence;
  if (i.confidence) confidence = fmt::format("{}", *i.confidence);
  std::optional<std::string> ttr;
  if (i.time_to_remediate_ms) ttr = std::to_string(*i.time_to_remediate_ms);
  std::optional<std::string> task_id;
  if (!i.task_id.empty()) task_id = i.task_id;
  return db_.exec(
      fmt::format("UPDATE incidents SET status = $2, pattern = $3, plugin = $4, decision = $5, "
                  "confidence = $6, why = $7, automatic = $8, task_id = $9, task = $10, "
                  "target = $11, service = $12, host = $13, summary = $14, outcome = $15, "
                  "resolution = $16, silence_id = $17, escalated = $18, repeats = $19, "
                  "last_seen_at = {}, dispatched_at = {}, fixed_at = {}, alert_resolved_at = {}, "
                  "resolved_at = {}, due_at = {}, time_to_remediate_ms = $26 WHERE id = $1",
                  timestamp_param(20), timestamp_param(21), timestamp_param(22),
                  timestamp_param(23), timestamp_param(24), timestamp_param(25)),
      {std::to_string(i.id),
       std::string(status_name(i.status)),
       i.pattern,
       i.plugin,
       i.decision,
       confidence,
       i.why,
       boolean(i.automatic),
       task_id,
       task,
       i.target,
       i.service,
       i.host,
       i.summary,
       i.outcome,
       i.resolution,
       i.silence_id,
       boolean(i.escalated),
       std::to_string(i.repeats),
       time_value(micros(i.last_seen_at)),
       time_value(micros(i.dispatched_at)),
       time_value(micros(i.fixed_at)),
       time_value(micros(i.alert_resolved_at)),
       time_value(micros(i.resolved_at)),
       time_value(micros(i.due_at)),
       ttr});
}

Expected<std::vector<Incident>> IncidentStore::load_open() {
  auto rows = db_.query(fmt::format(
      "SELECT {} FROM incidents WHERE resolved_at IS NULL ORDER BY id", select_columns()));
  if (!rows) return rows.error();
  std::vector<Incident> out;
  for (int r = 0; r < rows->size(); ++r) out.push_back(read_row(*rows, r));
  return out;
}

Expected<std::vector<std::pair<std::string, WallTime>>> IncidentStore::received_since(
    WallTime since) {
  auto rows = db_.query(fmt::format("SELECT fingerprint, {} FROM incidents WHERE received_at >= {}",
                                    epoch_us("received_at"), timestamp_param(1)),
                        {time_value(micros(since))});
  if (!rows) return rows.error();
  std::vector<std::pair<std::string, WallTime>> out;
  for (int r = 0; r < rows->size(); ++r) {
    out.emplace_back(std::string(rows->get(r, 0)), from_micros(rows->get_int(r, 1)));
  }
  return out;
}

Expected<tend::IncidentList> IncidentStore::list(const tend::IncidentQuery& query, WallTime now) {
  std::string where = "TRUE";
  PgParams params;
  if (query.open_only()) where += " AND resolved_at IS NULL";
  if (query.since_s() > 0) {
    params.push_back(time_value(micros(now - std::chrono::seconds(query.since_s()))));
    where +=
        fmt::format(" AND received_at >= {}", timestamp_param(static_cast<int>(params.size())));
  }
  params.push_back(std::to_string(query.limit() == 0 ? kDefaultLimit : query.limit()));
  auto rows = db_.query(fmt::format("SELECT {} FROM incidents WHERE {} ORDER BY id DESC LIMIT ${}",
                                    select_columns(), where, params.size()),
                        params);
  if (!rows) return rows.error();
  tend::IncidentList list;
  for (int r = 0; r < rows->size(); ++r) *list.add_incidents() = to_message(read_row(*rows, r));
  return list;
}

}  // namespace tend::alerts
