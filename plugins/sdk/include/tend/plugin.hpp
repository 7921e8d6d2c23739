/*
 * tend/plugin.hpp — the C++ way to write a tend plugin, on top of the C ABI in
 * tend/plugin.h. A plugin is a class with up to four hooks and one line that
 * registers it:
 *
 *   class Restart : public tend::sdk::Plugin {
 *    public:
 *     tend::sdk::Outcome remediate(tend::sdk::Context& ctx) override {
 *       ctx.summary("restarted {}", ctx.param_string("service"));
 *       return tend::sdk::Outcome::kOk;
 *     }
 *   };
 *   TEND_REGISTER_PLUGIN(Restart, {.name = "restart", .version = "1.0.0",
 *                                  .description = "restarts a service", .risk = TEND_RISK_MEDIUM});
 *
 * Build it with tend_add_plugin() from the CMake package (find_package(tend))
 * or with the flags from `pkg-config --cflags tend-plugin`. GCC before 13
 * warns under -Wextra about every field a designated initialiser leaves out;
 * tend_add_plugin turns that warning off, elsewhere add
 * -Wno-missing-field-initializers.
 *
 * Header-only and standard C++ only, so a plugin needs nothing but this SDK.
 * No exception ever leaves a hook: the trampolines turn one into a failure
 * carrying its message, because an exception that reached the C ABI would take
 * the process running the plugin down with it.
 */
#pragma once

#include <tend/plugin.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tend::sdk {

// What a hook reports back; the values are the C ABI's.
enum class Outcome {
  kOk = TEND_OUTCOME_OK,
  kFailed = TEND_OUTCOME_FAILED,             // say why with Context::error first
  kNothingToDo = TEND_OUTCOME_NOTHING_TO_DO  // from diagnose: nothing wrong, skip remediate
};

enum class LogLevel {
  kDebug = TEND_LOG_DEBUG,
  kInfo = TEND_LOG_INFO,
  kWarn = TEND_LOG_WARN,
  kError = TEND_LOG_ERROR,
};

namespace detail {

template <typename T>
std::string to_text(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return std::string(std::string_view(value));
  } else {
    std::ostringstream out;
    out << value;
    return out.str();
  }
}

// "{}" takes the next argument; "{{" and "}}" are literal braces.
inline std::string substitute(std::string_view pattern, const std::string* args, size_t count) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    char after = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
    if ((c == '{' && after == '{') || (c == '}' && after == '}')) {
      out += c;
      ++i;
    } else if (c == '{' && after == '}' && next < count) {
      out += args[next++];
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

// A small stand-in for std::format, which this SDK's oldest supported
// compilers lack. Without arguments the text is used as it is.
template <typename... Args>
std::string format(std::string_view pattern, const Args&... args) {
  if constexpr (sizeof...(Args) == 0) {
    return std::string(pattern);
  } else {
    const std::string texts[] = {to_text(args)...};
    return substitute(pattern, texts, sizeof...(Args));
  }
}

}  // namespace detail

// What a hook sees of its task: parameters (validated, defaults applied) and
// the host's callbacks for reporting. Valid only while the hook runs.
class Context {
 public:
  Context(const tend_host_api* host, void* ctx) : host_(host), ctx_(ctx) {}

  bool has_param(const std::string& name) const {
    return host_->callback_param_present(ctx_, name.c_str()) != 0;
  }
  // Any parameter's text form; `fallback` when the task did not give it.
  std::string param_string(const std::string& name, const std::string& fallback = {}) const {
    const char* value = host_->callback_param_string(ctx_, name.c_str());
    return value ? std::string(value) : fallback;
  }
  // Integers; durations as seconds; sizes as bytes.
  int64_t param_int(const std::string& name, int64_t fallback = 0) const {
    return host_->callback_param_integer(ctx_, name.c_str(), fallback);
  }
  bool param_bool(const std::string& name, bool fallback = false) const {
    return host_->callback_param_boolean(ctx_, name.c_str(), fallback ? 1 : 0) != 0;
  }
  std::vector<std::string> param_list(const std::string& name) const {
    std::vector<std::string> items;
    size_t size = host_->callback_param_list_size(ctx_, name.c_str());
    for (size_t i = 0; i < size; ++i) {
      const char* item = host_->callback_param_list_item(ctx_, name.c_str(), i);
      if (item) items.emplace_back(item);
    }
    return items;
  }

