// JetStream on a Connection, for what must not be lost: a stream keeps every
// message published on its subjects until a consumer has handled it. tend
// uses it for results: agents publish and wait for the stream's
// acknowledgement (retrying until they get one), and the coordinator reads
// with a durable pull consumer and acknowledges each result only once its
// row is committed.
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bus/codec.h"
#include "bus/connection.h"
#include "bus/expected.h"
#include "bus/message.h"
#include "bus/nats_handles.h"

namespace tend {

// The defaults are the bounds of TEND_RESULTS, the one stream tend keeps
// (README, "Limits"). Past either bound the oldest messages go first
// (JetStream's default discard policy): the store has long acknowledged
// those, unless PostgreSQL has been away for longer than the bound lasts.
struct StreamSpec {
  std::string name;
  std::vector<std::string> subjects;
  // A week: results of a long weekend's outage still reach the store.
  std::chrono::seconds max_age{7 * 24 * 3600};
  // A message id seen again within this window is stored only once.
  std::chrono::seconds duplicate_window{600};
  // 1 GiB, about half a million typical results (~2 KB each); nats-server
  // reserves it from its jetstream max_file_store (10GB in
  // etc/nats-server.conf), which must leave room for it.
  int64_t max_bytes = int64_t{1} << 30;
};

// A durable pull consumer that already exists on a stream (JetStream::
// ensure_consumer). Created once and bound to, never deleted when this
// subscription goes: its position outlives the program.
class PullConsumer {
 public:
  explicit PullConsumer(nats::SubscriptionPtr sub) : sub_(std::move(sub)) {}

  // Up to `batch` messages; fewer (or none) when `timeout` passes first.
  // Acknowledge each with Message::ack() once it is handled for good; what is
  // not acknowledged comes again after the consumer's ack wait.
  Expected<std::vector<Message>> fetch(int batch, std::chrono::milliseconds timeout);

 private:
  nats::SubscriptionPtr sub_;
};

struct ConsumerSpec {
  std::string stream;
  std::string durable;
  std::string filter_subject;         // empty: the whole stream
  std::chrono::seconds ack_wait{60};  // then an unacknowledged message comes again
  int64_t max_ack_pending = 100'000;
};

class JetStream {
 public:
  static Expected<std::unique_ptr<JetStream>> open(
      Connection& connection, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Creates the stream, or brings an existing one to this spec.
  Expected<void> ensure_stream(const StreamSpec& spec);
  Expected<void> ensure_consumer(const ConsumerSpec& spec);
  Expected<std::unique_ptr<PullConsumer>> bind_pull(const ConsumerSpec& spec);

  enum class Stored {
    kYes,       // the stream has it (or had it: a duplicate id)
    kNoStream,  // nothing stores this subject; it went out as a plain publish
    kNo,        // no acknowledgement (server down, timeout): try again
  };
  struct PublishOutcome {
    Stored stored = Stored::kNo;
    std::string error;
  };
  // Publishes (binary protobuf) with `message_id` for de-duplication and
  // waits for `stream` to acknowledge it.
  PublishOutcome publish(std::string_view subject, const google::protobuf::Message& message,
                         std::string_view message_id, std::string_view stream,
                         std::chrono::milliseconds timeout);

  // False when the server says there is no such stream (or no JetStream);
  // an error when it could not be asked.
  Expected<bool> has_stream(const std::string& stream);

  // Messages in the stream (for tests and the bench).
  Expected<uint64_t> stream_messages(const std::string& stream);
  // Messages the consumer has not had acknowledged yet, delivered or not.
  Expected<uint64_t> consumer_backlog(const std::string& stream, const std::string& durable);

 private:
  explicit JetStream(nats::JetStreamPtr js) : js_(std::move(js)) {}

  nats::JetStreamPtr js_;
};

}  // namespace tend
