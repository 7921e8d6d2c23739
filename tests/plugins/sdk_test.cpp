// The C++ SDK on its own, against a fake host: what TEND_REGISTER_PLUGIN
// fills in, how hooks reach the host, and that no exception gets out.
#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <tend/plugin.hpp>

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;

// What a plugin reported, and a param or two for it to read.
struct FakeHost {
  std::string summary, error;
  std::map<std::string, std::string> outputs;
  int64_t sleep_ms = 200;
  std::map<std::string, std::string> settings{{"retries", "3"}, {"gzip", "yes"}};

  static FakeHost& of(void* ctx) { return *static_cast<FakeHost*>(ctx); }
  tend_host_api api() {
    tend_host_api api{};
    api.abi_version = TEND_PLUGIN_ABI_VERSION;
    api.struct_size = sizeof api;
    api.callback_param_present = [](void*, const char* name) {
      return name == std::string("sleep_ms") ? 1 : 0;
    };
    api.callback_param_string = [](void*, const char*) -> const char* { return nullptr; };
    api.callback_param_integer = [](void* ctx, const char*, int64_t) { return of(ctx).sleep_ms; };
    api.callback_param_boolean = [](void*, const char*, int fallback) { return fallback; };
    api.callback_param_list_size = [](void*, const char*) -> size_t { return 0; };
    api.callback_param_list_item = [](void*, const char*, size_t) -> const char* {
      return nullptr;
    };
    api.callback_dry_run = [](void*) { return 0; };
    api.callback_cancelled = [](void*) { return 0; };
    api.callback_set_summary = [](void* ctx, const char* line) { of(ctx).summary = line; };
    api.callback_set_error = [](void* ctx, const char* message) { of(ctx).error = message; };
    api.callback_set_output = [](void* ctx, const char* k, const char* v) {
      of(ctx).outputs[k] = v;
    };
    api.callback_add_figure = [](void*, const char*, double) {};
    api.callback_log = [](void*, tend_log_level, const char*) {};
    api.callback_setting_string = [](void* ctx, const char* key) -> const char* {
      auto& settings = of(ctx).settings;
      auto it = settings.find(key);
      return it == settings.end() ? nullptr : it->second.c_str();
    };
    api.callback_setting_list_size = [](void* ctx, const char* key) -> size_t {
      return of(ctx).settings.count(key);
    };
    api.callback_setting_list_item = [](void* ctx, const char* key, size_t) -> const char* {
      return of(ctx).settings.at(key).c_str();
    };
    return api;
  }
};

class OnlyRemediate : public tend::sdk::Plugin {
 public:
  Outcome remediate(Context& ctx) override {
    ctx.summary("slept {} ms of {}", ctx.param_int("sleep_ms"), "200");
    ctx.output("sleep_ms", ctx.param_int("sleep_ms"));
    ctx.output("done", true);
    return Outcome::kOk;
  }
};

class EveryHook : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context&) override { return Outcome::kNothingToDo; }
  Outcome remediate(Context&) override { throw std::runtime_error("no space left"); }
  Outcome verify(Context&) override { throw 7; }
  Outcome rollback(Context&) override { return Outcome::kOk; }
};

TEST(SdkFormat, FillsBracesInOrder) {
  using tend::sdk::detail::format;
  EXPECT_EQ(format("removed {} files ({} MB)", 12, 3.5), "removed 12 files (3.5 MB)");
  EXPECT_EQ(format("{} and {}", "a"), "a and {}") << "missing arguments leave the braces";
  EXPECT_EQ(format("{{literal}} {}", true), "{literal} true");
  EXPECT_EQ(format("100% {} done"), "100% {} done") << "without arguments, text as is";
}

