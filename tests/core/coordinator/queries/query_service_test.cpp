// The QueryService against a real PostgreSQL, filled through the StoreWriter
// as the coordinator fills it, and a real nats-server: what operators ask on
// tend.history, tend.show, tend.audit.tail and tend.audit.verify, in JSON (as
// the NATS CLI sends it) and in protobuf (as tendctl does).
#include "core/coordinator/queries/query_service.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <random>

#include "core/store/copy_text.h"
#include "core/store/store_writer.h"
#include "schemas/query.pb.h"
#include "tests/core/store/store_test_database.h"
#include "tests/support/eventually.h"
#include "tests/support/nats_server.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr auto kRequestTimeout = 10s;
constexpr int64_t kMinute = 60'000'000;  // in microseconds

tend::Task task(const std::string& id, const std::string& plugin) {
  tend::Task t;
  t.set_id(id);
  t.set_plugin(plugin);
  t.set_timeout_s(30);
  t.set_reason("DiskFull on web-01");
  t.set_requested_by("alice");
  (*t.mutable_params()->mutable_fields())["max_age_days"].set_number_value(7);
  return t;
}

store::TaskRecord record(const std::string& id, const std::string& plugin, std::string target,
                         std::vector<std::string> hosts, int64_t dispatched_us) {
  return store::TaskRecord{task(id, plugin), "submit",      "target " + std::move(target),
                           std::move(hosts), dispatched_us, dispatched_us + kMinute,
                           "_INBOX.x",       true};
}

tend::Result result(const std::string& task_id, const std::string& host, const std::string& plugin,
                    tend::Status status, const std::string& text) {
  tend::Result r;
  r.set_task_id(task_id);
  r.set_host(host);
  r.set_plugin(plugin);
  r.set_status(status);
  if (status == tend::SUCCEEDED) {
    r.set_summary(text);
  } else {
    r.set_error(text);
  }
  (*r.mutable_outputs())["stdout"] = "line one\nline two";
  (*r.mutable_figures())["bytes_reclaimed"] = 1024;
  r.set_duration_ms(120);
  *r.mutable_finished_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return r;
}

tend::Summary summary(const std::string& task_id, uint32_t expected, uint32_t succeeded,
                      uint32_t failed, const std::string& text) {
  tend::Summary s;
  s.set_task_id(task_id);
  s.set_expected(expected);
  s.set_succeeded(succeeded);
  s.set_failed(failed);
  s.set_responded(succeeded + failed);
  s.set_complete(succeeded + failed == expected);
  s.set_text(text);
  s.set_duration_ms(1500);
  return s;
}

store::AuditEntry audit(const std::string& actor, const std::string& action,
                        const std::string& task_id) {
  return store::AuditEntry{store::now_us(), actor, action, task_id, "roles=web-server", "", "{}"};
}

class QueryServiceTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    subjects_ = Subjects(fmt::format("q{:x}", std::random_device{}()));
    nats_ = connect_nats("query service");
    client_ = connect_nats("test operator");
    ASSERT_TRUE(nats_ && client_);
    service_ = start_service(db_->url());
  }

  void TearDown() override {
    if (service_) service_->stop();
  }

  static std::unique_ptr<Connection> connect_nats(const std::string& name) {
    ConnectionOptions options;
    options.servers = {testing::NatsServer::shared().url()};
    options.name = name;
    auto conn = Connection::connect(options);
    EXPECT_TRUE(conn) << conn.error().message;
    return conn ? std::move(*conn) : nullptr;
  }

  std::unique_ptr<QueryService> start_service(const std::string& url) {
    auto service = QueryService::start(*nats_, subjects_, {url});
    EXPECT_TRUE(service) << service.error().message;
    EXPECT_TRUE(nats_->flush(2s));
    return service ? std::move(*service) : nullptr;
  }

  // Three tasks, as the coordinator would have stored them: one from three
  // days ago with a failure and a host that never answered, one finished a
  // minute ago, one still in flight; and results whose task was never stored.
  void fill() {
    const int64_t now = store::now_us();
    store::StoreWriter writer({db_->url(), "coordinator-a"}, nullptr);
    writer.audit(audit("alice", "submit", "t-old"));
    writer.task_dispatched(record("t-old", "noop", "roles=web-server",
                                  {"web-01", "web-02", "web-03"}, now - 3 * 24 * 60 * kMinute));
    writer.task_acknowledged("t-old", "web-01");
    writer.task_acknowledged("t-old", "web-02");
    writer.result_received(result("t-old", "web-01", "noop", tend::SUCCEEDED, "noop slept 0 ms"));
    writer.result_received(result("t-old", "web-02", "noop", tend::FAILED, "repo error"));
    tend::Summary old = summary("t-old", 3, 1, 1,
                                "1/3 succeeded; web-02 FAILED: repo error; "
                                "web-03 unreachable");
    old.add_unreachable("web-03");
    old.add_missing("web-03");
    writer.task_finished(old);
    writer.audit(audit("coordinator-a", "summary", "t-old"));

    writer.task_dispatched(
        record("t-new", "disk-cleanup", "hosts=db-01", {"db-01"}, now - kMinute));
    writer.result_received(
        result("t-new", "db-01", "disk-cleanup", tend::SUCCEEDED, "freed 2.1 GiB"));
    // A host that was not expected, but answered: it took part too.
    writer.result_received(
        result("t-new", "cache-01", "disk-cleanup", tend::SUCCEEDED, "freed 1 MiB"));
    writer.task_finished(summary("t-new", 1, 1, 0, "1/1 succeeded"));

    writer.task_dispatched(
        record("t-running", "noop", "roles=web-server", {"web-01", "web-03"}, now - 2'000'000));
    writer.task_acknowledged("t-running", "web-03");
    writer.result_received(
        result("t-running", "web-01", "noop", tend::SUCCEEDED, "noop slept 0 ms"));

    writer.result_received(result("t-orphan", "web-09", "noop", tend::REJECTED, "paused"));
    ASSERT_TRUE(writer.flush(10s));
  }

  // The raw reply to `data` sent as it is (JSON, as the NATS CLI sends it).
  std::string ask_json(const std::string& subject, const std::string& data) {
    auto reply = client_->request_raw(subject, data, kRequestTimeout);
    EXPECT_TRUE(reply) << reply.error().message;
    if (!reply) return {};
    EXPECT_EQ(reply->encoding(), Encoding::kJson);
    return std::string(reply->data());
  }

  // The reply to a protobuf request, decoded as `Reply`; an ErrorReply's
  // reason as an error.
  template <typename Reply>
  Expected<Reply> ask(const std::string& subject, const google::protobuf::Message& request) {
    auto reply = client_->request(subject, request, Encoding::kProtobuf, kRequestTimeout);
    if (!reply) return reply.error();
    tend::ErrorReply refusal;
    if (reply->decode(refusal) && !refusal.error().empty()) return make_error(refusal.error());
    Reply out;
    if (auto ok = reply->decode(out); !ok) return ok.error();
    return out;
  }

  Expected<tend::HistoryReply> history(const std::string& json) {
    tend::HistoryRequest request;
    if (auto ok = decode(json, Encoding::kJson, request); !ok) return ok.error();
    return ask<tend::HistoryReply>(subjects_.history(), request);
  }

  static std::vector<std::string> ids(const tend::HistoryReply& reply) {
    std::vector<std::string> out;
    for (const auto& row : reply.tasks()) out.push_back(row.task_id());
    return out;
  }

  Subjects subjects_;
  std::unique_ptr<Connection> nats_;
  std::unique_ptr<Connection> client_;
  std::unique_ptr<QueryService> service_;
};

// --- tend.history -------------------------------------------------------------

TEST_F(QueryServiceTest, HistoryListsTheNewestFirstWithTheirOutcome) {
  fill();
  auto reply = history("{}");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_THAT(ids(*reply), ElementsAre("t-running", "t-new", "t-old"));
  EXPECT_FALSE(reply->more());
  const auto& running = reply->tasks(0);
  EXPECT_FALSE(running.has_finished_at()) << "in flight";
  EXPECT_EQ(running.expected(), 2u);
  EXPECT_EQ(running.responded(), 1u);
  EXPECT_EQ(running.succeeded(), 1u);
  EXPECT_EQ(running.text(), "");
  const auto& old = reply->tasks(2);
  EXPECT_TRUE(old.has_finished_at());
  EXPECT_EQ(old.plugin(), "noop");
  EXPECT_EQ(old.origin(), "submit");
  EXPECT_EQ(old.target(), "target roles=web-server");
  EXPECT_EQ(old.requested_by(), "alice");
  EXPECT_EQ(old.reason(), "DiskFull on web-01");
  EXPECT_EQ(old.expected(), 3u);
  EXPECT_EQ(old.succeeded(), 1u);
  EXPECT_EQ(old.failed(), 1u);
  EXPECT_FALSE(old.complete());
  EXPECT_EQ(old.text(), "1/3 succeeded; web-02 FAILED: repo error; web-03 unreachable");
  EXPECT_LT(old.dispatched_at().seconds(), reply->tasks(1).dispatched_at().seconds());
}

