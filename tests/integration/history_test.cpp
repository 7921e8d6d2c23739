// History, show and the audit trail as an operator and an auditor use them:
// the real tendctl, tend-coordinator (with a fresh PostgreSQL database) and
// agents. Results reach the store asynchronously (through the JetStream
// stream, in batches), so the tests wait until the store has them.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/codec.h"
#include "core/store/pg_connection.h"
#include "schemas/query.pb.h"
#include "schemas/summary.pb.h"
#include "tests/integration/programs.h"
#include "tests/support/eventually.h"
#include "tests/support/tend_stack.h"
#include "tests/support/test_database.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kStoredWithin = 20s;

const std::vector<AgentSpec> kFleet = {
    {"web-01", "web-server", {"production"}},
    {"web-02", "web-server", {"production"}},
    {"db-01", "database", {"production"}},
};

template <typename T>
Expected<T> from_json(const std::string& json) {
  T out;
  if (auto ok = decode(json, Encoding::kJson, out); !ok) {
    return make_error(ok.error().message + ": " + json);
  }
  return out;
}

// Each test has a database and a fleet of its own, so what one stores never
// shows in another's history.
class History : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = TestDatabase::create();
    if (!db) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test";
    ASSERT_TRUE(*db) << db->error().message;
    db_.emplace(std::move(**db));
    CoordinatorSettings settings;
    settings.database_url = db_->url();
    stack_ = std::make_unique<TendStack>(built_programs(), kFleet, settings);
    auto started = stack_->start(30s);  // the coordinator migrates the fresh database first
    ASSERT_TRUE(started) << started.error().message;
  }
  void TearDown() override {
    if (HasFailure() && stack_) std::cerr << stack_->logs();
    stack_.reset();  // before the database goes
  }

  Expected<Completed> tendctl(const std::vector<std::string>& args) {
    return run_tendctl(stack_->nats_url(), args, stack_->dir());
  }

  // Runs a task through tendctl and returns its id.
  std::string run_task(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"run"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--json");
    auto ctl = tendctl(argv);
    EXPECT_TRUE(ctl) << ctl.error().message;
    if (!ctl) return {};
    auto summary = from_json<tend::Summary>(ctl->out);
    EXPECT_TRUE(summary) << summary.error().message << "\n" << described(*ctl);
    return summary ? summary->task_id() : std::string();
  }

  // `tendctl args... --json` until `done` says its reply is complete.
  template <typename Reply>
  Expected<Reply> wait_for(std::vector<std::string> args, std::function<bool(const Reply&)> done) {
    args.push_back("--json");
    std::optional<Expected<Reply>> answer;  // complete, or an error asking again cannot mend
    std::string last = "not asked yet";
    eventually(
        [&] {
          auto ctl = tendctl(args);
          if (!ctl) {
            answer.emplace(ctl.error());
            return true;
          }
          if (ctl->exit_code == 0) {
            auto reply = from_json<Reply>(ctl->out);
            if (!reply || done(*reply)) {
              answer.emplace(std::move(reply));
              return true;
            }
          }
          last = described(*ctl);
          return false;
        },
        kStoredWithin, 100ms);
    if (answer) return std::move(*answer);
    return make_error("still not there after " + std::to_string(kStoredWithin.count()) +
                      "s; last answer:\n" + last);
  }

  // Until the store has every result of `task_id` and its summary.
  Expected<tend::ShowReply> wait_until_stored(const std::string& task_id) {
    return wait_for<tend::ShowReply>({"show", task_id}, [](const tend::ShowReply& show) {
      if (show.state() != "finished") return false;
      bool summarised = false;
      for (const auto& row : show.audit()) summarised |= row.action() == "summary";
      return summarised && show.results_size() == static_cast<int>(show.task().responded()) &&
             show.task().responded() == show.task().succeeded() + show.task().failed();
    });
  }

  // As the superuser, who can switch the append-only triggers off: what an
  // attacker with the database's keys could do.
  Expected<void> tamper(const std::string& sql) {
    auto root = store::PgConnection::connect(db_->superuser_url(), 5s);
    if (!root) return root.error();
    return (*root)->exec_script("ALTER TABLE audit_log DISABLE TRIGGER USER; " + sql +
                                "; ALTER TABLE audit_log ENABLE TRIGGER USER");
  }

  std::optional<TestDatabase> db_;
  std::unique_ptr<TendStack> stack_;
};

