// The host callbacks a plugin calls: typed params, and reports kept within
// bounds whatever a plugin sends.
#include "core/agent/plugin_host/plugin_host_api.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

struct Fixture {
  PluginParams params;
  PluginSettings settings;
  std::atomic<bool> cancel{false};
  PluginCall call{"test", params, settings, /*dry_run=*/false, cancel};
};

TEST(PluginHostApi, KeepsAtMostTheOutputLimitAndCountsTheRest) {
  Fixture f;
  f.call.run(
      [](const tend_host_api* host, void* ctx) {
        for (size_t i = 0; i < kMaxPluginOutputs + 10; ++i) {
          host->callback_set_output(ctx, std::to_string(i).c_str(), "x");
        }
        host->callback_set_output(ctx, "0", "replaced");  // an existing key may still change
        return TEND_OUTCOME_OK;
      },
      "remediate");
  EXPECT_EQ(f.call.report().outputs.size(), kMaxPluginOutputs);
  EXPECT_EQ(f.call.report().outputs.at("0"), "replaced");
  EXPECT_EQ(f.call.report().dropped, 10u);
}

TEST(PluginHostApi, CutsLongValues) {
  Fixture f;
  f.call.run(
      [](const tend_host_api* host, void* ctx) {
        std::string huge(kMaxPluginValueBytes * 2, 'a');
        host->callback_set_output(ctx, "big", huge.c_str());
        host->callback_set_summary(ctx, huge.c_str());
        return TEND_OUTCOME_OK;
      },
      "remediate");
  EXPECT_EQ(f.call.report().outputs.at("big").size(), kMaxPluginValueBytes);
  EXPECT_EQ(f.call.report().summary.size(), kMaxPluginSummaryBytes);
}

TEST(PluginHostApi, NullStringsFromAPluginAreHarmless) {
  Fixture f;
  auto outcome = f.call.run(
      [](const tend_host_api* host, void* ctx) {
        host->callback_set_output(ctx, nullptr, "x");
        host->callback_set_output(ctx, "k", nullptr);
        host->callback_set_summary(ctx, nullptr);
        host->callback_log(ctx, TEND_LOG_WARN, nullptr);
        return host->callback_param_string(ctx, nullptr) == nullptr ? TEND_OUTCOME_OK
                                                                    : TEND_OUTCOME_FAILED;
      },
      "remediate");
  EXPECT_EQ(outcome, TEND_OUTCOME_OK);
  EXPECT_EQ(f.call.report().outputs.at("k"), "");
  EXPECT_EQ(f.call.report().outputs.size(), 1u);
}

TEST(PluginHostApi, ReadsParamsByType) {
  Fixture f;
  f.params.set("n", *param_from_text(TEND_PARAM_INTEGER, "7"));
  f.params.set("age", *param_from_text(TEND_PARAM_DURATION, "5m"));
  f.params.set("on", *param_from_text(TEND_PARAM_BOOLEAN, "true"));
  f.params.set("names", *param_from_text(TEND_PARAM_LIST, "a,b"));
  f.call.run(
      [](const tend_host_api* host, void* ctx) {
        EXPECT_EQ(host->callback_param_integer(ctx, "n", -1), 7);
        EXPECT_EQ(host->callback_param_integer(ctx, "age", -1), 300);
        EXPECT_STREQ(host->callback_param_string(ctx, "age"), "5m");
        EXPECT_EQ(host->callback_param_integer(ctx, "on", -1), -1) << "not a number: fallback";
        EXPECT_EQ(host->callback_param_integer(ctx, "absent", -1), -1);
        EXPECT_EQ(host->callback_param_boolean(ctx, "on", 0), 1);
        EXPECT_EQ(host->callback_param_boolean(ctx, "absent", 1), 1);
        EXPECT_EQ(host->callback_param_list_size(ctx, "names"), 2u);
        EXPECT_STREQ(host->callback_param_list_item(ctx, "names", 1), "b");
        EXPECT_EQ(host->callback_param_list_item(ctx, "names", 2), nullptr);
        EXPECT_EQ(host->callback_param_present(ctx, "n"), 1);
        EXPECT_EQ(host->callback_param_present(ctx, "absent"), 0);
        EXPECT_EQ(host->callback_dry_run(ctx), 0);
        EXPECT_EQ(host->abi_version, TEND_PLUGIN_ABI_VERSION);
        EXPECT_EQ(host->struct_size, sizeof(tend_host_api));
        return TEND_OUTCOME_OK;
      },
      "remediate");
}

TEST(PluginHostApi, ReadsTheOperatorsSettingsAsTextAndAsLists) {
  Fixture f;
  f.settings.set("roots", SettingValue{{"/var/log", "/tmp"}, /*is_list=*/true});
  f.settings.set("max_files", SettingValue{{"100"}, /*is_list=*/false});
  f.call.run(
      [](const tend_host_api* host, void* ctx) {
        EXPECT_TRUE(TEND_HOST_HAS(host, callback_setting_list_item));
        EXPECT_STREQ(host->callback_setting_string(ctx, "max_files"), "100");
        EXPECT_EQ(host->callback_setting_list_size(ctx, "max_files"), 1u)
            << "a scalar is a list of one";
        EXPECT_STREQ(host->callback_setting_string(ctx, "roots"), "/var/log,/tmp");
        EXPECT_EQ(host->callback_setting_list_size(ctx, "roots"), 2u);
        EXPECT_STREQ(host->callback_setting_list_item(ctx, "roots", 1), "/tmp");
        EXPECT_EQ(host->callback_setting_list_item(ctx, "roots", 2), nullptr);
        EXPECT_EQ(host->callback_setting_string(ctx, "absent"), nullptr);
        EXPECT_EQ(host->callback_setting_list_size(ctx, "absent"), 0u);
        EXPECT_EQ(host->callback_setting_string(ctx, nullptr), nullptr);
        return TEND_OUTCOME_OK;
      },
      "remediate");
}

TEST(PluginHostApi, ErrorsAreTakenOncePerHook) {
  Fixture f;
  f.call.run(
      [](const tend_host_api* host, void* ctx) {
        host->callback_set_error(ctx, "disk is read-only");
        return TEND_OUTCOME_FAILED;
      },
      "remediate");
  EXPECT_EQ(f.call.take_error(), "disk is read-only");
  EXPECT_EQ(f.call.take_error(), "");
}

}  // namespace
}  // namespace tend
