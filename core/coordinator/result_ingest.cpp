#include "core/coordinator/result_ingest.h"

#include <spdlog/spdlog.h>

#include "core/common/thread_name.h"
#include "core/coordinator/result_message.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

constexpr int kBatch = 2000;
constexpr auto kFetchWait = 200ms;
// Past this many items waiting for PostgreSQL, leave results in the stream.
constexpr size_t kMaxWriterBacklog = 200'000;

}  // namespace

Expected<std::unique_ptr<ResultIngest>> ResultIngest::start(JetStream& jetstream,
                                                            const Subjects& subjects,
                                                            store::StoreWriter& writer) {
  StreamSpec stream{subjects.results_stream(), {subjects.result_all()}};
  if (auto ok = jetstream.ensure_stream(stream); !ok) return ok.error();
  ConsumerSpec consumer{stream.name, kConsumer, subjects.result_all()};
  if (auto ok = jetstream.ensure_consumer(consumer); !ok) return ok.error();
  auto bound = jetstream.bind_pull(consumer);
  if (!bound) return bound.error();
  return std::unique_ptr<ResultIngest>(new ResultIngest(std::move(*bound), writer));
}

ResultIngest::ResultIngest(std::unique_ptr<PullConsumer> consumer, store::StoreWriter& writer)
    : consumer_(std::move(consumer)), writer_(writer) {
  thread_ = std::thread([this] {
    name_this_thread("result-ingest");
    run();
  });
}

ResultIngest::~ResultIngest() { stop(); }

void ResultIngest::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void ResultIngest::run() {
  bool failing = false;
  while (running_) {
    if (writer_.backlog() > kMaxWriterBacklog) {
      std::this_thread::sleep_for(50ms);
      continue;
    }
    auto messages = consumer_->fetch(kBatch, kFetchWait);
    if (!messages) {
      if (!failing) spdlog::warn("results stream: {}; retrying", messages.error().message);
      failing = true;
      std::this_thread::sleep_for(500ms);
      continue;
    }
    if (failing) spdlog::info("results stream: reading again");
    failing = false;
    for (auto& msg : *messages) {
      auto result = read_result(msg);
      if (!result) {
        // Nothing can ever store it: keep it from coming back for ever.
        spdlog::warn("results stream: {} dropped: {}", msg.subject(), result.error().message);
        (void)msg.ack();
        continue;
      }
      writer_.result_delivered(std::move(*result), std::move(msg));
    }
  }
}

}  // namespace tend