TEST_F(History, ListsTasksRunThroughTendctlAndTheFiltersNarrowIt) {
  const std::string fleet = run_task({"--role", "web-server", "noop"});
  const std::string failed = run_task({"--host", "web-01", "noop", "fail=repo error"});
  const std::string db = run_task({"--host", "db-01", "noop", "--reason", "nightly check"});
  // And one through the NATS CLI's way in: JSON on tend.submit.
  auto submitted = stack_->submit_json(
      R"({"target":{"hosts":["web-02"]},"plugin":"noop","requested_by":"cron"})", 20s);
  ASSERT_TRUE(submitted) << submitted.error().message;
  auto direct = submitted->summary();
  ASSERT_TRUE(direct) << direct.error().message;
  for (const auto& id : {fleet, failed, db, direct->task_id()}) {
    ASSERT_FALSE(id.empty());
    auto stored = wait_until_stored(id);
    ASSERT_TRUE(stored) << id << ": " << stored.error().message;
  }

  auto table = tendctl({"history"});
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->exit_code, 0) << described(*table);
  EXPECT_THAT(table->out,
              AllOf(StartsWith("WHEN"), HasSubstr(fleet), HasSubstr(failed), HasSubstr(db),
                    HasSubstr("0/1 succeeded; web-01 FAILED: repo error"),
                    HasSubstr("roles=web-server"), HasSubstr("4 tasks")))
      << described(*table);
  EXPECT_LT(table->out.find(direct->task_id()), table->out.find(fleet)) << "newest first";

  auto ids = [&](std::vector<std::string> args) {
    std::vector<std::string> found;
    auto reply = wait_for<tend::HistoryReply>(std::move(args), [](const auto&) { return true; });
    EXPECT_TRUE(reply) << reply.error().message;
    if (reply) {
      for (const auto& row : reply->tasks()) found.push_back(row.task_id());
    }
    return found;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(ids({"history", "--plugin", "noop"}), (V{direct->task_id(), db, failed, fleet}));
  EXPECT_EQ(ids({"history", "--plugin", "disk-cleanup"}), V{});
  EXPECT_EQ(ids({"history", "--host", "db-01"}), V{db});
  EXPECT_EQ(ids({"history", "--host", "web-02"}), (V{direct->task_id(), fleet}));
  EXPECT_EQ(ids({"history", "--status", "failed"}), V{failed});
  EXPECT_EQ(ids({"history", "--host", "web-02", "--status", "FAILED"}), V{});
  EXPECT_EQ(ids({"history", "--since", "1h"}).size(), 4u);
  EXPECT_EQ(ids({"history", "--limit", "2"}), (V{direct->task_id(), db}));

  auto more = tendctl({"history", "--limit", "1"});
  ASSERT_TRUE(more) << more.error().message;
  EXPECT_THAT(more->out, HasSubstr("more match")) << described(*more);

  for (const auto& [args, words] : std::vector<std::pair<V, std::string>>{
           {{"history", "--status", "exploded"}, "unknown status 'exploded'"},
           {{"history", "--since", "a while"}, "'a while' is not a duration"},
           {{"history", "--limit", "5000"}, "limit 5000 is out of range: use 0 to 1000"}}) {
    auto bad = tendctl(args);
    ASSERT_TRUE(bad) << bad.error().message;
    EXPECT_EQ(bad->exit_code, 2) << described(*bad);
    EXPECT_THAT(bad->err, HasSubstr(words)) << described(*bad);
  }
}

TEST_F(History, ShowGivesEveryHostsResultOutputsAndTheAuditRows) {
  const std::string id =
      run_task({"--role", "web-server", "noop", "fail=disk still full", "--reason", "DiskFull"});
  auto stored = wait_until_stored(id);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->results_size(), 2);
  EXPECT_EQ(stored->task().reason(), "DiskFull");

  auto show = tendctl({"show", id});
  ASSERT_TRUE(show) << show.error().message;
  EXPECT_EQ(show->exit_code, 0) << described(*show);
  EXPECT_THAT(
      show->out,
      AllOf(HasSubstr("task " + id + " (noop): finished"), HasSubstr("reason:    DiskFull"),
            HasSubstr("web-01  FAILED"), HasSubstr("web-02  FAILED"), HasSubstr("disk still full"),
            HasSubstr("Outputs"), HasSubstr("Audit trail"), HasSubstr(" submit "),
            HasSubstr(" dispatch "), HasSubstr(" result "), HasSubstr(" summary ")))
      << described(*show);

  auto unknown = tendctl({"show", "t-never-was"});
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(unknown->exit_code, 2) << described(*unknown);
  EXPECT_THAT(unknown->err, HasSubstr("no task 't-never-was'")) << described(*unknown);
}

