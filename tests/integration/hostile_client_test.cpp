// A client on the same network that is not tend: from a plain NATS
// connection it sends every subject tend listens on a battery of bad
// messages, and the webhook bad HTTP. Afterwards every agent and the
// coordinator must still be running, a plain task must still succeed on
// every node, and the audit trail must still verify. Nothing here needs a
// key; that is the trust issue's business. This is about not crashing.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nats/nats.h>

#include <random>
#include <string>
#include <vector>

#include "bus/codec.h"
#include "bus/nats_handles.h"
#include "schemas/query.pb.h"
#include "tests/integration/alert_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
matchers = ['mountpoint=~"/var(/.*)?"', 'severity!~"(info|debug)+"']
plugin = "noop"
params = { sleep_ms = 10 }
prior_confidence = 0.5
risk = "high"
)";

struct Payload {
  std::string name;
  std::string data;
  bool protobuf = false;  // sent with Content-Type: application/protobuf
};

std::string nested(size_t depth, std::string_view open, std::string_view inner,
                   std::string_view close) {
  std::string text;
  for (size_t i = 0; i < depth; ++i) text += open;
  text += inner;
  for (size_t i = 0; i < depth; ++i) text += close;
  return text;
}

// Deterministic, so that a failure can be replayed.
std::vector<Payload> random_protobufs(size_t count) {
  std::mt19937 random(20261207);
  std::vector<Payload> payloads;
  for (size_t i = 0; i < count; ++i) {
    std::string bytes(1 + random() % 512, '\0');
    for (auto& b : bytes) b = static_cast<char>(random());
    payloads.push_back({fmt::format("random protobuf #{}", i), std::move(bytes), true});
  }
  return payloads;
}

std::vector<Payload> battery() {
  const std::string big(300 * 1024, 'a');
  static constexpr char kWithNuls[] = "{\"plugin\":\"noop\0\",\"id\":\"a\0b\"}";
  const std::string with_nuls(kWithNuls, sizeof kWithNuls - 1);
  std::vector<Payload> payloads = {
      {"empty", ""},
      {"not json", "{"},
      {"json null", "null"},
      {"json array", "[1,2,3]"},
      {"json string", "\"task\""},
      {"oversized plugin name", R"({"plugin":")" + big + R"("})"},
      {"oversized param", R"({"plugin":"exec","params":{"command":"/)" + big + R"("}})"},
      {"oversized id", R"({"id":")" + big + R"(","plugin":"noop"})"},
      {"oversized action", R"({"action":")" + big + R"("})"},
      {"oversized by", R"({"action":"nothing","by":")" + big + R"("})"},
      {"deep object", nested(100000, R"({"a":)", "1", "}")},
      {"deep params", R"({"plugin":"noop","params":)" + nested(50000, R"({"a":)", "1", "}") + "}"},
      {"deep array", R"({"plugin":"noop","params":{"a":)" + nested(200000, "[", "", "]") + "}}"},
      {"invalid utf-8", "{\"plugin\":\"no\xff\xfe op\",\"reason\":\"\xc3\x28\"}"},
      {"nul bytes", with_nuls},
      {"huge timeout", R"({"plugin":"noop","timeout_s":1e308})"},
      {"negative timeout", R"({"plugin":"noop","timeout_s":-1})"},
      {"overflowing timeout", R"({"plugin":"noop","timeout_s":18446744073709551616})"},
      {"absurd sleep", R"({"plugin":"noop","params":{"sleep_ms":9223372036854775807}})"},
      {"nan sleep", R"({"plugin":"noop","params":{"sleep_ms":"NaN"}})"},
      {"subject tokens in id", R"({"id":"a.b.>","plugin":"noop"})"},
      {"wildcard target", R"({"plugin":"noop","target":{"hosts":["*",">"],"all":true}})"},
      {"many hosts", R"({"plugin":"noop","target":{"hosts":[)" +
                         [] {
                           std::string hosts;
                           for (int i = 0; i < 20000; ++i)
                             hosts += fmt::format("{}\"h{}\"", i ? "," : "", i);
                           return hosts;
                         }() +
                         "]}}"},
      {"force without approval", R"({"plugin":"exec","force":true,"params":{"command":"/x"}})"},
      {"unknown fields", R"({"plugin":"noop","colour":"blue","params":{}})"},
      {"forged result", R"({"task_id":"t-1","host":"web-01","status":"SUCCEEDED"})"},
      {"forged heartbeat", R"({"host":")" + big + R"(","interval_s":4294967295})"},
  };
  for (auto& random : random_protobufs(40)) payloads.push_back(std::move(random));
  return payloads;
}

