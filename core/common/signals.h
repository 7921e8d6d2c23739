// Signals are taken synchronously: blocked in every thread before any thread
// starts, then waited for in main. No handler runs in signal context.
#pragma once

#include <chrono>
#include <csignal>

namespace tend {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it
// starts afterwards. Call first thing in main.
void block_control_signals();

// Waits for one of them and returns its number.
int wait_for_control_signal();

// Waits at most `timeout` for one; 0 when none came.
int wait_for_control_signal(std::chrono::milliseconds timeout);

}  // namespace tend
