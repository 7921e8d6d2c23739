/* A working plugin whose library constructor starts a thread: a process it
 * is loaded into has threads from then on, so the runner zygote must not
 * keep it (a process with threads cannot fork safely); its tasks still run,
 * loading it in their own runner. */
#include <pthread.h>
#include <tend/plugin.h>
#include <unistd.h>

static void* idle(void* unused) {
  (void)unused;
  for (;;) pause();
  return 0;
}

__attribute__((constructor)) static void start_thread(void) {
  pthread_t thread;
  if (pthread_create(&thread, 0, idle, 0) == 0) pthread_detach(thread);
}

static tend_outcome remediate(const tend_host_api* host, void* ctx) {
  host->callback_set_summary(ctx, "ran beside its own thread");
  return TEND_OUTCOME_OK;
}

static const tend_plugin kPlugin = {
    .abi_version = TEND_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(tend_plugin),
    .name = "threads-on-load",
    .version = "1.0.0",
    .description = "starts a thread when loaded",
    .risk = TEND_RISK_LOW,
    .on_remediate = remediate,
};

TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) { return &kPlugin; }