TEST_F(QueryServiceTest, HistoryFiltersByPluginHostStatusAndAge) {
  fill();
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"({"plugin":"noop"})", {"t-running", "t-old"}},
      {R"({"plugin":"disk-cleanup"})", {"t-new"}},
      {R"({"plugin":"package-update"})", {}},
      {R"({"host":"web-03"})", {"t-running", "t-old"}},  // expected, whether it answered or not
      {R"({"host":"cache-01"})", {"t-new"}},             // answered without being expected
      {R"({"host":"web-42"})", {}},
      {R"({"status":"FAILED"})", {"t-old"}},
      {R"({"status":"succeeded"})", {"t-running", "t-new", "t-old"}},
      {R"({"host":"web-02","status":"FAILED"})", {"t-old"}},
      {R"({"host":"web-01","status":"FAILED"})", {}},  // that host's result, not any host's
      {R"({"since":"1h"})", {"t-running", "t-new"}},
      {R"({"since":"520w"})", {"t-running", "t-new", "t-old"}},  // ten years: all
      {R"({"since":"1h","plugin":"noop","host":"web-01"})", {"t-running"}},
  };
  for (const auto& [filter, expected] : cases) {
    auto reply = history(filter);
    ASSERT_TRUE(reply) << filter << ": " << reply.error().message;
    EXPECT_EQ(ids(*reply), expected) << filter;
  }
}

TEST_F(QueryServiceTest, HistorySaysWhenMoreMatchThanTheLimit) {
  fill();
  auto reply = history(R"({"limit":2})");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_THAT(ids(*reply), ElementsAre("t-running", "t-new"));
  EXPECT_TRUE(reply->more());
  auto all = history(R"({"limit":3})");
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_FALSE(all->more());
}

TEST_F(QueryServiceTest, JsonInJsonOut) {
  fill();
  std::string raw = ask_json(subjects_.history(), R"({"plugin":"disk-cleanup"})");
  tend::HistoryReply reply;
  ASSERT_TRUE(decode(raw, Encoding::kJson, reply)) << raw;
  EXPECT_THAT(ids(reply), ElementsAre("t-new"));
  EXPECT_THAT(raw, HasSubstr(R"("task_id":"t-new")"));
  // An empty request, as `nats request tend.history ''` sends it.
  raw = ask_json(subjects_.history(), "");
  ASSERT_TRUE(decode(raw, Encoding::kJson, reply)) << raw;
  EXPECT_EQ(reply.tasks_size(), 3);
}

// --- bad requests -------------------------------------------------------------

TEST_F(QueryServiceTest, BadRequestsGetAnErrorThatSaysWhatToChange) {
  const std::vector<std::tuple<std::string, std::string, std::string>> mistakes = {
      {subjects_.history(), R"({"status":"broken"})", "unknown status 'broken': use one of"},
      {subjects_.history(), R"({"since":"last week"})", "since: 'last week' is not a duration"},
      {subjects_.history(), R"({"hots":"web-01"})", "unknown field \"hots\""},
      {subjects_.history(), R"({"since":"100000w"})",
       "since 60480000000 is out of range: use 0 to 315360000 s"},
      {subjects_.history(), R"({"limit":100000})", "limit 100000 is out of range: use 0 to 1000"},
      {subjects_.show(), R"({})", "task_id is missing"},
      {subjects_.show(), R"({"task_id":"t-nowhere"})", "no task 't-nowhere' in the store"},
      {subjects_.audit_tail(), R"({"limit":5000})", "limit 5000 is out of range: use 0 to 1000"},
      {subjects_.audit_verify(), R"({"deep":true})", "unknown field \"deep\""},
  };
  for (const auto& [subject, data, words] : mistakes) {
    std::string raw = ask_json(subject, data);
    tend::ErrorReply error;
    ASSERT_TRUE(decode(raw, Encoding::kJson, error)) << subject << " " << data << ": " << raw;
    EXPECT_THAT(error.error(), HasSubstr(words)) << subject << " " << data;
  }
  // The same in protobuf.
  tend::ShowRequest show;
  show.set_task_id("t-nowhere");
  auto reply = ask<tend::ShowReply>(subjects_.show(), show);
  ASSERT_FALSE(reply);
  EXPECT_THAT(reply.error().message, HasSubstr("no task 't-nowhere'"));
}

// --- tend.show ----------------------------------------------------------------

