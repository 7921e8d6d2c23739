// tend-coordinator: turns submitted tasks into one summary per task, and
// keeps every task, result and audit entry in PostgreSQL.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "bus/jetstream.h"
#include "core/common/logging.h"
#include "core/common/signals.h"
#include "core/coordinator/alerts/alert_intake.h"
#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "core/coordinator/alerts/route_table.h"
#include "core/coordinator/coordinator.h"
#include "core/coordinator/http_listener.h"
#include "core/coordinator/queries/query_service.h"
#include "core/coordinator/reports/daily_digest.h"
#include "core/coordinator/result_ingest.h"
#include "core/coordinator/schedules/fleet.h"
#include "core/coordinator/schedules/schedule_definition.h"
#include "core/coordinator/schedules/scheduler.h"
#include "core/store/migrations.h"
#include "core/store/recovery.h"
#include "core/store/store_writer.h"

namespace {

using namespace std::chrono_literals;

constexpr auto kDrainTimeout = 5s;
// Another coordinator's unfinished tasks are taken over once it has been
// silent this long (a live one marks itself with every batch it writes).
constexpr auto kOrphanedAfter = 60s;

int fail(const std::string& message) {
  std::cerr << "tend-coordinator: " << message << "\n";
  return 1;
}

// Waits for PostgreSQL (a coordinator that starts before its database is
// normal at boot), brings the schema up to date and reads back what was in
// flight. Nothing (no value) when a signal asked to stop meanwhile.
std::optional<tend::Expected<tend::store::RecoveredState>> open_store(const std::string& url,
                                                                      const std::string& name) {
  auto last_complaint = std::chrono::steady_clock::time_point{};
  for (;;) {
    auto conn = tend::store::PgConnection::connect(url, 5s);
    if (conn) {
      auto migrated = tend::store::migrate(**conn);
      if (!migrated) return tend::Expected<tend::store::RecoveredState>(migrated.error());
      if (migrated->from_version != migrated->to_version) {
        spdlog::info("store: schema migrated from version {} to {}", migrated->from_version,
                     migrated->to_version);
      }
      return tend::store::recover(**conn, name, kOrphanedAfter);
    }
    if (std::chrono::steady_clock::now() - last_complaint > 10s) {
      spdlog::warn("waiting for PostgreSQL: {}", conn.error().message);
      last_complaint = std::chrono::steady_clock::now();
    }
    if (int sig = tend::wait_for_control_signal(2s); sig == SIGTERM || sig == SIGINT) {
      return std::nullopt;
    }
  }
}

struct DurableResults {
  std::unique_ptr<tend::JetStream> jetstream;
  std::unique_ptr<tend::ResultIngest> ingest;  // reads through jetstream: declared after it
};

// The results stream and the store's consumer on it. NATS may still be on its
// way up (the connection keeps trying in the background), and a coordinator
// that gave up at once would run its whole life without durable results: so
// wait for it a while, then run without them and say so. Empty on SIGTERM.
std::optional<DurableResults> open_durable_results(tend::Connection& conn,
                                                   const tend::Subjects& subjects,
                                                   tend::store::StoreWriter& writer) {
  constexpr auto kWaitAtMost = 20s;
  const auto give_up = std::chrono::steady_clock::now() + kWaitAtMost;
  std::string why;
  for (bool first = true;; first = false) {
    if (!conn.connected()) {
      why = "NATS is not connected";
    } else if (auto js = tend::JetStream::open(conn); !js) {
      why = js.error().message;
    } else if (auto ingest = tend::ResultIngest::start(**js, subjects, writer); !ingest) {
      why = ingest.error().message;
    } else {
      if (!first) spdlog::info("results stream {} ready", subjects.results_stream());
      return DurableResults{std::move(*js), std::move(*ingest)};
    }
    if (std::chrono::steady_clock::now() >= give_up) break;
    if (first) spdlog::info("waiting for the results stream: {}", why);
    if (int sig = tend::wait_for_control_signal(1s); sig == SIGTERM || sig == SIGINT) {
      return std::nullopt;
    }
  }
  spdlog::warn(
      "results are stored only while this coordinator runs: no results stream after {} s ({}); "
      "restart the coordinator once NATS has JetStream",
      kWaitAtMost.count(), why);
  return DurableResults{};
}

std::shared_ptr<const tend::alerts::RouteTable> read_routes(const std::string& file) {
  auto routes = tend::alerts::load_routes(file);
  if (!routes) {
    std::cerr << "tend-coordinator: routes: " << routes.error().message << "\n";
    return nullptr;
  }
  return std::make_shared<const tend::alerts::RouteTable>(std::move(*routes));
}

// Without [alerts] routes the webhook says how to turn the loop on.
void add_alerts_off_route(httplib::Server& server) {
  server.Post(tend::alerts::kWebhookPath, [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content(
        "{\"error\":\"the alert loop is off: set [alerts] routes in coordinator.toml\"}\n",
        "application/json");
  });
}

int serve(const tend::CoordinatorConfig& config) {
  // A bad routes file refuses the start before anything connects.
  std::shared_ptr<const tend::alerts::RouteTable> routes;
  if (config.alerts.enabled()) {
    routes = read_routes(config.alerts.routes_file);
    if (!routes) return 1;
  }
  tend::NatsLibrary nats_library;
  auto options =
      tend::connection_options(config.nats, "tend-coordinator", /*retry_initial_connect=*/true);
  options.no_echo = true;  // its own tallies and tasks would only be decoded and dropped
  auto conn = tend::Connection::connect(options);
  if (!conn) return fail(conn.error().message);

  // Built before the store, so the writer can tell it what was stored.
  std::atomic<tend::Coordinator*> coordinator_ptr{nullptr};
  tend::store::RecoveredState recovered;
  std::unique_ptr<tend::store::TaskStore> store;
  tend::store::StoreWriter* writer = nullptr;
  const std::string name = tend::coordinator_name(config);
  if (config.database_url.empty()) {
    spdlog::warn("no [database] url: no history, audit trail or recovery after a restart");
    store = std::make_unique<tend::store::NoTaskStore>();
  } else {
    auto opened = open_store(config.database_url, name);
    if (!opened) return 0;
    if (!*opened) return fail("store: " + opened->error().message);
    recovered = std::move(**opened);
    auto owned = std::make_unique<tend::store::StoreWriter>(
        tend::store::StoreWriterOptions{config.database_url, name},
        [&coordinator_ptr](std::vector<tend::Result> results) {
          if (auto* c = coordinator_ptr.load()) c->results_stored(std::move(results));
        });
    writer = owned.get();
    store = std::move(owned);
  }

  // Results are durable when the stream keeps them until the store has them.
  DurableResults durable;
  if (writer) {
    auto opened = open_durable_results(**conn, tend::Subjects(config.nats.subject_prefix), *writer);
    if (!opened) return 0;  // stopped while waiting
    durable = std::move(*opened);
  }

  tend::Coordinator coordinator(config, **conn, *store,
                                /*durable_results=*/durable.ingest != nullptr);
  coordinator.restore(recovered);
  coordinator_ptr = &coordinator;

  // The alert loop: built before the coordinator starts (it observes control
  // messages), started after (it dispatches through it).
  tend::alerts::DispatcherFixRunner runner(coordinator);
  std::unique_ptr<tend::alerts::AlertPipeline> pipeline;
  std::unique_ptr<tend::alerts::AlertIntake> intake;
  std::unique_ptr<tend::alerts::AlertRequests> requests;
  if (routes) {
    tend::alerts::PipelineOptions options;
    options.config = config.alerts;
    options.database_url = config.database_url;
    options.actor = name;
    options.subjects = tend::Subjects(config.nats.subject_prefix);
    options.queue = config.limits.queue;
    pipeline = std::make_unique<tend::alerts::AlertPipeline>(
        std::move(options), routes, runner, **conn, *store, &coordinator.metrics());
    coordinator.observe_control(
        [&pipeline](const std::string& subject, const tend::Control& control) {
          pipeline->control_seen(subject, control);
        });
  }
  if (auto ok = coordinator.start(); !ok) return fail(ok.error().message);
  // History and the audit trail for operators, beside the event loop.
  std::unique_ptr<tend::QueryService> queries;
  if (!config.database_url.empty()) {
    auto started = tend::QueryService::start(**conn, tend::Subjects(config.nats.subject_prefix),
                                             {config.database_url});
    if (!started) {
      coordinator.stop();
      return fail("store queries: " + started.error().message);
    }
    queries = std::move(*started);
  }

  // Maintenance windows need the store: it is what makes a window fire once
  // across coordinators.
  tend::SystemWallClock wall_clock;
  std::unique_ptr<tend::DispatcherFleet> fleet;
  std::unique_ptr<tend::Scheduler> scheduler;
  if (writer) {
    const tend::Subjects subjects(config.nats.subject_prefix);
    fleet = std::make_unique<tend::DispatcherFleet>(coordinator, **conn, subjects);
    tend::SchedulerOptions options{config.database_url, name, subjects,
                                   config.schedules,    {},   config.limits.queue};
    if (pipeline) {
      options.escalate = [&pipeline](const tend::Escalation& e) { pipeline->escalate(e); };
    }
    scheduler =
        std::make_unique<tend::Scheduler>(std::move(options), **conn, *fleet, *store, wall_clock);
    if (auto ok = scheduler->start(); !ok) {
      coordinator.stop();
      return fail("schedules: " + ok.error().message);
    }
  } else if (!config.schedules.file.empty()) {
    spdlog::warn("[schedules] file {} is not used: maintenance windows need a [database] url",
                 config.schedules.file);
  }

  if (pipeline) {
    pipeline->start();
    intake = std::make_unique<tend::alerts::AlertIntake>(
        tend::alerts::WebhookAuth(config.alerts.webhook_token), config.alerts.max_body,
        [&pipeline](tend::alerts::AlertBatch batch, size_t bytes) {
          return pipeline->accept(std::move(batch), bytes);
        });
    requests = std::make_unique<tend::alerts::AlertRequests>(
        **conn, tend::Subjects(config.nats.subject_prefix), *pipeline);
    for (auto ok : {intake->subscribe(**conn, tend::Subjects(config.nats.subject_prefix)),
                    requests->subscribe()}) {
      if (!ok) return fail("alerts: " + ok.error().message);
    }
    spdlog::info("alerts: {} route(s) from {}", routes->routes().size(), routes->file());
  }
  std::unique_ptr<tend::HttpListener> http;
  if (!config.http_listen.empty()) {
    auto address = tend::alerts::parse_listen_address(config.http_listen);
    if (!address) return fail(address.error().message);
    if (config.alerts.webhook_token.empty()) {
      spdlog::warn("[alerts] webhook_token is not set: any local process may send alerts");
    }
    auto started = tend::HttpListener::start(
        address->host, address->port, config.http,
        [&](httplib::Server& s) {
          if (intake) {
            intake->add_routes(s);
          } else {
            add_alerts_off_route(s);
          }
        },
        [&coordinator] { coordinator.metrics().refused("http_connections"); });
    if (!started) return fail(started.error().message);
    http = std::move(*started);
  }

  // The morning digest, also from the store.
  std::unique_ptr<tend::DailyDigestService> digest;
  if (writer && config.reports.daily) {
    digest = std::make_unique<tend::DailyDigestService>(
        tend::DailyDigestOptions{config.database_url, name,
                                 tend::Subjects(config.nats.subject_prefix), config.reports},
        **conn, *store, wall_clock);
    digest->start();
  }
  for (;;) {
    int sig = tend::wait_for_control_signal();
    if (sig != SIGHUP) {
      spdlog::info("{}: answering tasks in flight, then stopping",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      break;
    }
    if (!pipeline) {
      spdlog::info("SIGHUP: no routes to reload; restart to read a changed config");
      store->audit(tend::store::AuditEntry{0, name, "reload", "", name, "SIGHUP",
                                           R"({"outcome":"nothing to reload"})"});
      continue;
    }
    // A bad file keeps the routes in use: the loop never runs without rules.
    auto reloaded = tend::alerts::load_routes(config.alerts.routes_file);
    if (!reloaded) {
      spdlog::error("SIGHUP: routes not reloaded, the old ones stay in use: {}",
                    reloaded.error().message);
      store->audit(tend::store::AuditEntry{
          0, name, "reload", "", name, "SIGHUP",
          nlohmann::json({{"outcome", "refused: " + reloaded.error().message}}).dump()});
      continue;
    }
    spdlog::info("SIGHUP: {} route(s) reloaded from {}", reloaded->routes().size(),
                 config.alerts.routes_file);
    store->audit(tend::store::AuditEntry{
        0, name, "reload", "", name, "SIGHUP",
        nlohmann::json({{"outcome", std::to_string(reloaded->routes().size()) + " route(s)"}})
            .dump()});
    pipeline->replace_routes(
        std::make_shared<const tend::alerts::RouteTable>(std::move(*reloaded)));
  }
  // No new alerts, then the loop ends; it goes only once the coordinator can
  // no longer call back into it.
  http.reset();
  intake.reset();
  requests.reset();
  if (pipeline) pipeline->stop();
  if (digest) digest->stop();
  if (scheduler) scheduler->stop();  // runs in progress end interrupted, with their reports
  if (queries) queries->stop();
  coordinator.stop();
  pipeline.reset();
  coordinator_ptr = nullptr;
  // The pull subscription goes before the drain: a drain would wait out its
  // last fetch request.
  durable.ingest.reset();
  if (writer) writer->stop();  // writes what it has; results left unwritten stay in the stream
  (*conn)->drain(kDrainTimeout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that only sigwait ever sees these signals.
  tend::block_control_signals();
  CLI::App app{"tend-coordinator: dispatches tasks to the fleet and answers with one summary"};
  std::string config_path, log_level;
  app.add_option("--config", config_path, "coordinator TOML file (e.g. /etc/tend/coordinator.toml)")
      ->required();
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off (overrides [log] level)");
  CLI11_PARSE(app, argc, argv);
  tend::init_logging("tend-coordinator");

  std::error_code ec;
  if (!std::filesystem::is_regular_file(config_path, ec)) {
    return fail(config_path + ": no such config file");
  }
  auto config = tend::load_coordinator_config(config_path);
  if (!config) return fail(config.error().message);
  if (auto ok = tend::set_log_level(log_level.empty() ? config->log_level : log_level); !ok) {
    return fail(ok.error().message);
  }
  if (!config->schedules.file.empty()) {
    // A bad schedules.toml refuses to start, before anything connects.
    if (auto schedules = tend::load_schedules_file(config->schedules.file); !schedules) {
      return fail(schedules.error().message);
    }
  }
  return serve(*config);
}
