// A node's Result as the coordinator reads it, from tend.result.<id> or the
// results stream alike: decoded, its task id taken from the subject when the
// message has none, and its names held to the bounds every subject name
// keeps. A result with a host or task id no agent could have sent is
// refused here, before it can reach the registry or the store (where, as a
// key, an oversized one would fail the whole batch it is written with).
#pragma once

#include "bus/expected.h"
#include "bus/message.h"
#include "schemas/result.pb.h"

namespace tend {

Expected<tend::Result> read_result(const Message& msg);

}  // namespace tend
