// Names the calling thread (at most 15 characters), so `top -H`, `ps -L`,
// perf and gdb say which of a program's threads is busy.
#pragma once

#include <pthread.h>

namespace tend {

inline void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace tend