TEST_F(QueryServiceTest, ShowGivesEveryResultTheSilentHostsAndTheAuditRows) {
  fill();
  tend::ShowRequest request;
  request.set_task_id("t-old");
  auto reply = ask<tend::ShowReply>(subjects_.show(), request);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->state(), "finished");
  EXPECT_EQ(reply->task().task_id(), "t-old");
  EXPECT_EQ(reply->task().text(), "1/3 succeeded; web-02 FAILED: repo error; web-03 unreachable");
  EXPECT_EQ(reply->params().fields().at("max_age_days").number_value(), 7);
  EXPECT_EQ(reply->timeout_s(), 30u);
  EXPECT_EQ(reply->owner(), "coordinator-a");
  EXPECT_THAT(reply->expected_hosts(), ElementsAre("web-01", "web-02", "web-03"));
  EXPECT_THAT(reply->acknowledged(), ElementsAre("web-01", "web-02"));
  EXPECT_THAT(reply->unreachable(), ElementsAre("web-03"));
  EXPECT_EQ(reply->duration_ms(), 1500u);
  ASSERT_EQ(reply->results_size(), 2);
  const auto& ok = reply->results(0);
  EXPECT_EQ(ok.host(), "web-01");
  EXPECT_EQ(ok.status(), tend::SUCCEEDED);
  EXPECT_EQ(ok.summary(), "noop slept 0 ms");
  EXPECT_EQ(ok.outputs().at("stdout"), "line one\nline two");
  EXPECT_EQ(ok.figures().at("bytes_reclaimed"), 1024);
  EXPECT_EQ(ok.duration_ms(), 120u);
  EXPECT_TRUE(ok.has_finished_at());
  EXPECT_EQ(reply->results(1).status(), tend::FAILED);
  EXPECT_EQ(reply->results(1).error(), "repo error");
  std::vector<std::string> actions;
  for (const auto& row : reply->audit()) {
    EXPECT_EQ(row.task_id(), "t-old");
    actions.push_back(row.action());
  }
  EXPECT_THAT(actions, ElementsAre("submit", "summary", "result", "result"))
      << "in the order they were written: results are audited as they are stored";
  EXPECT_FALSE(reply->outputs_trimmed());
}

TEST_F(QueryServiceTest, ShowSaysATaskIsInFlightAndWhoAcknowledged) {
  fill();
  std::string raw = ask_json(subjects_.show(), R"({"task_id":"t-running"})");
  tend::ShowReply reply;
  ASSERT_TRUE(decode(raw, Encoding::kJson, reply)) << raw;
  EXPECT_EQ(reply.state(), "in flight");
  EXPECT_FALSE(reply.task().has_finished_at());
  EXPECT_THAT(reply.acknowledged(), ElementsAre("web-03"));
  ASSERT_EQ(reply.results_size(), 1);
  EXPECT_EQ(reply.results(0).host(), "web-01");
  EXPECT_TRUE(reply.deadline().seconds() > reply.task().dispatched_at().seconds());
}

TEST_F(QueryServiceTest, ShowGivesResultsWhoseTaskWasNeverStored) {
  fill();
  tend::ShowRequest request;
  request.set_task_id("t-orphan");
  auto reply = ask<tend::ShowReply>(subjects_.show(), request);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->state(), "results only");
  EXPECT_EQ(reply->task().plugin(), "noop");
  ASSERT_EQ(reply->results_size(), 1);
  EXPECT_EQ(reply->results(0).status(), tend::REJECTED);
}

