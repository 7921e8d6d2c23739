// Everything tend-coordinator runs, and the order it all comes up and goes
// down in: build() connects and opens (it may wait for PostgreSQL and for the
// results stream), start() sets each service going, stop() takes them down.
//
// The members are declared in lifetime order: what others use comes first,
// so that they go in reverse when Services goes, also when start() failed
// half way. stop() is the orderly teardown, which interleaves stopping and
// releasing in a way that destruction order alone cannot.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "bus/connection.h"
#include "bus/jetstream.h"
#include "core/common/wall_clock.h"
#include "core/coordinator/alerts/alert_intake.h"
#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "core/coordinator/alerts/fix_runner.h"
#include "core/coordinator/alerts/route_table.h"
#include "core/coordinator/coordinator.h"
#include "core/coordinator/coordinator_config.h"
#include "core/coordinator/http_listener.h"
#include "core/coordinator/queries/query_service.h"
#include "core/coordinator/reports/daily_digest.h"
#include "core/coordinator/result_ingest.h"
#include "core/coordinator/schedules/fleet.h"
#include "core/coordinator/schedules/scheduler.h"
#include "core/store/recovery.h"
#include "core/store/store_writer.h"
#include "core/store/task_store.h"

namespace tend {

struct DurableResults {
  std::unique_ptr<JetStream> jetstream;
  std::unique_ptr<ResultIngest> ingest;  // reads through jetstream: declared after it
};

struct Services {
  // kStopped: a signal asked to stop while build() waited, which is no error.
  enum class Built { kReady, kStopped };

  explicit Services(const CoordinatorConfig& config);
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  Expected<Built> build();
  Expected<void> start();
  void stop();  // after a start() that succeeded

  const CoordinatorConfig& config;
  const std::string name;
  std::shared_ptr<const alerts::RouteTable> routes;  // with [alerts] routes only
  NatsLibrary nats_library;
  std::unique_ptr<Connection> conn;
  // The writer's way to the coordinator, which is built after it.
  std::atomic<Coordinator*> coordinator_ptr{nullptr};
  store::RecoveredState recovered;
  std::unique_ptr<store::TaskStore> store;
  store::StoreWriter* writer = nullptr;  // the store, with a [database] url
  DurableResults durable;
  std::unique_ptr<Coordinator> coordinator;
  std::unique_ptr<alerts::DispatcherFixRunner> runner;
  std::unique_ptr<alerts::AlertPipeline> pipeline;
  std::unique_ptr<alerts::AlertIntake> intake;
  std::unique_ptr<alerts::AlertRequests> requests;
  std::unique_ptr<QueryService> queries;
  SystemWallClock wall_clock;
  std::unique_ptr<DispatcherFleet> fleet;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<HttpListener> http;
  std::unique_ptr<DailyDigestService> digest;

 private:
  Expected<void> read_routes();
  Expected<void> connect();
  Expected<Built> open_store();
  Built open_durable_results();
  void build_coordinator();
  void build_alert_pipeline();

  Expected<void> start_queries();
  Expected<void> start_scheduler();
  Expected<void> start_alerts();
  Expected<void> start_http();
  void start_digest();
};

}  // namespace tend