  // Settings the operator gave this plugin in agent.toml ([plugin.<name>]):
  // allow-lists, roots, commands — what a task must not choose for itself.
  // Absent keys (or an agent too old to pass settings) give the fallback.
  bool has_setting(const std::string& key) const {
    return has_settings() && host_->callback_setting_string(ctx_, key.c_str()) != nullptr;
  }
  std::string setting(const std::string& key, const std::string& fallback = {}) const {
    const char* value =
        has_settings() ? host_->callback_setting_string(ctx_, key.c_str()) : nullptr;
    return value ? std::string(value) : fallback;
  }
  // A list setting item by item; a scalar reads as a list of one.
  std::vector<std::string> setting_list(const std::string& key) const {
    std::vector<std::string> items;
    if (!has_settings()) return items;
    size_t size = host_->callback_setting_list_size(ctx_, key.c_str());
    for (size_t i = 0; i < size; ++i) {
      const char* item = host_->callback_setting_list_item(ctx_, key.c_str(), i);
      if (item) items.emplace_back(item);
    }
    return items;
  }
  // A misconfigured value throws std::invalid_argument naming the key; the
  // hook's trampoline turns that into a failed task carrying the message.
  int64_t setting_int(const std::string& key, int64_t fallback) const {
    if (!has_setting(key)) return fallback;
    std::string text = setting(key);
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || errno != 0 || *end != '\0') {
      throw std::invalid_argument("setting '" + key + "' must be a whole number, got '" + text +
                                  "' (agent.toml)");
    }
    return value;
  }
  bool setting_bool(const std::string& key, bool fallback) const {
    if (!has_setting(key)) return fallback;
    std::string text = setting(key);
    if (text == "true") return true;
    if (text == "false") return false;
    throw std::invalid_argument("setting '" + key + "' must be true or false, got '" + text +
                                "' (agent.toml)");
  }

  // A dry run: find out and report what would change, change nothing.
  bool dry_run() const { return host_->callback_dry_run(ctx_) != 0; }
  // The task's deadline passed or the agent is stopping: return soon.
  bool cancelled() const { return host_->callback_cancelled(ctx_) != 0; }

  // One human line for the result, e.g. summary("removed {} files", n).
  template <typename... Args>
  void summary(std::string_view pattern, const Args&... args) {
    host_->callback_set_summary(ctx_, detail::format(pattern, args...).c_str());
  }
  // Why the hook failed; return Outcome::kFailed after it.
  template <typename... Args>
  void error(std::string_view pattern, const Args&... args) {
    host_->callback_set_error(ctx_, detail::format(pattern, args...).c_str());
  }
  template <typename T>
  void output(const std::string& key, const T& value) {
    host_->callback_set_output(ctx_, key.c_str(), detail::to_text(value).c_str());
  }
  // A number worth charting: bytes reclaimed, seconds taken.
  void figure(const std::string& key, double value) {
    host_->callback_add_figure(ctx_, key.c_str(), value);
  }
  template <typename... Args>
  void log(LogLevel level, std::string_view pattern, const Args&... args) {
    host_->callback_log(ctx_, static_cast<tend_log_level>(level),
                        detail::format(pattern, args...).c_str());
  }

  const tend_host_api* host() const { return host_; }
  void* ctx() const { return ctx_; }

 private:
  bool has_settings() const {
    return TEND_HOST_HAS(host_, callback_setting_string) &&
           TEND_HOST_HAS(host_, callback_setting_list_size) &&
           TEND_HOST_HAS(host_, callback_setting_list_item);
  }

  const tend_host_api* host_;
  void* ctx_;
};

// A plugin overrides remediate and whichever other hooks it has; the hooks it
// leaves alone are not offered to the host at all. Declare overrides public.
//
// One instance per loaded library, made on first use. Hooks of different
// tasks may run on it at the same time, so keep per-task state in locals.
class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual Outcome diagnose(Context&) { return Outcome::kOk; }
  virtual Outcome remediate(Context& ctx) = 0;
  virtual Outcome verify(Context&) { return Outcome::kOk; }
  virtual Outcome rollback(Context&) { return Outcome::kOk; }
};

