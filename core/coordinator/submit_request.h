// A request on tend.submit, checked before anything is dispatched: a task
// that cannot run anywhere is refused with what is wrong, and changes nothing.
#pragma once

#include <string_view>

#include "bus/codec.h"
#include "bus/expected.h"
#include "schemas/task.pb.h"

namespace tend {

// Decodes the Task and refuses malformed JSON or protobuf, unknown fields, a
// missing or badly named plugin, an empty or invalid target and a task id that
// could not be in a subject. An empty id is fine: the coordinator assigns one.
Expected<tend::Task> read_submit(std::string_view data, Encoding encoding);

}  // namespace tend
