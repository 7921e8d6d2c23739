// A test plugin that does, in each hook, what the task tells it:
// diagnose=ok|nothing|fail|throw, and the same for remediate, verify and
// rollback (default ok). Each hook that runs sets output "<hook>" = "ran", so a
// test can see which hooks the host called. It has every hook and no dry-run
// support.
#include <iterator>
#include <stdexcept>
#include <string>
#include <tend/plugin.hpp>

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;

constexpr const char* kActions = "ok,nothing,fail,throw,throw-int";

constexpr tend_param_spec kParams[] = {
    {.name = "diagnose",
     .type = TEND_PARAM_STRING,
     .default_value = "ok",
     .allowed_values = kActions},
    {.name = "remediate",
     .type = TEND_PARAM_STRING,
     .default_value = "ok",
     .allowed_values = kActions},
    {.name = "verify",
     .type = TEND_PARAM_STRING,
     .default_value = "ok",
     .allowed_values = kActions},
    {.name = "rollback",
     .type = TEND_PARAM_STRING,
     .default_value = "ok",
     .allowed_values = kActions},
};

Outcome act(Context& ctx, const std::string& hook) {
  ctx.output(hook, "ran");
  std::string action = ctx.param_string(hook);
  if (action == "nothing") return Outcome::kNothingToDo;
  if (action == "fail") {
    ctx.error("{} was told to fail", hook);
    return Outcome::kFailed;
  }
  if (action == "throw") throw std::runtime_error(hook + " blew up");
  if (action == "throw-int") throw 42;
  return Outcome::kOk;
}

class Scripted : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context& ctx) override { return act(ctx, "diagnose"); }
  Outcome remediate(Context& ctx) override { return act(ctx, "remediate"); }
  Outcome verify(Context& ctx) override { return act(ctx, "verify"); }
  Outcome rollback(Context& ctx) override { return act(ctx, "rollback"); }
};

}  // namespace

TEND_REGISTER_PLUGIN(Scripted, {.name = "scripted",
                                .version = "1.0.0",
                                .description = "does in each hook what the task says",
                                .risk = TEND_RISK_HIGH,
                                .params = kParams,
                                .param_count = std::size(kParams)});
