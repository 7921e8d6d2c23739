#include "tests/support/tend_stack.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <set>

#include "tests/support/eventually.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kPollInterval = 50ms;
constexpr std::size_t kLogTail = 6000;  // characters of each log in a failure message

// A TOML basic string.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string toml_list(const std::vector<std::string>& items) {
  std::vector<std::string> parts;
  for (const auto& item : items) parts.push_back(toml_string(item));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

std::string tail(const std::string& text) {
  if (text.size() <= kLogTail) return text;
  return "[...]\n" + text.substr(text.size() - kLogTail);
}

template <typename T>
Expected<T> decode_text(const std::string& raw, Encoding encoding) {
  T out;
  if (auto ok = decode(raw, encoding, out); !ok) return ok.error();
  return out;
}

}  // namespace

std::string SubmitReply::error() const {
  auto refusal = decode_text<tend::ErrorReply>(raw_, encoding_);
  return refusal ? refusal->error() : std::string();
}

Expected<tend::Summary> SubmitReply::summary() const {
  if (auto why = error(); !why.empty()) return make_error("refused: " + why);
  auto summary = decode_text<tend::Summary>(raw_, encoding_);
  if (!summary)
    return make_error(fmt::format("not a Summary ({}): {}", summary.error().message, raw_));
  return summary;
}

Expected<tend::SubmitAccepted> SubmitReply::accepted() const {
  if (auto why = error(); !why.empty()) return make_error("refused: " + why);
  auto accepted = decode_text<tend::SubmitAccepted>(raw_, encoding_);
  if (!accepted) {
    return make_error(fmt::format("not a SubmitAccepted ({}): {}", accepted.error().message, raw_));
  }
  return accepted;
}

TendStack::TendStack(Programs programs, std::vector<AgentSpec> agents, CoordinatorSettings settings)
    : programs_(std::move(programs)), specs_(std::move(agents)), settings_(settings) {}

TendStack::~TendStack() {
  // Everyone is asked to stop at once, then waited for: a shutdown each in
  // turn would add up.
  client_.reset();
  for (auto& [host, agent] : agents_) {
    if (agent.running()) kill(agent.pid(), SIGTERM);
  }
  for (auto& [host, agent] : agents_) agent.terminate(5s);
  if (coordinator_) coordinator_->terminate(5s);
}

Expected<void> TendStack::start(std::chrono::milliseconds timeout) {
  if (auto ok = nats_.start(); !ok) return ok;
  ConnectionOptions options;
  options.servers = {nats_.url()};
  options.name = "integration test";
  auto client = Connection::connect(options);
  if (!client) return client.error();
  client_ = std::move(*client);

  if (auto ok = start_coordinator(); !ok) return ok;
  std::vector<std::string> hosts;
  for (const auto& spec : specs_) {
    if (auto ok = start_agent(spec); !ok) return ok;
    hosts.push_back(spec.host);
  }
  return wait_online(hosts, timeout);
}

std::filesystem::path TendStack::write_coordinator_config(const std::string& name) const {
  std::string config = fmt::format(
      "[coordinator]\n"
      "name = {}\n"
      "\n"
      "[nats]\n"
      "servers = [{}]\n"
      "subject_prefix = \"tend\"\n"
      "\n"
      "[tasks]\n"
      "default_timeout_s = {}\n"
      "grace_s = {}\n"
      "ack_timeout_ms = {}\n"
      "\n"
      "[metrics]\n"
      "textfile_dir = {}\n"
      "\n"
      "[log]\n"
      "level = \"info\"\n",
      toml_string(name), toml_string(nats_.url()), settings_.default_timeout_s, settings_.grace_s,
      settings_.ack_timeout_ms, toml_string(coordinator_metrics_dir().string()));
  if (!settings_.database_url.empty()) {
    config += fmt::format("\n[database]\nurl = {}\n", toml_string(settings_.database_url));
  }
  config += settings_.extra_config;
  return dir_.write(name == settings_.name ? std::string("coordinator.toml")
                                           : fmt::format("coordinator-{}.toml", name),
                    config);
}

Expected<ChildProcess> TendStack::start_another_coordinator(const std::string& name) {
  auto path = write_coordinator_config(name);
  return ChildProcess::start({programs_.coordinator.string(), "--config", path.string()},
                             dir_.path() / fmt::format("coordinator-{}.log", name));
}

Expected<void> TendStack::start_coordinator() {
  auto path = write_coordinator_config(settings_.name);
  auto process = ChildProcess::start({programs_.coordinator.string(), "--config", path.string()},
                                     dir_.path() / "coordinator.log");
  if (!process) return process.error();
  coordinator_.emplace(std::move(*process));
  return {};
}

