#include "core/tendctl/audit_view.h"

#include <fmt/format.h>

#include "core/tendctl/exit_codes.h"
#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

constexpr size_t kDetailWidth = 100;

std::string detail_text(const tend::AuditRow& row) {
  std::string reason = row.reason().substr(0, row.reason().find('\n'));
  std::string detail = row.detail() == "{}" ? "" : row.detail();
  std::string text = reason.empty()   ? detail
                     : detail.empty() ? fmt::format("reason: {}", reason)
                                      : fmt::format("reason: {}; {}", reason, detail);
  if (text.size() > kDetailWidth) text = text.substr(0, kDetailWidth - 3) + "...";
  return text;
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace

std::string render_audit_rows(const google::protobuf::RepeatedPtrField<tend::AuditRow>& rows,
                              bool with_task) {
  std::vector<std::string> header = {"ID", "AT", "ACTOR", "ACTION"};
  if (with_task) header.push_back("TASK");
  header.insert(header.end(), {"TARGET", "DETAIL"});
  TextTable table(header, {Align::kRight});
  for (const auto& row : rows) {
    std::vector<Cell> cells = {{std::to_string(row.id())},
                               {clock_text(row.at().seconds())},
                               {or_dash(row.actor())},
                               {row.action()}};
    if (with_task) cells.push_back({or_dash(row.task_id())});
    cells.push_back({or_dash(row.target())});
    cells.push_back({detail_text(row)});
    table.add_row(std::move(cells));
  }
  return table.render(false);
}

std::string render_verification(const tend::AuditVerifyReply& verdict) {
  if (verdict.ok()) {
    std::string out = fmt::format("audit trail intact: {} row{} checked\n", verdict.rows_checked(),
                                  verdict.rows_checked() == 1 ? "" : "s");
    if (!verdict.head_hash().empty()) {
      out += fmt::format(
          "head: row {} sha256 {} (keep it elsewhere: rows removed from the end "
          "leave no gap)\n",
          verdict.head_id(), verdict.head_hash());
    }
    return out;
  }
  return fmt::format("audit trail BROKEN at row {}: {}\n", verdict.first_bad_id(),
                     verdict.problem());
}

int exit_code_for(const tend::AuditVerifyReply& verdict) {
  return verdict.ok() ? kAllSucceeded : kSomeFailed;
}

}  // namespace tend::tendctl
