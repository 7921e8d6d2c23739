/* A plugin whose library constructor crashes: loading it must never take
 * down whoever loads it on the agent's behalf. */
#include <signal.h>
#include <tend/plugin.h>

__attribute__((constructor)) static void crash_on_load(void) { raise(SIGSEGV); }

TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) { return 0; }
