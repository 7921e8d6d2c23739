// The smallest useful plugin, built against the installed SDK.
#include <tend/plugin.hpp>

class Hello : public tend::sdk::Plugin {
 public:
  tend::sdk::Outcome remediate(tend::sdk::Context& ctx) override {
    ctx.summary("hello from {}", "outside the tree");
    return tend::sdk::Outcome::kOk;
  }
};

TEND_REGISTER_PLUGIN(Hello, {.name = "hello",
                             .version = "1.0.0",
                             .description = "says hello",
                             .risk = TEND_RISK_LOW});
