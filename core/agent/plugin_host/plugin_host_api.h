// The host's half of the C ABI for one run of a plugin: the tend_host_api
// callbacks a hook calls with its `ctx`, which point back at a PluginCall.
// Params come from the validated PluginParams; everything the plugin reports
// is copied, bounded and kept here. No callback ever throws into the plugin.
#pragma once

#include <tend/plugin.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/agent/plugin_host/plugin_params.h"
#include "core/agent/plugin_host/plugin_settings.h"

namespace tend {

// Bounds on what one run may report; beyond them reports are dropped (and
// counted) rather than grow without end.
inline constexpr size_t kMaxPluginOutputs = 256;
inline constexpr size_t kMaxPluginFigures = 256;
inline constexpr size_t kMaxPluginLogLines = 1000;
inline constexpr size_t kMaxPluginKeyBytes = 256;
inline constexpr size_t kMaxPluginValueBytes = 64 * 1024;
inline constexpr size_t kMaxPluginSummaryBytes = 4 * 1024;

struct PluginLogLine {
  tend_log_level level;
  std::string text;
};

// Everything a plugin reported during one run.
struct PluginReport {
  std::string summary;
  std::string error;
  std::map<std::string, std::string> outputs;
  std::map<std::string, double> figures;
  std::vector<PluginLogLine> log;
  size_t dropped = 0;  // reports beyond the bounds above
};

class PluginCall {
 public:
  // Params, settings and cancel must outlive the call. Log lines also go to
  // spdlog, tagged with `plugin_name`.
  PluginCall(std::string plugin_name, const PluginParams& params, const PluginSettings& settings,
             bool dry_run, const std::atomic<bool>& cancel);

  PluginCall(const PluginCall&) = delete;
  PluginCall& operator=(const PluginCall&) = delete;

  // Runs one hook with this call as its context. Returns what the hook
  // returned; a hook that throws anyway (not built with the SDK) counts as
  // FAILED with the exception's message.
  tend_outcome run(tend_hook hook, const char* hook_name);

  // The last error the plugin set, cleared so the next hook starts afresh.
  std::string take_error();

  PluginReport& report() { return report_; }
  bool cancelled() const { return cancel_.load(); }

 private:
  static PluginCall& self(void* ctx) { return *static_cast<PluginCall*>(ctx); }
  static const tend_host_api kApi;

  static int param_present(void* ctx, const char* name) noexcept;
  static const char* param_string(void* ctx, const char* name) noexcept;
  static int64_t param_integer(void* ctx, const char* name, int64_t fallback) noexcept;
  static int param_boolean(void* ctx, const char* name, int fallback) noexcept;
  static size_t param_list_size(void* ctx, const char* name) noexcept;
  static const char* param_list_item(void* ctx, const char* name, size_t index) noexcept;
  static int is_dry_run(void* ctx) noexcept;
  static int is_cancelled(void* ctx) noexcept;
  static void set_summary(void* ctx, const char* line) noexcept;
  static void set_error(void* ctx, const char* message) noexcept;
  static void set_output(void* ctx, const char* key, const char* value) noexcept;
  static void add_figure(void* ctx, const char* key, double value) noexcept;
  static void log(void* ctx, tend_log_level level, const char* message) noexcept;
  static const char* setting_string(void* ctx, const char* key) noexcept;
  static size_t setting_list_size(void* ctx, const char* key) noexcept;
  static const char* setting_list_item(void* ctx, const char* key, size_t index) noexcept;

  const ParamValue* param(const char* name) const;

  std::string plugin_name_;
  const PluginParams& params_;
  const PluginSettings& settings_;
  // Settings' text forms, made on first read so the pointers handed out stay
  // valid until the call ends.
  std::map<std::string, std::string, std::less<>> setting_texts_;
  bool dry_run_;
  const std::atomic<bool>& cancel_;
  PluginReport report_;
};

}  // namespace tend
