#include "core/store/store_batch.h"

#include <fmt/format.h>

#include <set>

#include "bus/bounded_text.h"
#include "core/common/json_text.h"
#include "core/common/wall_time.h"
#include "core/store/audit_entry.h"
#include "core/store/copy_text.h"
#include "core/store/row_json.h"

namespace tend::store {
namespace {

// Staging tables live as long as the session and empty at each commit.
constexpr const char* kStaging[] = {
    "CREATE TEMP TABLE IF NOT EXISTS stage_tasks (LIKE tasks INCLUDING DEFAULTS) "
    "ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS stage_acks (LIKE task_acks) ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS stage_results (LIKE results INCLUDING DEFAULTS) "
    "ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS stage_finished (id text, finished_at timestamptz, "
    "complete boolean, expected integer, succeeded integer, failed integer, text text, "
    "summary bytea) ON COMMIT DELETE ROWS",
    "CREATE TEMP TABLE IF NOT EXISTS stage_nodes (LIKE nodes) ON COMMIT DELETE ROWS",
};

Expected<void> write_tasks(PgConnection& conn, const std::vector<TaskRecord>& tasks,
                           const std::string& owner) {
  if (tasks.empty()) return {};
  CopyRows rows;
  for (const auto& t : tasks) {
    rows.text(t.task.id())
        .text(t.task.plugin())
        .text(t.origin)
        .text(t.target)
        .text(json_text(to_json_value(t.task.params())))
        .boolean(t.task.dry_run())
        .integer(t.task.timeout_s())
        .text(t.task.reason())
        .text(t.task.requested_by())
        .text_array(t.expected_hosts)
        .timestamp_us(t.dispatched_us)
        .timestamp_us(t.deadline_us)
        .text(owner)
        .text(t.reply_to)
        .boolean(t.reply_json)
        .bytes(t.task.SerializeAsString())
        .end_row();
  }
  if (auto ok = conn.copy_in(
          "COPY stage_tasks (id, plugin, origin, target, params, dry_run, timeout_s, reason, "
          "requested_by, expected_hosts, dispatched_at, deadline, owner, reply_to, reply_json, "
          "task) FROM STDIN",
          rows.data());
      !ok) {
    return ok;
  }
  return conn.exec("INSERT INTO tasks SELECT * FROM stage_tasks ON CONFLICT (id) DO NOTHING");
}

Expected<void> write_acks(PgConnection& conn, const std::vector<AckRecord>& acks) {
  if (acks.empty()) return {};
  CopyRows rows;
  for (const auto& a : acks) rows.text(a.task_id).text(a.host).timestamp_us(a.at_us).end_row();
  if (auto ok = conn.copy_in("COPY stage_acks (task_id, host, at) FROM STDIN", rows.data()); !ok) {
    return ok;
  }
  return conn.exec(
      "INSERT INTO task_acks SELECT * FROM stage_acks ON CONFLICT (task_id, host) DO NOTHING");
}

constexpr const char* kResultColumns =
    "(task_id, host, plugin, status, summary, error, verified, dry_run, outputs, figures, "
    "started_at, finished_at, duration_ms, result)";

CopyRows result_rows(const std::vector<const tend::Result*>& results) {
  CopyRows rows;
  for (const tend::Result* r : results) {
    rows.text(r->task_id())
        .text(r->host())
        .text(r->plugin())
        .text(tend::Status_Name(r->status()))
        .text(r->summary())
        .text(r->error())
        .boolean(r->verified())
        .boolean(r->dry_run())
        .text(json_text(to_json_value(r->outputs())))
        .text(json_text(to_json_value(r->figures())));
    if (r->has_started_at()) {
      rows.timestamp_us(micros(r->started_at()));
    } else {
      rows.null();
    }
    if (r->has_finished_at()) {
      rows.timestamp_us(micros(r->finished_at()));
    } else {
      rows.null();
    }
    rows.integer(static_cast<int64_t>(r->duration_ms())).bytes(r->SerializeAsString()).end_row();
  }
  return rows;
}

// The results no row existed for yet, in batch order. Almost always none of
// them has one, so they are copied straight into the table; only when that
// meets a row already stored (a redelivery) does the batch go the slower way
// through the staging table, where ON CONFLICT sorts the new from the old.
Expected<std::vector<tend::Result>> write_results(PgConnection& conn,
                                                  const std::vector<tend::Result>& results) {
  std::vector<tend::Result> fresh;
  if (results.empty()) return fresh;
  std::vector<const tend::Result*> unique;
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& r : results) {
    if (seen.emplace(r.task_id(), r.host()).second) unique.push_back(&r);
  }
  CopyRows rows = result_rows(unique);

