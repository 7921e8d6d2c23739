// tend-plugin-runner --zygote: a single-threaded process that loads the
// plugins once, ahead of any task, and forks one runner per task from
// itself, so a task pays for a fork instead of an exec, dynamic linking,
// protobuf's start-up and a dlopen. Each runner is still a process of its
// own (own memory, own process group, own limits), forked from a process
// with no threads: never the multi-threaded agent.
//
// Runners are cloned with CLONE_PARENT, so they are the agent's children,
// not the zygote's: the agent waits for them and reads how they ended
// exactly as for a runner it started itself (RunnerProcess).
//
// The zygote speaks ZygoteRequest/ZygoteReply (schemas/runner.proto) on the
// SOCK_SEQPACKET socket at `socket_fd`, and ends when the agent closes it or
// dies. A plugin that starts threads when loaded makes the zygote stop (a
// process with threads cannot fork safely): it reports which one, and the
// agent starts another zygote without it.
#pragma once

namespace tend {

[[noreturn]] void serve_as_zygote(int socket_fd);

}  // namespace tend