TEST_F(QueryServiceTest, AShowTooBigForOneMessageIsCutToFit) {
  {
    store::StoreWriter writer({db_->url(), "coordinator-a"}, nullptr);
    std::vector<std::string> hosts;
    for (int i = 0; i < 40; ++i) hosts.push_back(fmt::format("web-{:02}", i));
    writer.task_dispatched(record("t-big", "exec", "roles=web-server", hosts, store::now_us()));
    for (const auto& host : hosts) {
      tend::Result r = result("t-big", host, "exec", tend::SUCCEEDED, "ran");
      (*r.mutable_outputs())["stdout"] = std::string(60'000, 'x');  // 2.4 MB in all
      writer.result_received(r);
    }
    ASSERT_TRUE(writer.flush(20s));
  }
  for (Encoding encoding : {Encoding::kJson, Encoding::kProtobuf}) {
    tend::ShowRequest request;
    request.set_task_id("t-big");
    auto reply = client_->request(subjects_.show(), request, encoding, kRequestTimeout);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_LE(static_cast<int64_t>(reply->data().size()), nats_->max_payload());
    tend::ShowReply show;
    ASSERT_TRUE(reply->decode(show));
    EXPECT_EQ(show.results_size(), 40) << "every host's result, with less of its output";
    EXPECT_TRUE(show.outputs_trimmed());
  }
}

// --- tend.audit.tail and tend.audit.verify ----------------------------------

TEST_F(QueryServiceTest, AuditTailGivesTheNewestRowsOldestFirst) {
  fill();
  tend::AuditTailRequest request;
  request.set_limit(3);
  auto tail = ask<tend::AuditTailReply>(subjects_.audit_tail(), request);
  ASSERT_TRUE(tail) << tail.error().message;
  ASSERT_EQ(tail->rows_size(), 3);
  EXPECT_LT(tail->rows(0).id(), tail->rows(1).id());
  EXPECT_EQ(tail->rows(2).id(), count("SELECT max(id) FROM audit_log"));

  request.set_limit(0);
  request.set_task_id("t-old");
  auto one_task = ask<tend::AuditTailReply>(subjects_.audit_tail(), request);
  ASSERT_TRUE(one_task) << one_task.error().message;
  EXPECT_EQ(one_task->rows_size(), 4);
  for (const auto& row : one_task->rows()) EXPECT_EQ(row.task_id(), "t-old");
}

TEST_F(QueryServiceTest, AuditVerifyNamesTheFirstRowThatWasAltered) {
  fill();
  auto intact = ask<tend::AuditVerifyReply>(subjects_.audit_verify(), tend::AuditVerifyRequest());
  ASSERT_TRUE(intact) << intact.error().message;
  EXPECT_TRUE(intact->ok());
  EXPECT_EQ(intact->rows_checked(), count("SELECT count(*) FROM audit_log"));

  // Someone with the superuser's power, covering their tracks.
  auto root = connect(db_->superuser_url());
  ASSERT_TRUE(
      root->exec_script("ALTER TABLE audit_log DISABLE TRIGGER USER; "
                        "UPDATE audit_log SET actor = 'mallory' WHERE id = 2; "
                        "ALTER TABLE audit_log ENABLE TRIGGER USER"));
  std::string raw = ask_json(subjects_.audit_verify(), "{}");
  tend::AuditVerifyReply broken;
  ASSERT_TRUE(decode(raw, Encoding::kJson, broken)) << raw;
  EXPECT_FALSE(broken.ok());
  EXPECT_EQ(broken.first_bad_id(), 2);
  EXPECT_EQ(broken.rows_checked(), 1);
  EXPECT_THAT(broken.problem(), HasSubstr("row 2"));
  EXPECT_THAT(broken.problem(), HasSubstr("altered"));
}

// --- when PostgreSQL is away ----------------------------------------------

TEST_F(QueryServiceTest, WhilePostgresIsAwayQueriesSaySoAndItReconnectsWhenBack) {
  // A database that is not there yet, as a server still starting.
  const std::string url = db_->url();
  const std::string later = db_->name() + "_later";
  const std::string later_url = url.substr(0, url.rfind('/') + 1) + later;
  auto root = connect(db_->superuser_url());
  service_->stop();
  service_ = start_service(later_url);
  ASSERT_TRUE(service_);

  auto away = history("{}");
  ASSERT_FALSE(away);
  EXPECT_THAT(away.error().message, HasSubstr("cannot reach its store"));
  EXPECT_THAT(away.error().message, HasSubstr(later));
  auto bad = history(R"({"status":"broken"})");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("unknown status"))
      << "a bad request is told so even while the store is away";

  ASSERT_TRUE(root->exec(fmt::format("CREATE DATABASE {} OWNER tend", later)));
  {
    auto fresh = connect(later_url);
    ASSERT_TRUE(store::migrate(*fresh));
  }
  auto back = testing::read_until([&] { return history("{}"); },
                                  [](const auto& reply) { return reply.ok(); }, 15s, 100ms);
  EXPECT_TRUE(back) << back.error().message;
  service_->stop();
  service_.reset();
  (void)root->exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", later));
}

TEST_F(QueryServiceTest, AConnectionBrokenByARestartIsReplacedUnnoticed) {
  fill();
  ASSERT_TRUE(history("{}"));
  // What a PostgreSQL restart does to the service's connection: ends it.
  ASSERT_NO_FATAL_FAILURE(end_other_connections());
  auto reply = history("{}");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->tasks_size(), 3);
}

}  // namespace
}  // namespace tend