TEST_F(History, TheAuditTrailShowsEveryStepAndVerifyCatchesTampering) {
  const std::string id = run_task({"--host", "db-01", "noop", "--reason", "audit me"});
  ASSERT_TRUE(wait_until_stored(id));

  auto tail = wait_for<tend::AuditTailReply>(
      {"audit", "tail", "--task", id},
      [](const tend::AuditTailReply& r) { return r.rows_size() >= 4; });
  ASSERT_TRUE(tail) << tail.error().message;
  std::vector<std::string> actions;
  int64_t submit_row = 0;
  for (const auto& row : tail->rows()) {
    actions.push_back(row.action());
    if (row.action() == "submit") submit_row = row.id();
  }
  EXPECT_THAT(actions, ::testing::UnorderedElementsAre("submit", "dispatch", "result", "summary"));
  ASSERT_GT(submit_row, 0);

  auto table = tendctl({"audit", "tail", "-n", "50"});
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(table->exit_code, 0) << described(*table);
  EXPECT_THAT(table->out, AllOf(HasSubstr(id), HasSubstr("reason: audit me"), HasSubstr("submit"),
                                HasSubstr("dispatch"), HasSubstr("result"), HasSubstr("summary")))
      << described(*table);

  auto intact = tendctl({"audit", "verify"});
  ASSERT_TRUE(intact) << intact.error().message;
  EXPECT_EQ(intact->exit_code, 0) << described(*intact);
  EXPECT_THAT(intact->out, StartsWith("audit trail intact: ")) << described(*intact);
  EXPECT_THAT(intact->out, HasSubstr(" rows checked")) << described(*intact);
  {  // The head it names is the newest row's own hash, as PostgreSQL has it.
    auto conn = store::PgConnection::connect(db_->url(), 5s);
    ASSERT_TRUE(conn) << conn.error().message;
    auto head = (*conn)->query(
        "SELECT id, encode(hash, 'hex') FROM audit_log ORDER BY id DESC "
        "LIMIT 1");
    ASSERT_TRUE(head && !head->empty());
    EXPECT_THAT(intact->out,
                HasSubstr(fmt::format("head: row {} sha256 {}", head->get(0, 0), head->get(0, 1))))
        << described(*intact);
  }

  ASSERT_TRUE(tamper("UPDATE audit_log SET reason = 'nothing to see' WHERE id = " +
                     std::to_string(submit_row)));
  const std::string broken = "audit trail BROKEN at row " + std::to_string(submit_row) + ": ";
  auto asked = tendctl({"audit", "verify"});
  ASSERT_TRUE(asked) << asked.error().message;
  EXPECT_EQ(asked->exit_code, 1) << described(*asked);
  EXPECT_THAT(asked->out, AllOf(StartsWith(broken), HasSubstr("altered"))) << described(*asked);

  // An auditor who does not trust the coordinator asks PostgreSQL directly.
  auto direct = tendctl({"audit", "verify", "--database", db_->url()});
  ASSERT_TRUE(direct) << direct.error().message;
  EXPECT_EQ(direct->exit_code, 1) << described(*direct);
  EXPECT_EQ(direct->out, asked->out) << described(*direct);

  auto json = tendctl({"audit", "verify", "--database", db_->url(), "--json"});
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(json->exit_code, 1) << described(*json);
  auto verdict = from_json<tend::AuditVerifyReply>(json->out);
  ASSERT_TRUE(verdict) << verdict.error().message;
  EXPECT_FALSE(verdict->ok());
  EXPECT_EQ(verdict->first_bad_id(), submit_row);

  auto nowhere = tendctl({"audit", "verify", "--database", "postgresql://tend@127.0.0.1:1/tend"});
  ASSERT_TRUE(nowhere) << nowhere.error().message;
  EXPECT_EQ(nowhere->exit_code, 4) << described(*nowhere);
  EXPECT_THAT(nowhere->err, HasSubstr("cannot reach PostgreSQL")) << described(*nowhere);
}

TEST_F(History, ReloadsAreInTheAuditTrailWithWhoAskedAndWhatChanged) {
  // One reload asked for over NATS by an operator, one by a signal on the node.
  auto ctl = tendctl({"reload", "--host", "web-01", "--reason", "new plugin"});
  ASSERT_TRUE(ctl && ctl->exit_code == 0) << (ctl ? described(*ctl) : ctl.error().message);
  ASSERT_EQ(kill(stack_->agent("db-01").pid(), SIGHUP), 0);

  auto tail = wait_for<tend::AuditTailReply>({"audit", "tail", "-n", "50"},
                                             [](const tend::AuditTailReply& reply) {
                                               int reloads = 0;
                                               for (const auto& row : reply.rows())
                                                 reloads += row.action() == "reload";
                                               return reloads >= 2;
                                             });
  ASSERT_TRUE(tail) << tail.error().message;
  std::vector<std::string> seen;
  for (const auto& row : tail->rows()) {
    if (row.action() == "reload") seen.push_back(row.actor() + " " + row.reason());
    if (row.action() == "control") {
      EXPECT_EQ(row.target(), "web-01");
      EXPECT_EQ(row.reason(), "new plugin");
    }
  }
  EXPECT_THAT(seen, ::testing::UnorderedElementsAre(::testing::StartsWith("web-01 control by "),
                                                    "db-01 SIGHUP"));
}

}  // namespace
}  // namespace tend::testing