TEST(SdkRegistration, FillsTheAbiFieldsAndOnlyTheHooksTheClassHas) {
  tend_plugin plugin = tend::sdk::detail::describe<OnlyRemediate>(
      {.name = "only", .version = "1", .description = "d", .risk = TEND_RISK_LOW});
  EXPECT_EQ(plugin.abi_version, TEND_PLUGIN_ABI_VERSION);
  EXPECT_EQ(plugin.struct_size, sizeof(tend_plugin));
  EXPECT_NE(plugin.on_remediate, nullptr);
  EXPECT_EQ(plugin.on_diagnose, nullptr);
  EXPECT_EQ(plugin.on_verify, nullptr);
  EXPECT_EQ(plugin.on_rollback, nullptr);
  EXPECT_EQ(plugin.supports, 0u);

  tend_plugin every = tend::sdk::detail::describe<EveryHook>(
      {.name = "every", .version = "1", .description = "d", .supports = TEND_SUPPORTS_DRY_RUN});
  EXPECT_NE(every.on_diagnose, nullptr);
  EXPECT_NE(every.on_verify, nullptr);
  EXPECT_NE(every.on_rollback, nullptr);
  EXPECT_EQ(every.supports, TEND_SUPPORTS_DRY_RUN | TEND_SUPPORTS_VERIFY | TEND_SUPPORTS_ROLLBACK);
}

TEST(SdkHooks, ReachTheHostThroughTheContext) {
  FakeHost host;
  tend_host_api api = host.api();
  tend_plugin plugin = tend::sdk::detail::describe<OnlyRemediate>({.name = "only"});
  EXPECT_EQ(plugin.on_remediate(&api, &host), TEND_OUTCOME_OK);
  EXPECT_EQ(host.summary, "slept 200 ms of 200");
  EXPECT_EQ(host.outputs.at("sleep_ms"), "200");
  EXPECT_EQ(host.outputs.at("done"), "true");
}

TEST(SdkHooks, OutcomesPassThrough) {
  FakeHost host;
  tend_host_api api = host.api();
  tend_plugin plugin = tend::sdk::detail::describe<EveryHook>({.name = "every"});
  EXPECT_EQ(plugin.on_diagnose(&api, &host), TEND_OUTCOME_NOTHING_TO_DO);
  EXPECT_EQ(plugin.on_rollback(&api, &host), TEND_OUTCOME_OK);
}

class ReadsSettings : public tend::sdk::Plugin {
 public:
  Outcome remediate(Context& ctx) override {
    ctx.output("retries", ctx.setting_int("retries", 1));
    ctx.output("missing", ctx.setting_int("missing", 9));
    ctx.output("list", ctx.setting_list("retries").size());
    ctx.output("gzip", ctx.setting_bool("gzip", false));  // "yes" is not a boolean: throws
    return Outcome::kOk;
  }
};

TEST(SdkSettings, ReadTypedWithFallbacksAndAMisconfiguredValueFailsNamingTheKey) {
  FakeHost host;
  tend_host_api api = host.api();
  tend_plugin plugin = tend::sdk::detail::describe<ReadsSettings>({.name = "settings"});
  EXPECT_EQ(plugin.on_remediate(&api, &host), TEND_OUTCOME_FAILED);
  EXPECT_EQ(host.outputs.at("retries"), "3");
  EXPECT_EQ(host.outputs.at("missing"), "9");
  EXPECT_EQ(host.outputs.at("list"), "1");
  EXPECT_EQ(host.error,
            "remediate threw an exception: setting 'gzip' must be true or false, got 'yes' "
            "(agent.toml)");
}

TEST(SdkSettings, AnOlderHostWithoutSettingsGivesTheFallbacks) {
  FakeHost host;
  tend_host_api api = host.api();
  api.struct_size = offsetof(tend_host_api, callback_setting_string);  // as ABI 1 first shipped
  host.settings.erase("gzip");
  tend_plugin plugin = tend::sdk::detail::describe<ReadsSettings>({.name = "settings"});
  EXPECT_EQ(plugin.on_remediate(&api, &host), TEND_OUTCOME_OK) << host.error;
  EXPECT_EQ(host.outputs.at("retries"), "1");
  EXPECT_EQ(host.outputs.at("list"), "0");
}

TEST(SdkHooks, AnExceptionBecomesAFailureWithItsMessage) {
  FakeHost host;
  tend_host_api api = host.api();
  tend_plugin plugin = tend::sdk::detail::describe<EveryHook>({.name = "every"});
  EXPECT_EQ(plugin.on_remediate(&api, &host), TEND_OUTCOME_FAILED);
  EXPECT_EQ(host.error, "remediate threw an exception: no space left");
  EXPECT_EQ(plugin.on_verify(&api, &host), TEND_OUTCOME_FAILED);
  EXPECT_EQ(host.error, "verify threw an exception: not a std::exception, so no message");
}

}  // namespace
