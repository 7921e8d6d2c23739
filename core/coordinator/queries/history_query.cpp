#include "core/coordinator/queries/history_query.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "bus/names.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"
#include "core/common/request_bounds.h"
#include "core/coordinator/queries/task_row_query.h"
#include "schemas/result.pb.h"

namespace tend {
namespace {

std::vector<std::string> status_names() {
  std::vector<std::string> names;
  const auto* type = tend::Status_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != tend::STATUS_UNSPECIFIED)
      names.push_back(type->value(i)->name());
  }
  return names;
}

// Parameters are numbered as they are added; values never enter the SQL text.
class Filter {
 public:
  std::string param(std::string value) {
    params_.emplace_back(std::move(value));
    return fmt::format("${}", params_.size());
  }
  void where(std::string condition) { conditions_.push_back(std::move(condition)); }
  std::string clause() const {
    return conditions_.empty() ? "" : fmt::format(" WHERE {}", fmt::join(conditions_, " AND "));
  }
  const store::PgParams& params() const { return params_; }

 private:
  store::PgParams params_;
  std::vector<std::string> conditions_;
};

}  // namespace

Expected<std::string> status_named(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto names = status_names();
  if (std::find(names.begin(), names.end(), upper) != names.end()) return upper;
  return make_error(
      fmt::format("unknown status '{}': use one of {}", text, fmt::join(names, ", ")));
}

Expected<HistoryQuery> read_history_request(std::string_view data, Encoding encoding) {
  tend::HistoryRequest request;
  // An empty request asks for the newest tasks, whatever the encoding.
  if (!data.empty()) {
    if (auto ok = decode(data, encoding, request); !ok) return ok.error();
  }
  HistoryQuery query;
  if (!request.host().empty()) {
    if (auto ok = check_subject_name("host", request.host()); !ok) return ok.error();
    query.host = request.host();
  }
  if (!request.plugin().empty()) {
    if (auto ok = check_subject_name("plugin", request.plugin()); !ok) return ok.error();
    query.plugin = request.plugin();
  }
  if (!request.status().empty()) {
    if (auto ok = check_text("status", request.status(), kMaxKeywordBytes); !ok) return ok.error();
    auto status = status_named(request.status());
    if (!status) return status.error();
    query.status = *status;
  }
  if (!request.since().empty()) {
    if (auto ok = check_text("since", request.since(), kMaxKeywordBytes); !ok) return ok.error();
    auto since = parse_duration(request.since());
    if (!since) return make_error("since: " + since.error().message);
    if (auto ok = check_range("since", since->count(), 0, kMaxLookBackSeconds, "s"); !ok) {
      return ok.error();
    }
    query.since = *since;
  }
  if (auto ok = check_unsigned("limit", request.limit(), 0, kHistoryMaxLimit, ""); !ok) {
    return make_error(ok.error().message +
                      ": narrow the history with host, plugin, status or since instead");
  }
  if (request.limit() > 0) query.limit = request.limit();
  return query;
}

Expected<tend::HistoryReply> run_history(store::PgConnection& conn, const HistoryQuery& query,
                                         const ReplyBudget& budget) {
  Filter filter;
  if (!query.plugin.empty()) filter.where("t.plugin = " + filter.param(query.plugin));
  std::string host;
  if (!query.host.empty()) {
    host = filter.param(query.host);
    filter.where(fmt::format(
        "({0} = ANY(t.expected_hosts) OR EXISTS (SELECT 1 FROM results r WHERE r.task_id = t.id "
        "AND r.host = {0}))",
        host));
  }
  if (!query.status.empty()) {
    filter.where(
        fmt::format("EXISTS (SELECT 1 FROM results r WHERE r.task_id = t.id AND r.status = {}{})",
                    filter.param(query.status), host.empty() ? "" : " AND r.host = " + host));
  }
  if (query.since) {
    filter.where(fmt::format("t.dispatched_at >= now() - make_interval(secs => {})",
                             filter.param(std::to_string(query.since->count()))));
  }
  // One more than asked, to say whether there are more.
  auto rows = conn.query(fmt::format("{}{} ORDER BY t.dispatched_at DESC, t.id DESC LIMIT {}",
                                     task_row_select(), filter.clause(), query.limit + 1),
                         filter.params());
  if (!rows) return rows.error();
  tend::HistoryReply reply;
  const int count = std::min<int>(rows->size(), static_cast<int>(query.limit));
  for (int i = 0; i < count; ++i) *reply.add_tasks() = task_row_from(*rows, i);
  reply.set_more(rows->size() > count);
  if (!budget.fits(reply)) {
    tend::HistoryReply frame;
    frame.set_more(true);
    size_t room = budget.max_bytes() - std::min(budget.max_bytes(), budget.size_of(frame));
    if (budget.keep_within(*reply.mutable_tasks(), room, ReplyBudget::Drop::kFromBack) > 0) {
      reply.set_more(true);
    }
  }
  return reply;
}

}  // namespace tend
