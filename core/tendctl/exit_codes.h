// tendctl's exit codes, which scripts and cron jobs rely on.
#pragma once

namespace tend::tendctl {

inline constexpr int kAllSucceeded = 0;
inline constexpr int kSomeFailed = 1;   // a host answered with anything but SUCCEEDED
inline constexpr int kUsageError = 2;   // bad arguments, or a request the coordinator refused
inline constexpr int kSomeMissing = 3;  // a host never answered (wins over kSomeFailed)
inline constexpr int kUnreachable = 4;  // NATS or the coordinator could not be reached

}  // namespace tend::tendctl
