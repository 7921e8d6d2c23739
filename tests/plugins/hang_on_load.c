/* A plugin whose library constructor never returns: whoever loads it on the
 * agent's behalf must give up on it in time. */
#include <tend/plugin.h>
#include <unistd.h>

__attribute__((constructor)) static void hang_on_load(void) {
  for (;;) pause();
}

TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) { return 0; }
