#include "core/store/recovery.h"

#include <fmt/format.h>

#include <map>

#include "core/store/sql_time.h"

namespace tend::store {
namespace {

Expected<std::vector<RecoveredTask>> claim_tasks(PgConnection& conn, const std::string& owner,
                                                 std::chrono::seconds orphaned_after) {
  auto rows = conn.query(
      fmt::format("UPDATE tasks SET owner = $1 WHERE finished_at IS NULL AND (owner = $1 OR "
                  "owner NOT IN (SELECT name FROM coordinators WHERE last_seen > now() - "
                  "make_interval(secs => $2))) RETURNING task, origin, target, expected_hosts, "
                  "{}, {}, reply_to, reply_json",
                  epoch_us("dispatched_at"), epoch_us("deadline")),
      {owner, std::to_string(orphaned_after.count())});
  if (!rows) return rows.error();
  std::vector<RecoveredTask> tasks;
  for (int i = 0; i < rows->size(); ++i) {
    RecoveredTask t;
    if (!t.record.task.ParseFromString(rows->get_bytes(i, 0))) continue;
    t.record.origin = rows->get(i, 1);
    t.record.target = rows->get(i, 2);
    t.record.dispatched_us = rows->get_int(i, 4);
    t.record.deadline_us = rows->get_int(i, 5);
    t.record.reply_to = rows->get(i, 6);
    t.record.reply_json = rows->get_bool(i, 7);
    tasks.push_back(std::move(t));
  }
  // The expected hosts come back as an array literal; ask for them as rows.
  for (auto& t : tasks) {
    auto hosts =
        conn.query("SELECT unnest(expected_hosts) FROM tasks WHERE id = $1", {t.record.task.id()});
    if (!hosts) return hosts.error();
    for (int i = 0; i < hosts->size(); ++i) t.record.expected_hosts.emplace_back(hosts->get(i, 0));
  }
  return tasks;
}

Expected<void> attach_results_and_acks(PgConnection& conn, std::vector<RecoveredTask>& tasks) {
  std::map<std::string, RecoveredTask*> by_id;
  for (auto& t : tasks) by_id[t.record.task.id()] = &t;
  for (auto& [id, task] : by_id) {
    auto results = conn.query("SELECT result FROM results WHERE task_id = $1 ORDER BY host", {id});
    if (!results) return results.error();
    for (int i = 0; i < results->size(); ++i) {
      tend::Result r;
      if (r.ParseFromString(results->get_bytes(i, 0))) task->results.push_back(std::move(r));
    }
    auto acks = conn.query("SELECT host FROM task_acks WHERE task_id = $1", {id});
    if (!acks) return acks.error();
    for (int i = 0; i < acks->size(); ++i) task->acknowledged.emplace_back(acks->get(i, 0));
  }
  return {};
}

Expected<std::vector<RecoveredNode>> load_nodes(PgConnection& conn) {
  auto rows = conn.query(fmt::format("SELECT last_heartbeat, {}, {} FROM nodes ORDER BY host",
                                     epoch_us("first_seen"), epoch_us("last_seen")));
  if (!rows) return rows.error();
  std::vector<RecoveredNode> nodes;
  for (int i = 0; i < rows->size(); ++i) {
    RecoveredNode n;
    if (!n.heartbeat.ParseFromString(rows->get_bytes(i, 0))) continue;
    n.first_seen_us = rows->get_int(i, 1);
    n.last_seen_us = rows->get_int(i, 2);
    nodes.push_back(std::move(n));
  }
  return nodes;
}

}  // namespace

Expected<RecoveredState> recover(PgConnection& conn, const std::string& owner,
                                 std::chrono::seconds orphaned_after) {
  RecoveredState state;
  auto tasks = claim_tasks(conn, owner, orphaned_after);
  if (!tasks) return tasks.error();
  state.tasks = std::move(*tasks);
  if (auto ok = attach_results_and_acks(conn, state.tasks); !ok) return ok.error();
  auto nodes = load_nodes(conn);
  if (!nodes) return nodes.error();
  state.nodes = std::move(*nodes);
  return state;
}

}  // namespace tend::store