// Every subject a tend program subscribes to.
std::vector<std::string> listened_subjects(const Subjects& s) {
  std::vector<std::string> subjects = {s.task_host("web-01"),
                                       s.task_role("web"),
                                       s.task_all(),
                                       s.submit(),
                                       s.nodes(),
                                       s.history(),
                                       s.show(),
                                       s.audit_tail(),
                                       s.audit_verify(),
                                       s.control("web-01"),
                                       s.control_all(),
                                       s.approve("t-hostile"),
                                       s.deny("t-hostile"),
                                       s.alert(),
                                       s.incidents(),
                                       s.pending(),
                                       s.kb(),
                                       s.kb_adjust(),
                                       s.breakers(),
                                       s.breakers_reset(),
                                       s.heartbeat("web-01"),
                                       s.heartbeat("intruder"),
                                       s.result("t-hostile"),
                                       s.progress("t-hostile"),
                                       s.runs_request("status"),
                                       s.runs_request("report")};
  for (const char* verb : {"add", "list", "show", "pause", "resume", "remove", "run-now"}) {
    subjects.push_back(s.schedule_request(verb));
  }
  return subjects;
}

// A bare nats.c connection, as any program on the network could open.
class PlainNatsClient {
 public:
  explicit PlainNatsClient(const std::string& url) {
    natsConnection* conn = nullptr;
    if (natsConnection_ConnectTo(&conn, url.c_str()) == NATS_OK) conn_.reset(conn);
  }
  bool connected() const { return conn_ != nullptr; }

  void publish(const std::string& subject, const Payload& payload, const char* reply) {
    natsMsg* raw = nullptr;
    if (natsMsg_Create(&raw, subject.c_str(), reply, payload.data.data(),
                       static_cast<int>(payload.data.size())) != NATS_OK) {
      return;
    }
    nats::MsgPtr msg(raw);
    if (payload.protobuf) natsMsgHeader_Set(raw, kContentTypeHeader, kProtobufContentType);
    (void)natsConnection_PublishMsg(conn_.get(), raw);
  }
  bool flush() { return natsConnection_FlushTimeout(conn_.get(), 10000) == NATS_OK; }

 private:
  nats::ConnectionPtr conn_;
};

void expect_all_running(AlertStack& s, const std::string& after) {
  EXPECT_TRUE(s.stack().coordinator().running()) << "the coordinator died " << after;
  for (const char* host : {"web-01", "web-02"}) {
    EXPECT_TRUE(s.stack().agent(host).running()) << host << " died " << after;
  }
}

void expect_a_plain_task_succeeds_everywhere(AlertStack& s) {
  auto reply = s.stack().submit_json(
      R"({"plugin":"noop","target":{"hosts":["web-01","web-02"]},"reason":"after the attack"})",
      30s);
  ASSERT_TRUE(reply) << reply.error().message << s.stack().logs();
  auto summary = reply->summary();
  ASSERT_TRUE(summary) << reply->raw();
  EXPECT_EQ(summary->succeeded(), 2u) << summary->text() << s.stack().logs();
}

void expect_the_audit_trail_verifies(AlertStack& s) {
  auto answer = s.stack().client().request(s.stack().subjects().audit_verify(),
                                           tend::AuditVerifyRequest(), Encoding::kJson, 30s);
  ASSERT_TRUE(answer) << answer.error().message;
  tend::AuditVerifyReply verdict;
  ASSERT_TRUE(answer->decode(verdict)) << answer->data();
  EXPECT_TRUE(verdict.ok()) << answer->data();
}

