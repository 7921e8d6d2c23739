// How many messages, and bytes, a subscription may hold that its handler has
// not taken yet. Past either, nats.c drops what comes (a "slow consumer",
// logged by the connection) rather than grow without bound. nats.c's own
// default is 65536 messages / 64 MiB per subscription; tend chooses per use:
//
//   subjects                       messages  bytes    why
//   <prefix>.task.<...>            10 000    16 MiB   an agent subscribes 3 + one per tag; its
//                                                     handler decodes and hands off in well under
//                                                     a millisecond, so only a flood fills this
//   <prefix>.control.<...>            100     1 MiB   rare, by hand; a reload may take seconds
//   <prefix>.result, .progress,   100 000   256 MiB   the coordinator hears one result (and one
//   .heartbeat, and every                             ack) per host of a fan-out to thousands at
//   wildcard (tend.task.>, ...)                       once, every node's heartbeat after a server
//                                                     restart; a lost heartbeat is replaced in
//                                                     interval_s anyway
//   anything else                  10 000    64 MiB   requests (submit, queries) and reply inboxes
#pragma once

#include <cstdint>
#include <string_view>

namespace tend {

struct PendingLimits {
  int messages;
  int64_t bytes;
};

// The limits for a subscription to `subject`: a wildcard hears many senders;
// otherwise by its kind, the token after the subject prefix ("tend.task.all"
// is a task subject).
PendingLimits pending_limits_for(std::string_view subject);

}  // namespace tend
