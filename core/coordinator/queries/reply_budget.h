// A reply must fit in one NATS message: the server's max_payload, 1 MiB by
// default. A query that can return a lot (many tasks, a task on thousands of
// hosts, long audit details) measures its reply in the encoding it will be
// sent in and leaves out what does not fit, saying how much it left out.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>

#include <cstddef>

#include "bus/codec.h"

namespace tend {

class ReplyBudget {
 public:
  // `max_payload` as the server says; room is kept for headers.
  ReplyBudget(size_t max_payload, Encoding encoding);

  size_t max_bytes() const { return max_bytes_; }
  size_t size_of(const google::protobuf::Message& message) const;
  bool fits(const google::protobuf::Message& message) const {
    return size_of(message) <= max_bytes_;
  }
  // What `rows` take inside their parent, for each row: its own encoding and
  // what separates it from the next.
  size_t row_cost(const google::protobuf::Message& row) const;

  // Removes rows of `rows` (from the back, or from the front) until those
  // left take at most `room` bytes. Returns how many were removed.
  enum class Drop { kFromBack, kFromFront };
  template <typename Row>
  size_t keep_within(google::protobuf::RepeatedPtrField<Row>& rows, size_t room, Drop drop) const {
    size_t used = 0;
    int kept = 0;
    const int n = rows.size();
    for (int i = 0; i < n; ++i) {
      const Row& row = rows.Get(drop == Drop::kFromBack ? i : n - 1 - i);
      size_t cost = row_cost(row);
      if (used + cost > room) break;
      used += cost;
      ++kept;
    }
    const int removed = n - kept;
    if (removed > 0) {
      rows.DeleteSubrange(drop == Drop::kFromBack ? kept : 0, removed);
    }
    return static_cast<size_t>(removed);
  }

 private:
  size_t max_bytes_;
  Encoding encoding_;
};

}  // namespace tend