std::filesystem::path TendStack::agent_metrics_dir(const std::string& host) const {
  auto dir = dir_.path() / "metrics" / host;
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path TendStack::coordinator_metrics_dir() const {
  auto dir = dir_.path() / "metrics" / "coordinator";
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path TendStack::write_agent_config(const AgentSpec& spec,
                                                    const std::string& extra) const {
  std::string config = fmt::format(
      "[identity]\n"
      "hostname = {}\n"
      "role = {}\n"
      "tags = {}\n"
      "\n"
      "[nats]\n"
      "servers = [{}]\n"
      "subject_prefix = \"tend\"\n"
      "\n"
      "[plugins]\n"
      "dir = {}\n"
      "max_concurrent = 4\n"
      "\n"
      "[heartbeat]\n"
      "interval_s = 1\n"
      "\n"
      "[metrics]\n"
      "textfile_dir = {}\n"
      "\n"
      "[log]\n"
      "level = \"info\"\n"
      "{}",
      toml_string(spec.host), toml_string(spec.role), toml_list(spec.tags),
      toml_string(nats_.url()), toml_string(programs_.plugin_dir.string()),
      toml_string(spec.textfile_dir ? *spec.textfile_dir : agent_metrics_dir(spec.host).string()),
      extra);
  return dir_.write(fmt::format("agent-{}.toml", spec.host), config);
}

Expected<void> TendStack::start_agent(const AgentSpec& spec) {
  auto path = write_agent_config(spec, spec.extra_config);
  auto process = ChildProcess::start({programs_.agent.string(), "--config", path.string()},
                                     dir_.path() / fmt::format("agent-{}.log", spec.host));
  if (!process) return process.error();
  agents_.insert_or_assign(spec.host, std::move(*process));
  return {};
}

Expected<tend::NodeList> TendStack::nodes() {
  auto reply = client_->request_raw(subjects_.nodes(), "{}", 2s);
  if (!reply) return reply.error();
  tend::NodeList nodes;
  if (auto ok = reply->decode(nodes); !ok) {
    return make_error(fmt::format("tend.nodes answered what is not a NodeList ({}): {}",
                                  ok.error().message, reply->data()));
  }
  return nodes;
}

std::optional<Error> TendStack::exited_while_starting(const std::vector<std::string>& hosts) {
  for (const auto& host : hosts) {
    if (auto it = agents_.find(host); it != agents_.end() && !it->second.running()) {
      return make_error(fmt::format("agent {} exited with {} while starting:\n{}", host,
                                    it->second.wait_exit(0ms).value_or(-1),
                                    log_of("agent " + host, it->second)));
    }
  }
  if (coordinator_ && !coordinator_->running()) {
    return make_error(fmt::format("the coordinator exited with {}:\n{}",
                                  coordinator_->wait_exit(0ms).value_or(-1),
                                  log_of("coordinator", *coordinator_)));
  }
  return std::nullopt;
}

Expected<void> TendStack::wait_online(const std::vector<std::string>& hosts,
                                      std::chrono::milliseconds timeout) {
  std::string last_answer = "no answer yet";
  std::vector<std::string> missing = hosts;
  std::optional<Error> exited;
  const bool all_online = eventually(
      [&] {
        exited = exited_while_starting(missing);
        if (exited) return true;  // no use waiting for it
        auto list = nodes();
        if (!list) {
          last_answer = list.error().message;
          return false;
        }
        std::set<std::string> online;
        for (const auto& node : list->nodes()) {
          if (node.online()) online.insert(node.last_heartbeat().host());
        }
        missing.clear();
        for (const auto& host : hosts) {
          if (!online.count(host)) missing.push_back(host);
        }
        last_answer = to_json(*list);
        return missing.empty();
      },
      timeout, kPollInterval);
  if (exited) return *exited;
  if (all_online) return {};
  std::string message = fmt::format("not online after {} ms: {}\nlast answer on tend.nodes: {}\n",
                                    timeout.count(), fmt::join(missing, ", "), last_answer);
  for (const auto& host : missing) {
    if (auto it = agents_.find(host); it != agents_.end()) {
      message += log_of("agent " + host, it->second);
    }
  }
  if (coordinator_) message += log_of("coordinator", *coordinator_);
  return make_error(message);
}

Expected<void> TendStack::wait_not_online(const std::string& host,
                                          std::chrono::milliseconds timeout) {
  std::string last_answer = "no answer yet";
  const bool gone = eventually(
      [&] {
        auto list = nodes();
        if (!list) {
          last_answer = list.error().message;
          return false;
        }
        last_answer = to_json(*list);
        return std::none_of(list->nodes().begin(), list->nodes().end(), [&](const auto& n) {
          return n.online() && n.last_heartbeat().host() == host;
        });
      },
      timeout, kPollInterval);
  if (gone) return {};
  return make_error(fmt::format("{} still online after {} ms; tend.nodes said: {}", host,
                                timeout.count(), last_answer));
}

ChildProcess& TendStack::agent(const std::string& host) { return agents_.at(host); }

Expected<SubmitReply> TendStack::submit_json(std::string_view json,
                                             std::chrono::milliseconds timeout) {
  auto reply = client_->request_raw(subjects_.submit(), json, timeout);
  if (!reply) return reply.error();
  return SubmitReply(std::string(reply->data()), reply->encoding());
}

std::string TendStack::log_of(const std::string& name, const ChildProcess& process) const {
  return fmt::format("--- {} ({}) ---\n{}\n", name, process.command(), tail(process.log()));
}

std::string TendStack::logs() const {
  std::string out;
  if (coordinator_) out += log_of("coordinator", *coordinator_);
  for (const auto& [host, agent] : agents_) out += log_of("agent " + host, agent);
  return out;
}

}  // namespace tend::testing
