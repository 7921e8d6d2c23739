#include "core/agent/plugin_host/plugin_host_api.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "bus/bounded_text.h"

namespace tend {
namespace {

std::string_view or_empty(const char* text) { return text ? text : ""; }

spdlog::level::level_enum spdlog_level(tend_log_level level) {
  switch (level) {
    case TEND_LOG_DEBUG:
      return spdlog::level::debug;
    case TEND_LOG_INFO:
      return spdlog::level::info;
    case TEND_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

}  // namespace

const tend_host_api PluginCall::kApi = {
    .abi_version = TEND_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(tend_host_api),
    .callback_param_present = &PluginCall::param_present,
    .callback_param_string = &PluginCall::param_string,
    .callback_param_integer = &PluginCall::param_integer,
    .callback_param_boolean = &PluginCall::param_boolean,
    .callback_param_list_size = &PluginCall::param_list_size,
    .callback_param_list_item = &PluginCall::param_list_item,
    .callback_dry_run = &PluginCall::is_dry_run,
    .callback_cancelled = &PluginCall::is_cancelled,
    .callback_set_summary = &PluginCall::set_summary,
    .callback_set_error = &PluginCall::set_error,
    .callback_set_output = &PluginCall::set_output,
    .callback_add_figure = &PluginCall::add_figure,
    .callback_log = &PluginCall::log,
    .callback_setting_string = &PluginCall::setting_string,
    .callback_setting_list_size = &PluginCall::setting_list_size,
    .callback_setting_list_item = &PluginCall::setting_list_item,
};

PluginCall::PluginCall(std::string plugin_name, const PluginParams& params,
                       const PluginSettings& settings, bool dry_run,
                       const std::atomic<bool>& cancel)
    : plugin_name_(std::move(plugin_name)),
      params_(params),
      settings_(settings),
      dry_run_(dry_run),
      cancel_(cancel) {}

tend_outcome PluginCall::run(tend_hook hook, const char* hook_name) {
  try {
    return hook(&kApi, this);
  } catch (const std::exception& e) {
    report_.error = bounded_text(std::string(hook_name) + " threw an exception: " + e.what(),
                                 kMaxPluginValueBytes);
  } catch (...) {
    report_.error = std::string(hook_name) + " threw an exception that is not a std::exception";
  }
  return TEND_OUTCOME_FAILED;
}

std::string PluginCall::take_error() { return std::exchange(report_.error, {}); }

const ParamValue* PluginCall::param(const char* name) const {
  return name ? params_.find(name) : nullptr;
}

// The params are read-only and held by reference: these cannot throw.
int PluginCall::param_present(void* ctx, const char* name) noexcept {
  return self(ctx).param(name) ? 1 : 0;
}

const char* PluginCall::param_string(void* ctx, const char* name) noexcept {
  const ParamValue* value = self(ctx).param(name);
  return value ? value->text.c_str() : nullptr;
}

int64_t PluginCall::param_integer(void* ctx, const char* name, int64_t fallback) noexcept {
  const ParamValue* value = self(ctx).param(name);
  if (!value) return fallback;
  switch (value->type) {
    case TEND_PARAM_INTEGER:
    case TEND_PARAM_DURATION:
    case TEND_PARAM_SIZE:
      return value->number;
    default:
      return fallback;
  }
}

int PluginCall::param_boolean(void* ctx, const char* name, int fallback) noexcept {
  const ParamValue* value = self(ctx).param(name);
  if (!value || value->type != TEND_PARAM_BOOLEAN) return fallback;
  return value->flag ? 1 : 0;
}

size_t PluginCall::param_list_size(void* ctx, const char* name) noexcept {
  const ParamValue* value = self(ctx).param(name);
  return value ? value->items.size() : 0;
}

const char* PluginCall::param_list_item(void* ctx, const char* name, size_t index) noexcept {
  const ParamValue* value = self(ctx).param(name);
  if (!value || index >= value->items.size()) return nullptr;
  return value->items[index].c_str();
}

const char* PluginCall::setting_string(void* ctx, const char* key) noexcept try {
  auto& call = self(ctx);
  const SettingValue* value = key ? call.settings_.find(key) : nullptr;
  if (!value) return nullptr;
  if (!value->is_list) return value->items.front().c_str();
  auto [it, added] = call.setting_texts_.try_emplace(key, "");
  if (added) it->second = value->text();
  return it->second.c_str();
} catch (...) {
  return nullptr;
}

size_t PluginCall::setting_list_size(void* ctx, const char* key) noexcept {
  const SettingValue* value = key ? self(ctx).settings_.find(key) : nullptr;
  return value ? value->items.size() : 0;
}

const char* PluginCall::setting_list_item(void* ctx, const char* key, size_t index) noexcept {
  const SettingValue* value = key ? self(ctx).settings_.find(key) : nullptr;
  if (!value || index >= value->items.size()) return nullptr;
  return value->items[index].c_str();
}

int PluginCall::is_dry_run(void* ctx) noexcept { return self(ctx).dry_run_ ? 1 : 0; }

int PluginCall::is_cancelled(void* ctx) noexcept { return self(ctx).cancel_.load() ? 1 : 0; }

// What follows copies plugin text, which can run out of memory: a report
// that cannot be kept is dropped, and the plugin never sees an exception.
void PluginCall::set_summary(void* ctx, const char* line) noexcept try {
  self(ctx).report_.summary = bounded_text(or_empty(line), kMaxPluginSummaryBytes);
} catch (...) {
  ++self(ctx).report_.dropped;
}

void PluginCall::set_error(void* ctx, const char* message) noexcept try {
  self(ctx).report_.error = bounded_text(or_empty(message), kMaxPluginValueBytes);
} catch (...) {
  ++self(ctx).report_.dropped;
}

void PluginCall::set_output(void* ctx, const char* key, const char* value) noexcept try {
  auto& report = self(ctx).report_;
  std::string bounded_key = bounded_text(or_empty(key), kMaxPluginKeyBytes);
  if (!key || (report.outputs.size() >= kMaxPluginOutputs && !report.outputs.count(bounded_key))) {
    ++report.dropped;
    return;
  }
  report.outputs[bounded_key] = bounded_text(or_empty(value), kMaxPluginValueBytes);
} catch (...) {
  ++self(ctx).report_.dropped;
}

void PluginCall::add_figure(void* ctx, const char* key, double value) noexcept try {
  auto& report = self(ctx).report_;
  std::string bounded_key = bounded_text(or_empty(key), kMaxPluginKeyBytes);
  if (!key || (report.figures.size() >= kMaxPluginFigures && !report.figures.count(bounded_key))) {
    ++report.dropped;
    return;
  }
  report.figures[bounded_key] = value;
} catch (...) {
  ++self(ctx).report_.dropped;
}

void PluginCall::log(void* ctx, tend_log_level level, const char* message) noexcept try {
  auto& call = self(ctx);
  if (call.report_.log.size() >= kMaxPluginLogLines) {
    ++call.report_.dropped;
    return;
  }
  std::string text = bounded_text(or_empty(message), kMaxPluginSummaryBytes);
  spdlog::log(spdlog_level(level), "plugin {}: {}", call.plugin_name_, text);
  call.report_.log.push_back({level, std::move(text)});
} catch (...) {
  ++self(ctx).report_.dropped;
}

}  // namespace tend
