#include "core/coordinator/queries/task_detail_query.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "bus/bounded_text.h"
#include "bus/names.h"
#include "core/common/request_bounds.h"
#include "core/common/wall_time.h"
#include "core/coordinator/queries/task_row_query.h"
#include "core/store/audit_chain.h"
#include "core/store/audit_messages.h"
#include "core/store/sql_time.h"
#include "schemas/summary.pb.h"

namespace tend {

using store::epoch_us;
namespace {

// What an output value is cut to when the whole reply does not fit.
constexpr size_t kTrimmedOutput = 2048;

constexpr int kTaskExtra = kTaskRowColumns;  // the first column after the row

Expected<bool> read_task(store::PgConnection& conn, const std::string& task_id,
                         tend::ShowReply& reply) {
  auto rows = conn.query(task_row_select(fmt::format(
                             "t.params::text, t.timeout_s, array_to_json(t.expected_hosts)::text, "
                             "{}, t.owner, t.summary",
                             epoch_us("t.deadline"))) +
                             " WHERE t.id = $1",
                         {task_id});
  if (!rows) return rows.error();
  if (rows->empty()) return false;
  *reply.mutable_task() = task_row_from(*rows, 0);
  reply.set_state(reply.task().has_finished_at() ? "finished" : "in flight");
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(std::string(rows->get(0, kTaskExtra)),
                                                    reply.mutable_params(), lenient);
  reply.set_timeout_s(static_cast<uint32_t>(rows->get_int(0, kTaskExtra + 1)));
  auto hosts = nlohmann::json::parse(rows->get(0, kTaskExtra + 2), nullptr, false);
  if (hosts.is_array()) {
    for (const auto& host : hosts) {
      if (host.is_string()) reply.add_expected_hosts(host.get<std::string>());
    }
  }
  *reply.mutable_deadline() = timestamp_from_micros(rows->get_int(0, kTaskExtra + 3));
  reply.set_owner(std::string(rows->get(0, kTaskExtra + 4)));
  if (!rows->is_null(0, kTaskExtra + 5)) {
    tend::Summary summary;
    if (summary.ParseFromString(rows->get_bytes(0, kTaskExtra + 5))) {
      *reply.mutable_unreachable() = summary.unreachable();
      *reply.mutable_no_result() = summary.no_result();
      reply.set_duration_ms(summary.duration_ms());
    }
  }
  return true;
}

// From the columns, which hold text made valid for PostgreSQL, rather than
// the stored message, which holds whatever the agent sent.
Expected<void> read_results(store::PgConnection& conn, const std::string& task_id,
                            tend::ShowReply& reply) {
  auto rows = conn.query(
      fmt::format("SELECT host, plugin, status, summary, error, verified, dry_run, outputs::text, "
                  "figures::text, {}, {}, duration_ms FROM results WHERE task_id = $1 "
                  "ORDER BY host",
                  epoch_us("started_at"), epoch_us("finished_at")),
      {task_id});
  if (!rows) return rows.error();
  for (int i = 0; i < rows->size(); ++i) {
    tend::Result& r = *reply.add_results();
    r.set_task_id(task_id);
    r.set_host(std::string(rows->get(i, 0)));
    r.set_plugin(std::string(rows->get(i, 1)));
    tend::Status status = tend::STATUS_UNSPECIFIED;
    if (tend::Status_Parse(std::string(rows->get(i, 2)), &status)) r.set_status(status);
    r.set_summary(std::string(rows->get(i, 3)));
    r.set_error(std::string(rows->get(i, 4)));
    r.set_verified(rows->get_bool(i, 5));
    r.set_dry_run(rows->get_bool(i, 6));
    auto outputs = nlohmann::json::parse(rows->get(i, 7), nullptr, false);
    if (outputs.is_object()) {
      for (const auto& [key, value] : outputs.items()) {
        (*r.mutable_outputs())[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    auto figures = nlohmann::json::parse(rows->get(i, 8), nullptr, false);
    if (figures.is_object()) {
      for (const auto& [key, value] : figures.items()) {
        if (value.is_number()) (*r.mutable_figures())[key] = value.get<double>();
      }
    }
    if (!rows->is_null(i, 9)) *r.mutable_started_at() = timestamp_from_micros(rows->get_int(i, 9));
    if (!rows->is_null(i, 10))
      *r.mutable_finished_at() = timestamp_from_micros(rows->get_int(i, 10));
    r.set_duration_ms(static_cast<uint64_t>(rows->get_int(i, 11)));
  }
  return {};
}

Expected<void> read_acks(store::PgConnection& conn, const std::string& task_id,
                         tend::ShowReply& reply) {
  auto rows = conn.query("SELECT host FROM task_acks WHERE task_id = $1 ORDER BY host", {task_id});
  if (!rows) return rows.error();
  for (int i = 0; i < rows->size(); ++i) reply.add_acknowledged(std::string(rows->get(i, 0)));
  return {};
}

Expected<void> read_audit(store::PgConnection& conn, const std::string& task_id,
                          tend::ShowReply& reply) {
  auto rows = store::read_audit_tail(conn, kShowAuditLimit, task_id);
  if (!rows) return rows.error();
  for (const auto& row : *rows) *reply.add_audit() = store::audit_row_message(row);
  if (rows->size() == static_cast<size_t>(kShowAuditLimit)) {
    auto total = conn.query("SELECT count(*) FROM audit_log WHERE task_id = $1", {task_id});
    if (!total) return total.error();
    reply.set_audit_omitted(static_cast<uint32_t>(total->get_int(0, 0) - kShowAuditLimit));
  }
  return {};
}

size_t room_for(const tend::ShowReply& reply, const ReplyBudget& budget) {
  return budget.max_bytes() - std::min(budget.max_bytes(), budget.size_of(reply));
}

}  // namespace

Expected<std::string> read_show_request(std::string_view data, Encoding encoding) {
  tend::ShowRequest request;
  if (!data.empty()) {
    if (auto ok = decode(data, encoding, request); !ok) return ok.error();
  }
  if (request.task_id().empty()) {
    return make_error(
        "task_id is missing: say which task, e.g. {\"task_id\": \"t-6f1c0a9e2b7d4c35\"} "
        "(`tendctl history` lists recent ones)");
  }
  if (auto ok = check_subject_name("task id", request.task_id()); !ok) return ok.error();
  return request.task_id();
}

Expected<tend::ShowReply> run_show(store::PgConnection& conn, const std::string& task_id,
                                   const ReplyBudget& budget) {
  tend::ShowReply reply;
  auto found = read_task(conn, task_id, reply);
  if (!found) return found.error();
  if (auto ok = read_results(conn, task_id, reply); !ok) return ok.error();
  if (auto ok = read_acks(conn, task_id, reply); !ok) return ok.error();
  if (auto ok = read_audit(conn, task_id, reply); !ok) return ok.error();
  if (!*found) {
    if (reply.results().empty() && reply.audit().empty()) {
      return make_error(fmt::format(
          "no task '{}' in the store: check the id (`tendctl history` lists recent tasks); a "
          "task is stored within a second of its dispatch",
          task_id));
    }
    // Results are stored even when their task never was (nothing an agent
    // sent is lost): show what there is.
    reply.mutable_task()->set_task_id(task_id);
    if (!reply.results().empty()) reply.mutable_task()->set_plugin(reply.results(0).plugin());
    reply.mutable_task()->set_responded(static_cast<uint32_t>(reply.results_size()));
    reply.set_state("results only");
  }
  fit_show_reply(reply, budget);
  return reply;
}

void fit_show_reply(tend::ShowReply& reply, const ReplyBudget& budget) {
  if (budget.fits(reply)) return;
  for (auto& result : *reply.mutable_results()) {
    for (auto& [key, value] : *result.mutable_outputs()) {
      if (value.size() > kTrimmedOutput) {
        value = bounded_text(value, kTrimmedOutput);
        reply.set_outputs_trimmed(true);
      }
    }
  }
  if (budget.fits(reply)) return;
  for (auto& result : *reply.mutable_results()) {
    if (!result.outputs().empty()) reply.set_outputs_trimmed(true);
    result.clear_outputs();
  }
  if (budget.fits(reply)) return;
  // Each result's audit row repeats the result.
  auto& audit = *reply.mutable_audit();
  const int before = audit.size();
  audit.erase(std::remove_if(audit.begin(), audit.end(),
                             [](const tend::AuditRow& row) { return row.action() == "result"; }),
              audit.end());
  reply.set_audit_omitted(reply.audit_omitted() + static_cast<uint32_t>(before - audit.size()));
  if (budget.fits(reply)) return;
  // The results first; the audit rows (oldest first) with what room is left.
  tend::ShowReply audit_rows;
  audit_rows.mutable_audit()->Swap(reply.mutable_audit());
  auto& results = *reply.mutable_results();
  tend::ShowReply frame = reply;
  frame.clear_results();
  frame.set_results_omitted(static_cast<uint32_t>(results.size()));
  frame.set_audit_omitted(reply.audit_omitted() + static_cast<uint32_t>(audit_rows.audit_size()));
  reply.set_results_omitted(static_cast<uint32_t>(
      budget.keep_within(results, room_for(frame, budget), ReplyBudget::Drop::kFromBack)));
  frame = reply;
  frame.set_audit_omitted(reply.audit_omitted() + static_cast<uint32_t>(audit_rows.audit_size()));
  size_t dropped = budget.keep_within(*audit_rows.mutable_audit(), room_for(frame, budget),
                                      ReplyBudget::Drop::kFromBack);
  reply.mutable_audit()->Swap(audit_rows.mutable_audit());
  reply.set_audit_omitted(reply.audit_omitted() + static_cast<uint32_t>(dropped));
}

}  // namespace tend
