#include "core/coordinator/services.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "core/common/signals.h"
#include "core/store/database.h"
#include "core/store/migrations.h"

namespace tend {

namespace {

using namespace std::chrono_literals;

constexpr auto kDrainTimeout = 5s;
// Another coordinator's unfinished tasks are taken over once it has been
// silent this long (a live one marks itself with every batch it writes).
constexpr auto kOrphanedAfter = 60s;

// Waits for PostgreSQL (a coordinator that starts before its database is
// normal at boot), brings the schema up to date and reads back what was in
// flight. Nothing (no value) when a signal asked to stop meanwhile.
std::optional<Expected<store::RecoveredState>> wait_for_database(const std::string& url,
                                                                 const std::string& name) {
  store::Database db({.url = url,
                      .who = "store",
                      .while_away = "the coordinator starts once it is back",
                      .wait = [](std::chrono::milliseconds delay) {
                        int sig = wait_for_control_signal(delay);
                        return sig != SIGTERM && sig != SIGINT;
                      }});
  auto conn = db.connection();
  if (!conn) return std::nullopt;
  auto migrated = store::migrate(**conn);
  if (!migrated) return Expected<store::RecoveredState>(migrated.error());
  if (migrated->from_version != migrated->to_version) {
    spdlog::info("store: schema migrated from version {} to {}", migrated->from_version,
                 migrated->to_version);
  }
  return store::recover(**conn, name, kOrphanedAfter);
}

// The results stream and the store's consumer on it. NATS may still be on its
// way up (the connection keeps trying in the background), and a coordinator
// that gave up at once would run its whole life without durable results: so
// wait for it a while, then run without them and say so. Empty on SIGTERM.
std::optional<DurableResults> wait_for_results_stream(Connection& conn, const Subjects& subjects,
                                                      store::StoreWriter& writer) {
  constexpr auto kWaitAtMost = 20s;
  const auto give_up = std::chrono::steady_clock::now() + kWaitAtMost;
  std::string why;
  for (bool first = true;; first = false) {
    if (!conn.connected()) {
      why = "NATS is not connected";
    } else if (auto js = JetStream::open(conn); !js) {
      why = js.error().message;
    } else if (auto ingest = ResultIngest::start(**js, subjects, writer); !ingest) {
      why = ingest.error().message;
    } else {
      if (!first) spdlog::info("results stream {} ready", subjects.results_stream());
      return DurableResults{std::move(*js), std::move(*ingest)};
    }
    if (std::chrono::steady_clock::now() >= give_up) break;
    if (first) spdlog::info("waiting for the results stream: {}", why);
    if (int sig = wait_for_control_signal(1s); sig == SIGTERM || sig == SIGINT) {
      return std::nullopt;
    }
  }
  spdlog::warn(
      "results are stored only while this coordinator runs: no results stream after {} s ({}); "
      "restart the coordinator once NATS has JetStream",
      kWaitAtMost.count(), why);
  return DurableResults{};
}

// Without [alerts] routes the webhook says how to turn the loop on.
void add_alerts_off_route(httplib::Server& server) {
  server.Post(alerts::kWebhookPath, [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content(
        "{\"error\":\"the alert loop is off: set [alerts] routes in coordinator.toml\"}\n",
        "application/json");
  });
}

}  // namespace

Services::Services(const CoordinatorConfig& config)
    : config(config), name(coordinator_name(config)) {}

Expected<Services::Built> Services::build() {
  // A bad routes file refuses the start before anything connects.
  if (auto ok = read_routes(); !ok) return ok.error();
  if (auto ok = connect(); !ok) return ok.error();
  auto opened = open_store();
  if (!opened || *opened == Built::kStopped) return opened;
  if (open_durable_results() == Built::kStopped) return Built::kStopped;
  build_coordinator();
  build_alert_pipeline();
  return Built::kReady;
}

Expected<void> Services::read_routes() {
  if (!config.alerts.enabled()) return {};
  auto loaded = alerts::load_routes(config.alerts.routes_file);
  if (!loaded) return make_error("routes: " + loaded.error().message);
  routes = std::make_shared<const alerts::RouteTable>(std::move(*loaded));
  return {};
}

Expected<void> Services::connect() {
  auto options = connection_options(config.nats, "tend-coordinator",
                                    /*retry_initial_connect=*/true);
  options.no_echo = true;  // its own tallies and tasks would only be decoded and dropped
  auto connected = Connection::connect(options);
  if (!connected) return connected.error();
  conn = std::move(*connected);
  return {};
}

// The writer tells the coordinator what was stored through coordinator_ptr:
// the coordinator needs the store, so it comes later.
Expected<Services::Built> Services::open_store() {
  if (config.database_url.empty()) {
    spdlog::warn("no [database] url: no history, audit trail or recovery after a restart");
    store = std::make_unique<store::NoTaskStore>();
    return Built::kReady;
  }
  auto opened = wait_for_database(config.database_url, name);
  if (!opened) return Built::kStopped;
  if (!*opened) return make_error("store: " + opened->error().message);
  recovered = std::move(**opened);
  auto owned = std::make_unique<store::StoreWriter>(
      store::StoreWriterOptions{config.database_url, name}, [this](std::vector<Result> results) {
        if (auto* c = coordinator_ptr.load()) c->results_stored(std::move(results));
      });
  writer = owned.get();
  store = std::move(owned);
  return Built::kReady;
}

// Results are durable when the stream keeps them until the store has them.
Services::Built Services::open_durable_results() {
  if (!writer) return Built::kReady;
  auto opened = wait_for_results_stream(*conn, Subjects(config.nats.subject_prefix), *writer);
  if (!opened) return Built::kStopped;
  durable = std::move(*opened);
  return Built::kReady;
}

void Services::build_coordinator() {
  coordinator = std::make_unique<Coordinator>(config, *conn, *store,
                                              /*durable_results=*/durable.ingest != nullptr);
  coordinator->restore(recovered);
  coordinator_ptr = coordinator.get();
}

// The alert loop: built before the coordinator starts (it observes control
// messages), started after (it dispatches through it).
void Services::build_alert_pipeline() {
  runner = std::make_unique<alerts::DispatcherFixRunner>(*coordinator);
  if (!routes) return;
  alerts::PipelineOptions options;
  options.config = config.alerts;
  options.database_url = config.database_url;
  options.actor = name;
  options.subjects = Subjects(config.nats.subject_prefix);
  options.queue = config.limits.queue;
  pipeline = std::make_unique<alerts::AlertPipeline>(std::move(options), routes, *runner, *conn,
                                                     *store, &coordinator->metrics());
  coordinator->observe_control([this](const std::string& subject, const Control& control) {
    pipeline->control_seen(subject, control);
  });
}

Expected<void> Services::start() {
  if (auto ok = coordinator->start(); !ok) return ok;
  if (auto ok = start_queries(); !ok) return ok;
  if (auto ok = start_scheduler(); !ok) return ok;
  if (auto ok = start_alerts(); !ok) return ok;
  if (auto ok = start_http(); !ok) return ok;
  start_digest();
  return {};
}

// History and the audit trail for operators, beside the event loop.
Expected<void> Services::start_queries() {
  if (config.database_url.empty()) return {};
  auto started =
      QueryService::start(*conn, Subjects(config.nats.subject_prefix), {config.database_url});
  if (!started) {
    coordinator->stop();
    return make_error("store queries: " + started.error().message);
  }
  queries = std::move(*started);
  return {};
}

// Maintenance windows need the store: it is what makes a window fire once
// across coordinators.
Expected<void> Services::start_scheduler() {
  if (!writer) {
    if (!config.schedules.file.empty()) {
      spdlog::warn("[schedules] file {} is not used: maintenance windows need a [database] url",
                   config.schedules.file);
    }
    return {};
  }
  const Subjects subjects(config.nats.subject_prefix);
  fleet = std::make_unique<DispatcherFleet>(*coordinator, *conn, subjects);
  SchedulerOptions options{config.database_url, name, subjects,
                           config.schedules,    {},   config.limits.queue};
  if (pipeline) {
    options.escalate = [this](const Escalation& e) { pipeline->escalate(e); };
  }
  scheduler = std::make_unique<Scheduler>(std::move(options), *conn, *fleet, *store, wall_clock);
  if (auto ok = scheduler->start(); !ok) {
    coordinator->stop();
    return make_error("schedules: " + ok.error().message);
  }
  return {};
}

Expected<void> Services::start_alerts() {
  if (!pipeline) return {};
  pipeline->start();
  intake = std::make_unique<alerts::AlertIntake>(alerts::WebhookAuth(config.alerts.webhook_token),
                                                 config.alerts.max_body,
                                                 [this](alerts::AlertBatch batch, size_t bytes) {
                                                   return pipeline->accept(std::move(batch), bytes);
                                                 });
  requests = std::make_unique<alerts::AlertRequests>(*conn, Subjects(config.nats.subject_prefix),
                                                     *pipeline);
  for (auto ok :
       {intake->subscribe(*conn, Subjects(config.nats.subject_prefix)), requests->subscribe()}) {
    if (!ok) return make_error("alerts: " + ok.error().message);
  }
  spdlog::info("alerts: {} route(s) from {}", routes->routes().size(), routes->file());
  return {};
}

Expected<void> Services::start_http() {
  if (config.http_listen.empty()) return {};
  auto address = alerts::parse_listen_address(config.http_listen);
  if (!address) return address.error();
  if (config.alerts.webhook_token.empty()) {
    spdlog::warn("[alerts] webhook_token is not set: any local process may send alerts");
  }
  auto started = HttpListener::start(
      address->host, address->port, config.http,
      [this](httplib::Server& s) {
        if (intake) {
          intake->add_routes(s);
        } else {
          add_alerts_off_route(s);
        }
      },
      [this] { coordinator->metrics().refused("http_connections"); });
  if (!started) return started.error();
  http = std::move(*started);
  return {};
}

// The morning digest, also from the store.
void Services::start_digest() {
  if (!writer || !config.reports.daily) return;
  digest = std::make_unique<DailyDigestService>(
      DailyDigestOptions{config.database_url, name, Subjects(config.nats.subject_prefix),
                         config.reports},
      *conn, *store, wall_clock);
  digest->start();
}

void Services::stop() {
  // No new alerts, then the loop ends; it goes only once the coordinator can
  // no longer call back into it.
  http.reset();
  intake.reset();
  requests.reset();
  if (pipeline) pipeline->stop();
  if (digest) digest->stop();
  if (scheduler) scheduler->stop();  // runs in progress end interrupted, with their reports
  if (queries) queries->stop();
  coordinator->stop();
  pipeline.reset();
  coordinator_ptr = nullptr;
  // The pull subscription goes before the drain: a drain would wait out its
  // last fetch request.
  durable.ingest.reset();
  if (writer) writer->stop();  // writes what it has; results left unwritten stay in the stream
  conn->drain(kDrainTimeout);
}

}  // namespace tend
