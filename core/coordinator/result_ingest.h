// Moves results from the JetStream stream into the store: fetches what the
// durable consumer has (results agents published while this coordinator
// listened, and while it did not), hands each to the StoreWriter, which
// acknowledges it only once its row is committed. Stops fetching while the
// writer is far behind (PostgreSQL away), so the results wait in the stream,
// not in this process's memory.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "bus/jetstream.h"
#include "bus/subjects.h"
#include "core/store/store_writer.h"

namespace tend {

class ResultIngest {
 public:
  // The durable consumer every coordinator shares (pull consumers split the
  // work between those bound to them).
  static constexpr const char* kConsumer = "tend-store";

  // Sets up the stream over `<prefix>.result.>` and the consumer, and binds.
  static Expected<std::unique_ptr<ResultIngest>> start(JetStream& jetstream,
                                                       const Subjects& subjects,
                                                       store::StoreWriter& writer);
  ~ResultIngest();
  ResultIngest(const ResultIngest&) = delete;
  ResultIngest& operator=(const ResultIngest&) = delete;

  void stop();

 private:
  ResultIngest(std::unique_ptr<PullConsumer> consumer, store::StoreWriter& writer);
  void run();

  std::unique_ptr<PullConsumer> consumer_;
  store::StoreWriter& writer_;
  std::atomic<bool> running_{true};
  std::thread thread_;
};

}  // namespace tend
