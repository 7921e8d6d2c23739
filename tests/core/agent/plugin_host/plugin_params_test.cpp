// A task's params are checked against the plugin's declared params before
// any plugin code runs, and every refusal names the param at fault.
#include "core/agent/plugin_host/plugin_params.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <iterator>
#include <string>

#include "core/agent/plugin_host/param_spec_check.h"

namespace tend {
namespace {

using ::testing::HasSubstr;

google::protobuf::Struct params(const std::string& json) {
  google::protobuf::Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

constexpr tend_param_spec kSpecs[] = {
    {.name = "paths", .type = TEND_PARAM_LIST, .required = 1, .help = "where to look"},
    {.name = "max_age", .type = TEND_PARAM_DURATION, .default_value = "7d"},
    {.name = "min_free", .type = TEND_PARAM_SIZE, .default_value = "1GiB"},
    {.name = "keep", .type = TEND_PARAM_INTEGER, .default_value = "3"},
    {.name = "compress", .type = TEND_PARAM_BOOLEAN, .default_value = "false"},
    {.name = "mode",
     .type = TEND_PARAM_STRING,
     .default_value = "delete",
     .allowed_values = "delete,archive"},
    {.name = "owner", .type = TEND_PARAM_STRING, .pattern = "[a-z_][a-z0-9_-]*"},
    {.name = "level", .type = TEND_PARAM_DURATION, .allowed_values = "1h,1d"},
};

const tend_plugin kCleanup = {
    .abi_version = TEND_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(tend_plugin),
    .name = "disk-cleanup",
    .version = "1.0.0",
    .description = "frees disk space",
    .risk = TEND_RISK_LOW,
    .params = kSpecs,
    .param_count = std::size(kSpecs),
};

std::string refusal(const std::string& json) {
  auto validated = validate_params(kCleanup, params(json));
  EXPECT_FALSE(validated) << json;
  return validated ? "" : validated.error().message;
}

TEST(PluginParams, GivenValuesAreTypedAndDefaultsFilledIn) {
  auto p = validate_params(kCleanup,
                           params(R"({"paths": ["/var/log"], "keep": 5, "owner": "www-data"})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->find("paths")->items, std::vector<std::string>{"/var/log"});
  EXPECT_EQ(p->find("keep")->number, 5);
  EXPECT_EQ(p->find("owner")->text, "www-data");
  EXPECT_EQ(p->find("max_age")->number, 7 * 86400) << "default 7d";
  EXPECT_EQ(p->find("min_free")->number, 1LL << 30) << "default 1GiB";
  EXPECT_FALSE(p->find("compress")->flag) << "default false";
  EXPECT_EQ(p->find("mode")->text, "delete");
  EXPECT_FALSE(p->has("level")) << "optional, no default, not given: absent";
}

TEST(PluginParams, StringsFromTheCommandLineReadAsTheirTypes) {
  // What `tendctl run disk-cleanup paths=/a,/b keep=5 compress=true max_age=2h` sends.
  auto p = validate_params(kCleanup, params(R"({"paths": "/a,/b", "keep": "5",
                                               "compress": "true", "max_age": "2h",
                                               "min_free": "500MB"})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->find("paths")->items, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(p->find("keep")->number, 5);
  EXPECT_TRUE(p->find("compress")->flag);
  EXPECT_EQ(p->find("max_age")->number, 7200);
  EXPECT_EQ(p->find("min_free")->number, 500'000'000);
}

TEST(PluginParams, NullMeansNotGiven) {
  auto p = validate_params(kCleanup, params(R"({"paths": "/a", "keep": null})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->find("keep")->number, 3);
}

TEST(PluginParams, UnknownParamIsNamedWithTheKnownOnes) {
  EXPECT_EQ(refusal(R"({"paths": "/a", "max_agee": "2d"})"),
            "plugin disk-cleanup has no param 'max_agee': it takes paths, max_age, min_free, "
            "keep, compress, mode, owner, level");
}

TEST(PluginParams, PluginWithoutParamsSaysSo) {
  tend_plugin bare = kCleanup;
  bare.params = nullptr;
  bare.param_count = 0;
  auto validated = validate_params(bare, params(R"({"x": 1})"));
  ASSERT_FALSE(validated);
  EXPECT_EQ(validated.error().message, "plugin disk-cleanup takes no params, but got 'x'");
}

TEST(PluginParams, MissingRequiredParamIsNamed) {
  EXPECT_EQ(refusal("{}"),
            "plugin disk-cleanup needs param 'paths' (a list of strings or a comma-separated "
            "string): where to look");
}

TEST(PluginParams, TypeErrorsNameTheParamAndTheType) {
  EXPECT_EQ(refusal(R"({"paths": "/a", "keep": "many"})"),
            "plugin disk-cleanup, param 'keep': expected a whole number, got \"many\"");
  EXPECT_THAT(refusal(R"({"paths": "/a", "compress": "yes"})"),
              HasSubstr("param 'compress': expected true or false"));
  EXPECT_THAT(refusal(R"({"paths": "/a", "max_age": "a week"})"),
              HasSubstr("param 'max_age': 'a week' is not a duration"));
  EXPECT_THAT(refusal(R"({"paths": "/a", "min_free": "-1"})"),
              HasSubstr("param 'min_free': '-1' is not a size"));
  EXPECT_THAT(refusal(R"({"paths": 7})"), HasSubstr("param 'paths': expected a list"));
  EXPECT_THAT(refusal(R"({"paths": "/a", "owner": {"name": "x"}})"),
              HasSubstr("param 'owner': expected a string, got an object"));
}

TEST(PluginParams, AllowedValuesAreEnforced) {
  EXPECT_EQ(refusal(R"({"paths": "/a", "mode": "shred"})"),
            "plugin disk-cleanup, param 'mode': \"shred\" is not allowed: use one of delete, "
            "archive");
  // Durations compare by length, not spelling.
  auto p = validate_params(kCleanup, params(R"({"paths": "/a", "level": "60m"})"));
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->find("level")->number, 3600);
  EXPECT_THAT(refusal(R"({"paths": "/a", "level": "2h"})"), HasSubstr("param 'level'"));
}

TEST(PluginParams, PatternMustMatchTheWholeValue) {
  EXPECT_EQ(refusal(R"({"paths": "/a", "owner": "Root; rm -rf /"})"),
            "plugin disk-cleanup, param 'owner': \"Root; rm -rf /\" does not match the pattern "
            "[a-z_][a-z0-9_-]*");
}

TEST(PluginParams, ListItemsAreCheckedOneByOne) {
  constexpr tend_param_spec kServices[] = {
      {.name = "services", .type = TEND_PARAM_LIST, .allowed_values = "nginx,php-fpm"}};
  tend_plugin restart = kCleanup;
  restart.params = kServices;
  restart.param_count = 1;
  EXPECT_TRUE(validate_params(restart, params(R"({"services": "nginx,php-fpm"})")));
  auto refused = validate_params(restart, params(R"({"services": ["nginx", "sshd"]})"));
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("param 'services': item \"sshd\" is not allowed"));
}

// A plugin's own table is checked once, when it is loaded.
TEST(ParamSpecCheck, AcceptsAWellFormedTable) {
  auto ok = check_param_specs(kCleanup);
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST(ParamSpecCheck, RefusesMistakesInTheTable) {
  struct Case {
    tend_param_spec spec;
    const char* message;
  };
  for (const auto& [spec, message] : {
           Case{{.name = "max_age", .type = TEND_PARAM_DURATION, .default_value = "soon"},
                "param 'max_age': default \"soon\" is unusable: 'soon' is not a duration"},
           Case{{.name = "mode",
           .type = TEND_PARAM_STRING,
           .default_value = "x",
           .allowed_values = "a,b"},
                "param 'mode': default \"x\" is unusable: \"x\" is not allowed"},
           Case{{.name = "n", .type = TEND_PARAM_INTEGER, .allowed_values = "1,two"},
                "param 'n': allowed value \"two\" is unusable"},
           Case{{.name = "owner", .type = TEND_PARAM_STRING, .pattern = "[a-z"},
                "param 'owner': pattern [a-z does not compile"},
           Case{{.name = "bad name", .type = TEND_PARAM_STRING}, "param name 'bad name' has ' '"},
           Case{{.name = nullptr, .type = TEND_PARAM_STRING}, "param #1 has no name"},
           Case{{.name = "x", .type = static_cast<tend_param_type>(9)},
                "param 'x': unknown type 9"},
       }) {
    tend_plugin plugin = kCleanup;
    plugin.params = &spec;
    plugin.param_count = 1;
    auto checked = check_param_specs(plugin);
    ASSERT_FALSE(checked) << message;
    EXPECT_THAT(checked.error().message, HasSubstr(message));
  }
}

TEST(ParamSpecCheck, RefusesAParamDeclaredTwice) {
  const tend_param_spec twice[] = {{.name = "x", .type = TEND_PARAM_STRING},
                                   {.name = "x", .type = TEND_PARAM_INTEGER}};
  tend_plugin plugin = kCleanup;
  plugin.params = twice;
  plugin.param_count = 2;
  auto checked = check_param_specs(plugin);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "param 'x' is declared twice");
}

// --- Bounds: every value is bounded before its pattern, or anything else,
// looks at it -------------------------------------------------------------

constexpr tend_param_spec kExecSpecs[] = {
    {.name = "command", .type = TEND_PARAM_STRING, .pattern = "^/.+"},
    {.name = "args", .type = TEND_PARAM_LIST, .pattern = "^[a-z]+$"},
    {.name = "expect_exit", .type = TEND_PARAM_INTEGER},
    {.name = "timeout", .type = TEND_PARAM_DURATION},
    {.name = "min_size", .type = TEND_PARAM_SIZE},
};

const tend_plugin kExec = {
    .abi_version = TEND_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(tend_plugin),
    .name = "exec",
    .version = "1.0.0",
    .description = "runs a program",
    .risk = TEND_RISK_HIGH,
    .params = kExecSpecs,
    .param_count = std::size(kExecSpecs),
};

std::string exec_answer(const std::string& json) {
  auto validated = validate_params(kExec, params(json));
  return validated ? "accepted" : validated.error().message;
}

std::string quoted(size_t bytes, char c = 'a') { return "\"" + std::string(bytes, c) + "\""; }

TEST(PluginParams, AStringOverTheCapIsRefusedBeforeItsPatternRuns) {
  EXPECT_EQ(exec_answer(R"({"command": "/)" + std::string(4095, 'a') + R"("})"), "accepted");
  // The pattern would refuse it too ("does not match"): the cap speaks first.
  EXPECT_EQ(exec_answer(R"({"command": )" + quoted(4097) + "}"),
            "param 'command' is 4097 bytes; the limit is 4096");
  EXPECT_EQ(exec_answer(R"({"command": "/)" + std::string(100'000, 'a') + R"("})"),
            "param 'command' is 100001 bytes; the limit is 4096");
}

TEST(PluginParams, ListsAreCappedInItemsAndInEachItemBeforeTheirPattern) {
  std::string items;
  for (int i = 0; i < 1024; ++i) items += (i ? ",\"a\"" : "\"a\"");
  EXPECT_EQ(exec_answer(R"({"args": [)" + items + "]}"), "accepted");
  EXPECT_EQ(exec_answer(R"({"args": [)" + items + R"(,"a"]})"),
            "param 'args' has 1025 items; the limit is 1024");
  EXPECT_EQ(exec_answer(R"({"args": ["a", )" + quoted(4097, 'A') + "]}"),
            "param 'args' item 2 is 4097 bytes; the limit is 4096");
  // A comma-separated string is one string first, and then a list.
  std::string many_commas(2 * 1025 - 1, ',');
  for (size_t i = 0; i < many_commas.size(); i += 2) many_commas[i] = 'a';
  EXPECT_EQ(exec_answer(R"({"args": ")" + many_commas + R"("})"),
            "param 'args' has 1025 items; the limit is 1024");
}

TEST(PluginParams, NumbersOfEveryTypeHaveARange) {
  EXPECT_EQ(exec_answer(R"({"expect_exit": 9007199254740992})"), "accepted");
  EXPECT_EQ(exec_answer(R"({"expect_exit": "9007199254740993"})"),
            "param 'expect_exit' 9007199254740993 is out of range: use -9007199254740992 to "
            "9007199254740992");
  EXPECT_EQ(exec_answer(R"({"timeout": "3650d"})"), "accepted");
  EXPECT_EQ(exec_answer(R"({"timeout": "3651d"})"),
            "param 'timeout' 315446400 is out of range: use 0 to 315360000 s");
  EXPECT_EQ(exec_answer(R"({"timeout": 1e15})"),
            "param 'timeout' 1000000000000000 is out of range: use 0 to 315360000 s");
  EXPECT_EQ(exec_answer(R"({"min_size": "1024TiB"})"), "accepted");
  EXPECT_EQ(exec_answer(R"({"min_size": "1025TiB"})"),
            "param 'min_size' 1126999418470400 is out of range: use 0 to 1125899906842624 bytes");
}

TEST(PluginParams, AHostileParamNameIsNotQuotedBack) {
  EXPECT_EQ(exec_answer(R"({")" + std::string(100'000, 'n') + R"(": 1})"),
            "param name is 100000 bytes; the limit is 128");
}

}  // namespace
}  // namespace tend
