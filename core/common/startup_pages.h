// Gives back the pages of program and library files that only start-up
// touched. Loading tend-agent's libraries reads their symbol and relocation
// tables, and initialising them (OpenSSL, which nats.c starts for its
// random ids, above all) runs code that never runs again: about 8 MiB that
// top would count as the agent's for as long as it runs. Dropping those
// mappings leaves the pages in the page cache (nothing is freed or re-read
// that is still in use; other processes keep theirs) and the agent faults
// back in what it does use, so its resident set becomes its working set.
//
// Only the loaded objects' read-only segments are dropped, and of those only
// mappings that cannot hold anything but the file's own bytes: private, not
// writable, with no page of their own (relocated data keeps its copy).
#pragma once

#include <cstddef>

namespace tend {

// Returns how many bytes of resident pages it dropped.
size_t release_startup_pages();

}  // namespace tend
