#include "tests/core/coordinator/alerts/pipeline_fixture.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {

using namespace std::chrono_literals;

void RecordingRunner::run(tend::Task task, std::function<void(const tend::Summary&)> done) {
  std::lock_guard lock(mu_);
  runs_.push_back({std::move(task), std::move(done)});
  cv_.notify_all();
}

std::vector<std::string> RecordingRunner::hosts(const tend::Target& target) {
  if (target.all()) return fleet;
  std::vector<std::string> out;
  for (const auto& h : target.hosts()) {
    if (std::find(fleet.begin(), fleet.end(), h) != fleet.end()) out.push_back(h);
  }
  for (size_t i = 0; i < static_cast<size_t>(target.roles_size()); ++i) {
    out = fleet;  // every test node has every role
  }
  return out;
}

std::vector<tend::Task> RecordingRunner::wait_for(size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return runs_.size() >= count; });
  std::vector<tend::Task> tasks;
  for (const auto& r : runs_) tasks.push_back(r.task);
  return tasks;
}

size_t RecordingRunner::count() {
  std::lock_guard lock(mu_);
  return runs_.size();
}

void RecordingRunner::finish(size_t index, bool succeeded, const std::string& error) {
  Run run;
  {
    std::lock_guard lock(mu_);
    run = runs_.at(index);
  }
  tend::Summary summary;
  summary.set_task_id(run.task.id());
  summary.set_plugin(run.task.plugin());
  const auto targets = hosts(run.task.target());
  summary.set_expected(static_cast<uint32_t>(targets.size()));
  summary.set_responded(static_cast<uint32_t>(targets.size()));
  for (const auto& host : targets) {
    auto* r = summary.add_results();
    r->set_task_id(run.task.id());
    r->set_host(host);
    r->set_status(succeeded ? tend::SUCCEEDED : tend::FAILED);
    r->set_verified(succeeded);
    r->set_error(error);
  }
  summary.set_succeeded(succeeded ? summary.expected() : 0);
  summary.set_failed(succeeded ? 0 : summary.expected());
  summary.set_complete(true);
  summary.set_text(succeeded ? fmt::format("{0}/{0} succeeded", targets.size())
                             : fmt::format("0/{} succeeded; {} FAILED: {}", targets.size(),
                                           targets.empty() ? "" : targets[0], error));
  run.done(summary);
}

void RecordingStore::audit(store::AuditEntry entry) {
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(entry));
}

std::vector<store::AuditEntry> RecordingStore::entries() {
  std::lock_guard lock(mu_);
  return entries_;
}

std::vector<std::string> RecordingStore::actions() {
  std::vector<std::string> out;
  for (const auto& e : entries()) out.push_back(e.action);
  return out;
}

void PipelineTest::SetUp() {
  StoreTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;

  ConnectionOptions options;
  options.servers = {testing::NatsServer::shared().url()};
  auto nats = Connection::connect(options);
  ASSERT_TRUE(nats) << nats.error().message;
  nats_ = std::move(*nats);
  static int counter = 0;
  subjects_ = Subjects(fmt::format("pt{}x{}", getpid(), counter++));
  config_.routes_file = "routes.toml";
}

void PipelineTest::TearDown() { stop(); }

void PipelineTest::start(const std::string& routes_toml) {
  stop();
  auto routes =
      read_routes(toml::parse(routes_toml, std::string_view("routes.toml")), "routes.toml");
  ASSERT_TRUE(routes) << routes.error().message;
  PipelineOptions options;
  options.config = config_;
  options.database_url = db_->url();
  options.actor = "test-coordinator";
  options.subjects = subjects_;
  options.clock = [this] { return clock_.now(); };
  pipeline_ = std::make_unique<AlertPipeline>(
      std::move(options), std::make_shared<const RouteTable>(std::move(*routes)), runner_, *nats_,
      store_);
  pipeline_->start();
  ASSERT_TRUE(pipeline_->drained(10s));
}

void PipelineTest::stop() {
  requests_.reset();
  if (pipeline_) pipeline_->stop();
  pipeline_.reset();
}

void PipelineTest::send(Alert alert) {
  if (alert.fingerprint.empty()) alert.fingerprint = label_fingerprint(alert.labels);
  AlertBatch batch;
  batch.source = "test";
  batch.alerts.push_back(std::move(alert));
  ASSERT_TRUE(pipeline_->accept(std::move(batch), 0));
  settle();
}

void PipelineTest::fire(const Labels& labels, const Labels& annotations) {
  Alert alert;
  alert.labels = labels;
  alert.annotations = annotations;
  alert.starts_at = clock_.now();
  send(std::move(alert));
}

void PipelineTest::resolve(const Labels& labels) {
  Alert alert;
  alert.status = Alert::Status::kResolved;
  alert.labels = labels;
  alert.ends_at = clock_.now();
  send(std::move(alert));
}

void PipelineTest::advance(std::chrono::seconds d) {
  clock_.advance(d);
  pipeline_->tick();
  settle();
}

void PipelineTest::settle() { ASSERT_TRUE(pipeline_->drained(10s)); }

void PipelineTest::control_all(const std::string& action, const std::string& by,
                               const std::string& reason) {
  tend::Control control;
  control.set_action(action);
  control.set_by(by);
  control.set_reason(reason);
  pipeline_->control_seen(subjects_.control_all(), control);
  settle();
}

void PipelineTest::serve_requests() {
  requests_ = std::make_unique<AlertRequests>(*nats_, subjects_, *pipeline_);
  ASSERT_TRUE(requests_->subscribe());
  ASSERT_TRUE(nats_->flush(2s));
}

std::string PipelineTest::ask(const std::string& subject, const std::string& json) {
  auto reply = nats_->request_raw(subject, json, 5s);
  EXPECT_TRUE(reply) << reply.error().message;
  if (!reply) return "";
  settle();  // what the answer set off is done too
  return std::string(reply->data());
}

std::string PipelineTest::text(const std::string& sql) {
  auto rows = conn_->query(sql);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows && !rows->empty() ? std::string(rows->get(0, 0)) : "";
}

}  // namespace tend::alerts
