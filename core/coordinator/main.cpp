// tend-coordinator: turns submitted tasks into one summary per task, and
// keeps every task, result and audit entry in PostgreSQL.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <optional>

#include "bus/jetstream.h"
#include "core/common/logging.h"
#include "core/common/signals.h"
#include "core/coordinator/coordinator.h"
#include "core/coordinator/query_service.h"
#include "core/coordinator/result_ingest.h"
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

int serve(const tend::CoordinatorConfig& config) {
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
  std::unique_ptr<tend::JetStream> jetstream;
  std::unique_ptr<tend::ResultIngest> ingest;
  if (writer) {
    auto js = tend::JetStream::open(**conn);
    if (js) {
      jetstream = std::move(*js);
      auto started = tend::ResultIngest::start(*jetstream, tend::Subjects(config.nats.subject_prefix),
                                               *writer);
      if (started) {
        ingest = std::move(*started);
      } else {
        spdlog::warn("results are stored only while this coordinator runs: {}",
                     started.error().message);
      }
    }
  }

  tend::Coordinator coordinator(config, **conn, *store, /*durable_results=*/ingest != nullptr);
  coordinator.restore(recovered);
  coordinator_ptr = &coordinator;
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
  for (;;) {
    int sig = tend::wait_for_control_signal();
    if (sig != SIGHUP) {
      spdlog::info("{}: answering tasks in flight, then stopping",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      break;
    }
    spdlog::info("SIGHUP: nothing to reload; restart to read a changed config");
  }
  if (queries) queries->stop();
  coordinator.stop();
  coordinator_ptr = nullptr;
  if (ingest) ingest->stop();
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
  for (const auto& warning : config->warnings) spdlog::warn("{}", warning);
  return serve(*config);
}
