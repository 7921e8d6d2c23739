// What remediate learned, kept for verify of the same task: the tables it
// vacuumed with their counters before, the packages it upgraded. Verify then
// checks exactly what was changed, not what a fresh look would pick today.
//
// A task is known by the `ctx` pointer the host passes to its hooks
// (Context::ctx()): tend's host gives every hook of one task the same one
// (the task's PluginCall). Hooks of different tasks may run at once, hence
// the lock. Remediate always remembers before verify can run and verify
// takes the entry, so an entry left by a task whose remediate failed is
// overwritten before anything could read it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace tend::plugins {

template <typename T>
class TaskMemory {
 public:
  void remember(const void* task, T value) {
    std::lock_guard lock(mutex_);
    entries_.insert_or_assign(task, std::move(value));
  }

  // The entry for `task`, removed; nullopt when remediate left none.
  std::optional<T> take(const void* task) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(task);
    if (found == entries_.end()) return std::nullopt;
    T value = std::move(found->second);
    entries_.erase(found);
    return value;
  }

 private:
  std::mutex mutex_;
  std::map<const void*, T> entries_;
};

}  // namespace tend::plugins