TEST(HostileClient, BadMessagesOnEverySubjectCrashNothingAndChangeNothing) {
  AlertStack s({.routes = kRoutes});
  if (!s.available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test";
  ASSERT_TRUE(s.start()) << s.stack().logs();
  PlainNatsClient attacker(s.stack().nats_url());
  ASSERT_TRUE(attacker.connected());

  const auto payloads = battery();
  for (const auto& subject : listened_subjects(s.stack().subjects())) {
    for (const auto& payload : payloads) {
      attacker.publish(subject, payload, "_INBOX.hostile");
    }
    ASSERT_TRUE(attacker.flush()) << "nats-server refused us on " << subject;
    expect_all_running(s, "after the battery on " + subject);
  }

  expect_a_plain_task_succeeds_everywhere(s);
  expect_the_audit_trail_verifies(s);
  expect_all_running(s, "at the end");
  EXPECT_EQ(s.count("SELECT count(*) FROM incidents"), 0) << "no bad alert became an incident";
  // No forged row reached the store to fail the batch it was written with.
  EXPECT_THAT(s.stack().coordinator().log(), Not(HasSubstr("not written")));
  // Refusals that quote the input are still valid UTF-8, or they could not be sent.
  EXPECT_THAT(s.stack().logs(), Not(HasSubstr("invalid UTF-8 data when serializing")));
}

TEST(HostileClient, BadRequestsToTheWebhookCrashNothing) {
  AlertStack s({.routes = kRoutes});
  if (!s.available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test";
  ASSERT_TRUE(s.start()) << s.stack().logs();
  httplib::Client client("127.0.0.1", s.webhook_port());
  client.set_read_timeout(30, 0);
  httplib::Headers auth{{"Authorization", std::string("Bearer ") + kWebhookToken}};
  auto post = [&](const std::string& body) {
    auto answer = client.Post("/alertmanager", auth, body, "application/json");
    return answer ? answer->status : -1;
  };
  auto alert_with = [](const std::string& labels) {
    return R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":{)" + labels +
           R"(},"startsAt":"2026-12-07T01:00:00Z"}]})";
  };

  const std::string huge(512 * 1024, 'a');
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"not json", "{{{"},
      {"deep nesting", nested(100000, "[", "", "]")},
      {"deep labels", alert_with(R"("alertname":)" + nested(50000, "[", "", "]"))},
      {"huge label name", alert_with("\"" + huge + R"(":"x","alertname":"DiskFull")")},
      {"invalid utf-8", alert_with("\"alertname\":\"Disk\xff\xfe\"")},
      {"absurd dates", R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"X"},)"
                       R"("startsAt":"99999-99-99T99:99:99Z","endsAt":"-1"}]})"},
      {"wrong types", R"({"version":4,"alerts":{"status":[]}})"},
  };
  for (const auto& [name, body] : bodies) {
    int status = post(body);
    EXPECT_TRUE(status >= 200 && status < 600) << name << ": no answer";
    expect_all_running(s, "after the webhook got " + name);
  }

  EXPECT_EQ(s.count("SELECT count(*) FROM incidents"), 0) << "nothing bad became an incident";

  // Long label values against the route's regex matchers: matched in linear
  // time, whatever is in them (a label over its bound is refused instead).
  const std::string severity = [] {
    std::string text;
    while (text.size() < 3000) text += "info";
    return text + "!";
  }();
  for (size_t size : {size_t{1000}, size_t{3000}, size_t{512 * 1024}}) {
    int status = post(alert_with(R"("alertname":"DiskFull","instance":"web-01:9100",)"
                                 R"("mountpoint":"/var/)" +
                                 std::string(size, 'a') + R"(","severity":")" + severity + "\""));
    EXPECT_TRUE(status >= 200 && status < 600) << size << ": no answer";
    expect_all_running(s, fmt::format("after a {}-byte label", size));
  }

  // The webhook still takes a good alert.
  EXPECT_EQ(post(alert_with(R"("alertname":"Unrouted","instance":"web-01:9100")")), 200);
  EXPECT_EQ(s.wait_for("SELECT count(*) FROM incidents WHERE alertname = 'Unrouted'", "1", 15s),
            "1");
  expect_a_plain_task_succeeds_everywhere(s);
  expect_the_audit_trail_verifies(s);
}

}  // namespace
}  // namespace tend::testing