  if (auto ok = conn.exec("SAVEPOINT direct_copy"); !ok) return ok.error();
  if (conn.copy_in(fmt::format("COPY results {} FROM STDIN", kResultColumns), rows.data())) {
    if (auto ok = conn.exec("RELEASE SAVEPOINT direct_copy"); !ok) return ok.error();
    for (const tend::Result* r : unique) fresh.push_back(*r);
    return fresh;
  }
  if (auto ok = conn.exec("ROLLBACK TO SAVEPOINT direct_copy"); !ok) return ok.error();

  if (auto ok = conn.copy_in(fmt::format("COPY stage_results {} FROM STDIN", kResultColumns),
                             rows.data());
      !ok) {
    return ok.error();
  }
  auto inserted = conn.query(
      "INSERT INTO results SELECT * FROM stage_results ON CONFLICT (task_id, host) DO NOTHING "
      "RETURNING task_id, host");
  if (!inserted) return inserted.error();
  std::set<std::pair<std::string, std::string>> stored;
  for (int i = 0; i < inserted->size(); ++i) {
    stored.emplace(std::string(inserted->get(i, 0)), std::string(inserted->get(i, 1)));
  }
  for (const tend::Result* r : unique) {
    if (stored.erase({r->task_id(), r->host()})) fresh.push_back(*r);
  }
  return fresh;
}

Expected<void> write_finished(PgConnection& conn, const std::vector<FinishedRecord>& finished) {
  if (finished.empty()) return {};
  CopyRows rows;
  for (const auto& f : finished) {
    const auto& s = f.summary;
    rows.text(s.task_id())
        .timestamp_us(f.at_us)
        .boolean(s.complete())
        .integer(s.expected())
        .integer(s.succeeded())
        .integer(s.failed())
        .text(s.text())
        .bytes(s.SerializeAsString())
        .end_row();
  }
  if (auto ok = conn.copy_in(
          "COPY stage_finished (id, finished_at, complete, expected, succeeded, failed, text, "
          "summary) FROM STDIN",
          rows.data());
      !ok) {
    return ok;
  }
  return conn.exec(
      "UPDATE tasks t SET finished_at = s.finished_at, complete = s.complete, "
      "expected = s.expected, succeeded = s.succeeded, failed = s.failed, text = s.text, "
      "summary = s.summary FROM stage_finished s WHERE t.id = s.id");
}

nlohmann::json mounts_json(const tend::Health& health) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : health.mounts()) {
    out.push_back({{"mount", storable_text(m.mount())},
                   {"used_percent", m.used_percent()},
                   {"inodes_used_percent", m.inodes_used_percent()},
                   {"size_bytes", m.size_bytes()}});
  }
  return out;
}

Expected<void> write_health_samples(PgConnection& conn,
                                    const std::map<std::string, NodeRecord>& nodes) {
  CopyRows rows;
  for (const auto& [host, n] : nodes) {
    if (!n.sample_health || !n.heartbeat.has_health()) continue;
    const auto& h = n.heartbeat.health();
    rows.text(host)
        .timestamp_us(n.last_us)
        .real(h.disk_used_percent_max())
        .real(h.mem_used_percent())
        .real(h.load1())
        .integer(h.failed_units_size())
        .text(json_text(mounts_json(h)))
        .end_row();
  }
  if (rows.empty()) return {};
  return conn.copy_in(
      "COPY node_health (host, at, disk_used_percent_max, mem_used_percent, load1, "
      "failed_units, mounts) FROM STDIN",
      rows.data());
}

