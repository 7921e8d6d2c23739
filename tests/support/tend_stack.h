// A whole tend installation for one test: a private nats-server, a
// tend-coordinator and any number of tend-agents, each with its own config
// and its own metrics textfile directory in a fresh temporary directory. The
// stack has its server to itself, so the fixed subject prefix "tend" and host
// names never collide between tests.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/connection.h"
#include "bus/expected.h"
#include "bus/subjects.h"
#include "schemas/heartbeat.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/support/child_process.h"
#include "tests/support/nats_server.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

// Where the programs under test are (from the build, see tests/integration).
struct Programs {
  std::filesystem::path agent;
  std::filesystem::path coordinator;
  std::filesystem::path plugin_dir;
};

struct AgentSpec {
  std::string host;
  std::string role;
  std::vector<std::string> tags;
  // [metrics] textfile_dir; when not set, agent_metrics_dir(host).
  std::optional<std::string> textfile_dir = std::nullopt;
  // Appended verbatim to its agent.toml (e.g. a [maintenance] section).
  std::string extra_config = {};
};

// [tasks] of the coordinator: short, so that tests about missing nodes end
// quickly. With a database url (e.g. a TestDatabase's), it keeps its tasks,
// results and audit trail there and answers history queries.
struct CoordinatorSettings {
  unsigned default_timeout_s = 30;
  unsigned grace_s = 1;
  unsigned ack_timeout_ms = 1000;
  std::string database_url;               // [database] url; empty: no store
  std::string name = "test-coordinator";  // [coordinator] name
  std::string extra_config;               // appended verbatim (e.g. [schedules])
};

// The coordinator's answer on tend.submit, read as whichever message it is.
class SubmitReply {
 public:
  SubmitReply(std::string raw, Encoding encoding) : raw_(std::move(raw)), encoding_(encoding) {}

  const std::string& raw() const { return raw_; }
  // The refusal of a bad request ({"error": "..."}), or "" when not refused.
  std::string error() const;
  Expected<tend::Summary> summary() const;
  Expected<tend::SubmitAccepted> accepted() const;

 private:
  std::string raw_;
  Encoding encoding_;
};

class TendStack {
 public:
  TendStack(Programs programs, std::vector<AgentSpec> agents, CoordinatorSettings settings = {});
  ~TendStack();
  TendStack(const TendStack&) = delete;
  TendStack& operator=(const TendStack&) = delete;

  // Starts the server, the coordinator and every agent, and waits until
  // tend.nodes reports each agent online. The error lists who is missing,
  // with their logs.
  Expected<void> start(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  const std::string& nats_url() const { return nats_.url(); }
  // The server itself, to stop and start it under the programs.
  NatsServer& nats() { return nats_; }
  Connection& client() { return *client_; }
  const TempDir& dir() const { return dir_; }
  const Subjects& subjects() const { return subjects_; }

  // Where each program writes its Prometheus textfile ([metrics]
  // textfile_dir): a directory of its own, as on separate machines, made
  // when first asked for.
  std::filesystem::path agent_metrics_dir(const std::string& host) const;
  std::filesystem::path coordinator_metrics_dir() const;

  // Writes `spec`'s agent.toml; `extra` is appended verbatim (it sets
  // [metrics] already).
  std::filesystem::path write_agent_config(const AgentSpec& spec,
                                           const std::string& extra = {}) const;
  // Starts one more agent (or restarts a stopped one) without waiting.
  Expected<void> start_agent(const AgentSpec& spec);
  Expected<void> wait_online(const std::vector<std::string>& hosts,
                             std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // Waits until tend.nodes no longer reports `host` online (offline or gone).
  Expected<void> wait_not_online(const std::string& host, std::chrono::milliseconds timeout);
  Expected<tend::NodeList> nodes();

  ChildProcess& agent(const std::string& host);
  ChildProcess& coordinator() { return *coordinator_; }
  void kill_agent(const std::string& host) { agent(host).kill9(); }
  int stop_agent(const std::string& host) { return agent(host).terminate(); }

  // Sends `json` to tend.submit as it is and returns the answer; an error
  // only when there was none (no coordinator, timeout).
  Expected<SubmitReply> submit_json(std::string_view json, std::chrono::milliseconds timeout);

  // Every program's log (the last part of it), for failure messages.
  std::string logs() const;

  // Starts the coordinator (again, after coordinator().kill9()) without waiting.
  Expected<void> start_coordinator();

  // Starts one more coordinator against the same server (and database), as
  // [coordinator] name `name`, without waiting; the test owns it.
  Expected<ChildProcess> start_another_coordinator(const std::string& name);

 private:
  std::string log_of(const std::string& name, const ChildProcess& process) const;
  // An error naming whichever of `hosts`' agents, or the coordinator, has
  // already ended, with its log.
  std::optional<Error> exited_while_starting(const std::vector<std::string>& hosts);
  std::filesystem::path write_coordinator_config(const std::string& name) const;

  Programs programs_;
  std::vector<AgentSpec> specs_;
  CoordinatorSettings settings_;
  Subjects subjects_;
  TempDir dir_{"tend-stack"};
  NatsServer nats_;
  std::unique_ptr<Connection> client_;
  std::optional<ChildProcess> coordinator_;
  std::map<std::string, ChildProcess> agents_;
};

}  // namespace tend::testing
