/* A test plugin written in plain C against tend/plugin.h: it reads one param
 * of every type, and the operator's setting "greeting", through the host's
 * callbacks and sets each as an output, so a test sees exactly what a plugin
 * would read. */
#include <stdio.h>
#include <string.h>
#include <tend/plugin.h>

static const tend_param_spec kParams[] = {
    {"text", TEND_PARAM_STRING, 0, "hello", NULL, NULL, "any text"},
    {"count", TEND_PARAM_INTEGER, 0, "1", NULL, NULL, "a whole number"},
    {"force", TEND_PARAM_BOOLEAN, 0, "false", NULL, NULL, "a flag"},
    {"max_age", TEND_PARAM_DURATION, 0, "7d", NULL, NULL, "a duration"},
    {"min_free", TEND_PARAM_SIZE, 0, "1GiB", NULL, NULL, "a size"},
    {"paths", TEND_PARAM_LIST, 0, "/tmp,/var/tmp", NULL, NULL, "a list"},
};

static void put_integer(const tend_host_api* host, void* ctx, const char* name) {
  char text[32];
  snprintf(text, sizeof text, "%lld", (long long)host->callback_param_integer(ctx, name, -1));
  host->callback_set_output(ctx, name, text);
}

static tend_outcome remediate(const tend_host_api* host, void* ctx) {
  host->callback_set_output(ctx, "text", host->callback_param_string(ctx, "text"));
  put_integer(host, ctx, "count");
  host->callback_set_output(ctx, "force",
                            host->callback_param_boolean(ctx, "force", 0) ? "true" : "false");
  put_integer(host, ctx, "max_age");
  put_integer(host, ctx, "min_free");
  char joined[1024] = "";
  size_t n = host->callback_param_list_size(ctx, "paths");
  for (size_t i = 0; i < n; ++i) {
    if (i) strncat(joined, "|", sizeof joined - strlen(joined) - 1);
    strncat(joined, host->callback_param_list_item(ctx, "paths", i),
            sizeof joined - strlen(joined) - 1);
  }
  host->callback_set_output(ctx, "paths", joined);
  host->callback_set_output(ctx, "max_age_text", host->callback_param_string(ctx, "max_age"));
  if (TEND_HOST_HAS(host, callback_setting_string)) {
    const char* greeting = host->callback_setting_string(ctx, "greeting");
    host->callback_set_output(ctx, "setting_greeting", greeting ? greeting : "(unset)");
  }
  host->callback_log(ctx, TEND_LOG_INFO, "echoed every param");
  return TEND_OUTCOME_OK;
}

static const tend_plugin kPlugin = {
    .abi_version = TEND_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(tend_plugin),
    .name = "echo-params",
    .version = "1.0.0",
    .description = "sets every param it reads as an output",
    .risk = TEND_RISK_LOW,
    .supports = 0,
    .params = kParams,
    .param_count = sizeof kParams / sizeof kParams[0],
    .on_remediate = remediate,
};

TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) { return &kPlugin; }