Expected<void> write_nodes(PgConnection& conn, const std::map<std::string, NodeRecord>& nodes) {
  if (nodes.empty()) return {};
  CopyRows rows;
  for (const auto& [host, n] : nodes) {
    const auto& hb = n.heartbeat;
    rows.text(host)
        .text(hb.role())
        .text_array(hb.tags())
        .text(hb.agent_version())
        .text(json_text(plugin_versions(hb)))
        .boolean(hb.paused())
        .timestamp_us(n.first_us)
        .timestamp_us(n.last_us)
        .bytes(hb.SerializeAsString())
        .end_row();
  }
  if (auto ok = conn.copy_in(
          "COPY stage_nodes (host, role, tags, agent_version, plugins, paused, first_seen, "
          "last_seen, last_heartbeat) FROM STDIN",
          rows.data());
      !ok) {
    return ok;
  }
  if (auto ok = write_health_samples(conn, nodes); !ok) return ok;
  return conn.exec(
      "INSERT INTO nodes SELECT * FROM stage_nodes ON CONFLICT (host) DO UPDATE SET "
      "role = EXCLUDED.role, tags = EXCLUDED.tags, agent_version = EXCLUDED.agent_version, "
      "plugins = EXCLUDED.plugins, paused = EXCLUDED.paused, "
      "first_seen = LEAST(nodes.first_seen, EXCLUDED.first_seen), "
      "last_seen = GREATEST(nodes.last_seen, EXCLUDED.last_seen), "
      "last_heartbeat = CASE WHEN EXCLUDED.last_seen >= nodes.last_seen "
      "THEN EXCLUDED.last_heartbeat ELSE nodes.last_heartbeat END");
}

AuditEntry result_entry(const tend::Result& r) {
  AuditEntry entry =
      audit_entry(r.host(), "result", r.host(), "", result_audit_detail(r), r.task_id());
  entry.at_us = r.has_finished_at() ? micros(r.finished_at()) : now_us();
  return entry;
}

}  // namespace

Expected<void> prepare_session(PgConnection& conn) {
  for (const char* sql : kStaging) {
    if (auto ok = conn.exec(sql); !ok) return ok;
  }
  return {};
}

Expected<std::vector<tend::Result>> write_batch(PgConnection& conn, const StoreBatch& batch,
                                                const std::string& owner, bool mark_owner_alive) {
  auto tx = PgTransaction::begin(conn);
  if (!tx) return tx.error();
  if (auto ok = write_tasks(conn, batch.tasks, owner); !ok) return ok.error();
  if (auto ok = write_acks(conn, batch.acks); !ok) return ok.error();
  auto fresh = write_results(conn, batch.results);
  if (!fresh) return fresh.error();
  if (auto ok = write_finished(conn, batch.finished); !ok) return ok.error();
  if (auto ok = write_nodes(conn, batch.nodes); !ok) return ok.error();
  if (mark_owner_alive) {
    if (auto ok = conn.exec("INSERT INTO coordinators (name, last_seen) VALUES ($1, now()) "
                            "ON CONFLICT (name) DO UPDATE SET last_seen = now()",
                            {owner});
        !ok) {
      return ok.error();
    }
  }
  std::vector<AuditEntry> audit = batch.audit;
  for (const auto& r : *fresh) audit.push_back(result_entry(r));
  if (auto ok = append_audit(conn, audit); !ok) return ok.error();
  if (auto ok = tx->commit(); !ok) return ok.error();
  return fresh;
}

}  // namespace tend::store
