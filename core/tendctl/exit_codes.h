// tendctl's exit codes, which scripts and cron jobs rely on.
#pragma once

#include "schemas/summary.pb.h"

namespace tend::tendctl {

inline constexpr int kAllSucceeded = 0;
inline constexpr int kSomeFailed = 1;   // a host answered with anything but SUCCEEDED
inline constexpr int kUsageError = 2;   // bad arguments, or a task the coordinator refused
inline constexpr int kSomeMissing = 3;  // a host never answered, or no host matched
inline constexpr int kUnreachable = 4;  // NATS or the coordinator could not be reached

// For --help: the same rules in words.
inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  every expected host succeeded\n"
    "  1  some host failed (FAILED, TIMED_OUT, CRASHED or REJECTED)\n"
    "  2  usage error, or the coordinator refused the task\n"
    "  3  some host never answered, or no host matched the target\n"
    "     (wins over 1: a silent host may be down or half-way through a fix)\n"
    "  4  NATS or the coordinator could not be reached, or sent no answer";

// For --help of the commands the coordinator answers from its store.
inline constexpr const char* kStoreExitCodesHelp =
    "Answered by a tend-coordinator with a [database] url.\n\n"
    "Exit codes:\n"
    "  0  answered\n"
    "  2  usage error, or a request the coordinator refused (its reason says what to change)\n"
    "  4  NATS or a coordinator with a store could not be reached, or sent no answer";

// 3 when a host is missing or nobody was expected, else 1 when any failed,
// else 0.
int exit_code_for(const tend::Summary& summary);

}  // namespace tend::tendctl
