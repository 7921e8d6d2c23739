/* Test plugins that are tend plugins in form but wrong in content; which
 * mistake is chosen at build time:
 *   ABI_TWO       built for a plugin ABI this agent does not speak
 *   BAD_NAME      a name that cannot go into a subject
 *   NO_REMEDIATE  no remediate hook
 *   BAD_DEFAULT   a duration param whose default is not a duration */
#include <tend/plugin.h>

#ifndef NO_REMEDIATE
static tend_outcome remediate(const tend_host_api* host, void* ctx) {
  (void)host;
  (void)ctx;
  return TEND_OUTCOME_OK;
}
#endif

#ifdef BAD_DEFAULT
static const tend_param_spec kParams[] = {
    {"max_age", TEND_PARAM_DURATION, 0, "a week", NULL, NULL, "how old"},
};
#define PARAMS kParams
#define PARAM_COUNT 1
#else
#define PARAMS NULL
#define PARAM_COUNT 0
#endif

static const tend_plugin kPlugin = {
#ifdef ABI_TWO
    .abi_version = 2,
#else
    .abi_version = TEND_PLUGIN_ABI_VERSION,
#endif
    .struct_size = sizeof(tend_plugin),
#ifdef BAD_NAME
    .name = "bad name!",
#else
    .name = "bad-descriptor",
#endif
    .version = "1.0.0",
    .description = "wrong on purpose",
    .risk = TEND_RISK_LOW,
    .params = PARAMS,
    .param_count = PARAM_COUNT,
#ifndef NO_REMEDIATE
    .on_remediate = remediate,
#endif
};

TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) { return &kPlugin; }
