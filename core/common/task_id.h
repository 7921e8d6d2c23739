// Task ids end up in subjects (tend.result.<id>), so they use only name
// characters.
#pragma once

#include <string>
#include <string_view>

namespace tend {

// A fresh random id such as "t-6f1c0a9e2b7d4c35".
std::string new_task_id();

// A task published straight to tend.task.* without an id must get the same id
// on every agent and on the coordinator, which all see the same message but
// cannot talk first: the id is derived from what they share. Publishing the
// same payload twice on the same subject without a reply inbox yields the
// same id, so give an explicit id when you mean two separate tasks.
std::string derived_task_id(std::string_view subject, std::string_view reply,
                            std::string_view payload);

}  // namespace tend