namespace detail {

enum class Hook { kDiagnose, kRemediate, kVerify, kRollback };

inline const char* hook_name(Hook hook) {
  switch (hook) {
    case Hook::kDiagnose:
      return "diagnose";
    case Hook::kRemediate:
      return "remediate";
    case Hook::kVerify:
      return "verify";
    case Hook::kRollback:
      return "rollback";
  }
  return "hook";
}

// A hook the class declares itself has a member-pointer type of that class.
template <typename P>
constexpr bool overrides_diagnose =
    !std::is_same_v<decltype(&P::diagnose), Outcome (Plugin::*)(Context&)>;
template <typename P>
constexpr bool overrides_verify =
    !std::is_same_v<decltype(&P::verify), Outcome (Plugin::*)(Context&)>;
template <typename P>
constexpr bool overrides_rollback =
    !std::is_same_v<decltype(&P::rollback), Outcome (Plugin::*)(Context&)>;

// Made on first use rather than at load, so nothing runs before the host asks.
template <typename P>
Plugin& instance() {
  static P plugin;
  return plugin;
}

inline void report_exception(const tend_host_api* host, void* ctx, Hook hook,
                             const char* what) noexcept {
  try {
    std::string message = std::string(hook_name(hook)) + " threw an exception: " + what;
    host->callback_set_error(ctx, message.c_str());
  } catch (...) {
    host->callback_set_error(ctx, what);  // out of memory: the bare reason still helps
  }
}

template <typename P, Hook H>
tend_outcome trampoline(const tend_host_api* host, void* ctx) noexcept {
  try {
    Context context(host, ctx);
    Plugin& plugin = instance<P>();
    Outcome outcome = Outcome::kFailed;
    switch (H) {
      case Hook::kDiagnose:
        outcome = plugin.diagnose(context);
        break;
      case Hook::kRemediate:
        outcome = plugin.remediate(context);
        break;
      case Hook::kVerify:
        outcome = plugin.verify(context);
        break;
      case Hook::kRollback:
        outcome = plugin.rollback(context);
        break;
    }
    return static_cast<tend_outcome>(outcome);
  } catch (const std::exception& e) {
    report_exception(host, ctx, H, e.what());
  } catch (...) {
    report_exception(host, ctx, H, "not a std::exception, so no message");
  }
  return TEND_OUTCOME_FAILED;
}

// Completes what the author wrote: the ABI fields, and one trampoline per hook
// the class overrides (verify and rollback also set their `supports` flags).
template <typename P>
tend_plugin describe(tend_plugin descriptor) noexcept {
  static_assert(std::is_base_of_v<Plugin, P>, "a tend plugin class derives from tend::sdk::Plugin");
  static_assert(std::is_default_constructible_v<P>,
                "a tend plugin class needs a default constructor");
  descriptor.abi_version = TEND_PLUGIN_ABI_VERSION;
  descriptor.struct_size = sizeof(tend_plugin);
  descriptor.on_remediate = &trampoline<P, Hook::kRemediate>;
  if constexpr (overrides_diagnose<P>) descriptor.on_diagnose = &trampoline<P, Hook::kDiagnose>;
  if constexpr (overrides_verify<P>) {
    descriptor.on_verify = &trampoline<P, Hook::kVerify>;
    descriptor.supports |= TEND_SUPPORTS_VERIFY;
  }
  if constexpr (overrides_rollback<P>) {
    descriptor.on_rollback = &trampoline<P, Hook::kRollback>;
    descriptor.supports |= TEND_SUPPORTS_ROLLBACK;
  }
  return descriptor;
}

}  // namespace detail
}  // namespace tend::sdk

/* Exports the plugin's entry point. The descriptor is a tend_plugin, best
 * written with designated initialisers in field order:
 *   TEND_REGISTER_PLUGIN(Noop, {.name = "noop", .version = "1.0.0",
 *                               .description = "...", .risk = TEND_RISK_LOW,
 *                               .supports = TEND_SUPPORTS_DRY_RUN,
 *                               .params = kParams, .param_count = std::size(kParams)});
 * Use it once per library. */
// clang-format off
#define TEND_REGISTER_PLUGIN(PluginClass, ...)                                       \
  _Pragma("GCC diagnostic push")                                                     \
  _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")                 \
  extern "C" TEND_PLUGIN_EXPORT const tend_plugin* TEND_PLUGIN_ENTRY(void) {         \
    static const tend_plugin descriptor =                                            \
        ::tend::sdk::detail::describe<PluginClass>(__VA_ARGS__);                     \
    return &descriptor;                                                              \
  }                                                                                  \
  _Pragma("GCC diagnostic pop")                                                      \
  static_assert(true, "TEND_REGISTER_PLUGIN ends with a semicolon")
// clang-format on
