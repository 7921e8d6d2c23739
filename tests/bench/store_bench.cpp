#include "tests/bench/store_bench.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <iostream>

#include "bus/jetstream.h"
#include "bus/subjects.h"
#include "core/coordinator/result_ingest.h"
#include "core/store/copy_text.h"
#include "core/store/migrations.h"
#include "core/store/store_writer.h"
#include "tests/support/eventually.h"

namespace tend::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

tend::Result result(const std::string& task_id, int host) {
  tend::Result r;
  r.set_task_id(task_id);
  r.set_host(fmt::format("web-{:05}", host));
  r.set_plugin("noop");
  r.set_status(tend::SUCCEEDED);
  r.set_summary("noop slept 0 ms");
  r.mutable_outputs()->insert({std::string("sleep_ms"), std::string("0")});
  (*r.mutable_figures())["slept_ms"] = 0;
  r.set_duration_ms(1);
  *r.mutable_finished_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return r;
}

void print_rate(const std::string& name, int count, Clock::duration took) {
  double seconds = std::chrono::duration<double>(took).count();
  fmt::print("{} {:.0f} {}\n", name, count / seconds, count);
}

std::unique_ptr<store::PgConnection> connect_db(const std::string& url) {
  auto conn = store::PgConnection::connect(url, 5s);
  if (!conn) {
    std::cerr << "tend-bench: " << conn.error().message << "\n";
    std::exit(1);
  }
  return std::move(*conn);
}

bool floor_insert(store::PgConnection& db, int count) {
  if (!db.exec("CREATE TEMP TABLE floor_insert (task_id text, host text, status text, "
               "summary text, outputs jsonb)")) {
    return false;
  }
  auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) {
    if (!db.exec("INSERT INTO floor_insert VALUES ($1, $2, 'SUCCEEDED', 'ok', '{}')",
                 {"t-floor", fmt::format("web-{:05}", i)})) {
      return false;
    }
  }
  print_rate("store-floor-insert", count, Clock::now() - t0);
  return true;
}

bool floor_copy(store::PgConnection& db, int count) {
  if (!db.exec("CREATE TEMP TABLE floor_copy (task_id text, host text, status text, "
               "summary text, outputs jsonb)")) {
    return false;
  }
  auto t0 = Clock::now();
  store::CopyRows rows;
  for (int i = 0; i < count; ++i) {
    rows.text("t-floor")
        .text(fmt::format("web-{:05}", i))
        .text("SUCCEEDED")
        .text("ok")
        .text("{}")
        .end_row();
  }
  if (!db.copy_in("COPY floor_copy FROM STDIN", rows.data())) return false;
  print_rate("store-floor-copy", count, Clock::now() - t0);
  return true;
}

bool writer(const std::string& url, int count) {
  store::StoreWriter w({url, "bench"}, nullptr);
  auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) w.result_received(result("t-writer", i));
  if (!w.flush(300s)) return false;
  print_rate("store-writer", count, Clock::now() - t0);
  return w.results_stored() == static_cast<uint64_t>(count);
}

bool ingest(const std::string& url, const std::string& nats_url, int count) {
  ConnectionOptions options;
  options.servers = {nats_url};
  auto conn = Connection::connect(options);
  if (!conn) return false;
  auto js = JetStream::open(**conn);
  if (!js) return false;
  Subjects subjects("benchstore");
  // Beside the coordinator's own TEND_RESULTS (1 GiB reserved) on the bench's
  // nats-server (2 GB of file store): a stream of its own, sized for what it
  // holds (100 000 small results are ~30 MB), or the server refuses it.
  StreamSpec spec{subjects.results_stream(), {subjects.result_all()}};
  spec.max_bytes = int64_t{256} << 20;
  if (auto made = (*js)->ensure_stream(spec); !made) {
    std::cerr << "tend-bench: " << made.error().message << "\n";
    return false;
  }
  // Into the stream first, as agents would have published them.
  for (int i = 0; i < count; ++i) {
    auto r = result("t-ingest", i);
    auto out =
        (*js)->publish(subjects.result(r.task_id()), r, fmt::format("{}.{}", r.task_id(), r.host()),
                       subjects.results_stream(), 5s);
    if (out.stored != JetStream::Stored::kYes) {
      std::cerr << "tend-bench: " << out.error << "\n";
      return false;
    }
  }
  store::StoreWriter w({url, "bench-ingest"}, nullptr);
  auto t0 = Clock::now();
  auto started = ResultIngest::start(**js, subjects, w);
  if (!started) {
    std::cerr << "tend-bench: " << started.error().message << "\n";
    return false;
  }
  if (!testing::eventually([&] { return w.results_stored() >= static_cast<uint64_t>(count); }, 300s,
                           1ms)) {
    return false;
  }
  print_rate("store-ingest", count, Clock::now() - t0);
  (*started)->stop();
  return true;
}

}  // namespace

int store_throughput(const std::string& database_url, const std::string& nats_url, int count) {
  auto db = connect_db(database_url);
  if (auto ok = store::migrate(*db); !ok) {
    std::cerr << "tend-bench: " << ok.error().message << "\n";
    return 1;
  }
  if (!floor_insert(*db, std::min(count, 5000)) || !floor_copy(*db, count) ||
      !writer(database_url, count) || !ingest(database_url, nats_url, count)) {
    std::cerr << "tend-bench: a store measurement failed\n";
    return 1;
  }
  return 0;
}

}  // namespace tend::bench
