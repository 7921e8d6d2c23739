/*
 * tend/plugin.h — the one C ABI between tend-agent and a plugin .so.
 *
 * Only C types cross this boundary: no C++ objects, no exceptions, no memory
 * that one side allocates and the other frees. That is what lets a plugin built
 * with another compiler release load into any agent of the same ABI version.
 *
 * Naming says direction and ownership (as in Envoy's dynamic modules):
 *   on_*        hooks the plugin implements and the host calls;
 *   callback_*  functions the host implements and the plugin calls.
 * Every string the host hands a plugin is owned by the host and valid until
 * the hook returns; every string a plugin hands the host is copied at once.
 *
 * A plugin exports exactly one symbol, TEND_PLUGIN_ENTRY (below), returning a
 * pointer to a static tend_plugin that lives as long as the library is loaded.
 * Structs are only ever appended to; each carries its own size so the host can
 * tell which fields an older plugin knows about.
 */
#ifndef TEND_PLUGIN_H
#define TEND_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped only when a change would break plugins built against an older header. */
#define TEND_PLUGIN_ABI_VERSION 1u

#define TEND_PLUGIN_ENTRY tend_plugin_on_load_v1
#define TEND_PLUGIN_ENTRY_NAME "tend_plugin_on_load_v1"

#if defined(__GNUC__)
#define TEND_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TEND_PLUGIN_EXPORT
#endif

typedef enum tend_risk {
  TEND_RISK_LOW = 0,
  TEND_RISK_MEDIUM = 1,
  TEND_RISK_HIGH = 2,
} tend_risk;

typedef enum tend_param_type {
  TEND_PARAM_STRING = 0,
  TEND_PARAM_INTEGER = 1,
  TEND_PARAM_BOOLEAN = 2,
  TEND_PARAM_DURATION = 3, /* "90s", "5m", "7d"; read as integer seconds */
  TEND_PARAM_SIZE = 4,     /* "500MB", "2GiB"; read as integer bytes */
  TEND_PARAM_LIST = 5,     /* a list of strings */
} tend_param_type;

/* One parameter a plugin accepts. The host validates a task's params against
 * these before any hook runs, and fills in defaults. */
typedef struct tend_param_spec {
  const char* name;
  tend_param_type type;
  int required;               /* non-zero: the task must give it */
  const char* default_value;  /* text form ("7d", "true", "a,b"), or NULL */
  const char* allowed_values; /* comma-separated text forms, or NULL for any */
  const char* pattern;        /* RE2 regex each whole text value must match, or NULL */
  const char* help;           /* one line for `tendctl plugins NAME` */
} tend_param_spec;

/* Capability flags in tend_plugin.supports. */
#define TEND_SUPPORTS_DRY_RUN (1u << 0)
#define TEND_SUPPORTS_VERIFY (1u << 1)
#define TEND_SUPPORTS_ROLLBACK (1u << 2)

/* What a hook returns. */
typedef enum tend_outcome {
  TEND_OUTCOME_OK = 0,
  TEND_OUTCOME_FAILED = 1,       /* say why with callback_set_error */
  TEND_OUTCOME_NOTHING_TO_DO = 2 /* diagnose found nothing wrong: skip remediate */
} tend_outcome;

typedef enum tend_log_level {
  TEND_LOG_DEBUG = 0,
  TEND_LOG_INFO = 1,
  TEND_LOG_WARN = 2,
  TEND_LOG_ERROR = 3,
} tend_log_level;

/* Functions the host provides. `ctx` is the opaque pointer the host passed to
 * the hook; hand it back unchanged. Only ever appended to. */
typedef struct tend_host_api {
  uint32_t abi_version;
  uint32_t struct_size;

  /* Parameters, validated and with defaults applied. Durations read as
   * seconds and sizes as bytes through callback_param_integer. */
  int (*callback_param_present)(void* ctx, const char* name);
  const char* (*callback_param_string)(void* ctx, const char* name); /* NULL if absent */
  int64_t (*callback_param_integer)(void* ctx, const char* name, int64_t fallback);
  int (*callback_param_boolean)(void* ctx, const char* name, int fallback);
  size_t (*callback_param_list_size)(void* ctx, const char* name);
  const char* (*callback_param_list_item)(void* ctx, const char* name, size_t index);

  /* Non-zero when the task is a dry run: diagnose and report, change nothing. */
  int (*callback_dry_run)(void* ctx);
  /* Non-zero once the host wants the hook to stop (deadline, shutdown). */
  int (*callback_cancelled)(void* ctx);

  /* What the plugin reports; each call replaces or adds, never frees. */
  void (*callback_set_summary)(void* ctx, const char* line);
  void (*callback_set_error)(void* ctx, const char* message);
  void (*callback_set_output)(void* ctx, const char* key, const char* value);
  void (*callback_add_figure)(void* ctx, const char* key, double value);
  void (*callback_log)(void* ctx, tend_log_level level, const char* message);

  /* Settings the operator gave this plugin in agent.toml, [plugin.<name>]:
   * what a task must not choose for itself, such as allow-lists and the
   * directories a plugin may touch. A scalar reads in its text form ("7",
   * "true", "/var/log"); a list item by item, and a scalar reads as a list of
   * one. Appended after the first ABI 1 fields: check struct_size before
   * calling these (tend/plugin.hpp does). */
  const char* (*callback_setting_string)(void* ctx, const char* key); /* NULL if absent */
  size_t (*callback_setting_list_size)(void* ctx, const char* key);
  const char* (*callback_setting_list_item)(void* ctx, const char* key, size_t index);
} tend_host_api;

/* True when `host` has the callback `field` (a newer field an older agent
 * may lack). */
#define TEND_HOST_HAS(host, field)                                                  \
  ((host)->struct_size >= offsetof(tend_host_api, field) + sizeof((host)->field) && \
   (host)->field != NULL)

/* A hook: diagnose, remediate, verify or rollback. */
typedef tend_outcome (*tend_hook)(const tend_host_api* host, void* ctx);

/* What a plugin is. Fill it with designated initialisers so it reads at a
 * glance; leave hooks the plugin does not have NULL (on_remediate is required). */
typedef struct tend_plugin {
  uint32_t abi_version; /* TEND_PLUGIN_ABI_VERSION */
  uint32_t struct_size; /* sizeof(tend_plugin) */
  const char* name;     /* [A-Za-z0-9_-]+, unique per agent */
  const char* version;
  const char* description; /* one line */
  tend_risk risk;
  uint32_t supports; /* TEND_SUPPORTS_* */
  const tend_param_spec* params;
  size_t param_count;
  tend_hook on_diagnose;
  tend_hook on_remediate;
  tend_hook on_verify;
  tend_hook on_rollback;
} tend_plugin;

typedef const tend_plugin* (*tend_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* TEND_PLUGIN_H */
