// noop: changes nothing. It sleeps for `sleep_ms` (stopping early when the
// task is cancelled) and fails with `fail` when given one, so operators can try
// targeting, timeouts, cancellation and failure reports without touching a
// server.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <tend/plugin.hpp>
#include <thread>

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;

// Short enough that a cancelled task stops within a blink.
constexpr std::chrono::milliseconds kSlice{10};
// A day: no task may run longer (timeout_s), so a longer sleep could only
// ever time out.
constexpr int64_t kMaxSleepMs = 86'400'000;

constexpr tend_param_spec kParams[] = {
    {.name = "sleep_ms",
     .type = TEND_PARAM_INTEGER,
     .default_value = "0",
     .help = "milliseconds to sleep before finishing, 0 to 86400000 (a day)"},
    {.name = "fail",
     .type = TEND_PARAM_STRING,
     .help = "when given, fail with this message after sleeping"},
};

class Noop : public tend::sdk::Plugin {
 public:
  // Only a dry run has anything to say before remediate: what it would do.
  Outcome diagnose(Context& ctx) override {
    int64_t sleep_ms = ctx.param_int("sleep_ms");
    if (sleep_ms < 0 || sleep_ms > kMaxSleepMs) {
      // The wording of every bound in tend (core/common/input_bounds.h).
      ctx.error("sleep_ms {} is out of range: use 0 to {} ms", sleep_ms, kMaxSleepMs);
      return Outcome::kFailed;
    }
    if (!ctx.dry_run()) return Outcome::kOk;
    if (ctx.has_param("fail")) {
      ctx.summary("noop would sleep {} ms, then fail: {}", sleep_ms, ctx.param_string("fail"));
    } else {
      ctx.summary("noop would sleep {} ms", sleep_ms);
    }
    ctx.output("sleep_ms", sleep_ms);
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    const auto wanted = std::chrono::milliseconds(ctx.param_int("sleep_ms"));
    const auto start = std::chrono::steady_clock::now();
    auto slept = std::chrono::milliseconds(0);
    while (slept < wanted && !ctx.cancelled()) {
      std::this_thread::sleep_for(std::min(kSlice, wanted - slept));
      slept = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
    }
    ctx.output("sleep_ms", slept.count());
    ctx.figure("slept_ms", static_cast<double>(slept.count()));
    if (slept < wanted) {
      ctx.error("cancelled after {} of {} ms", slept.count(), wanted.count());
      return Outcome::kFailed;
    }
    ctx.summary("noop slept {} ms", slept.count());
    if (ctx.has_param("fail")) {
      ctx.error(ctx.param_string("fail"));
      return Outcome::kFailed;
    }
    return Outcome::kOk;
  }

  // Nothing changed, so there is nothing that could have gone wrong.
  Outcome verify(Context&) override { return Outcome::kOk; }
};

}  // namespace

TEND_REGISTER_PLUGIN(Noop, {.name = "noop",
                            .version = TEND_VERSION,
                            .description = "does nothing: sleeps sleep_ms, fails if told to",
                            .risk = TEND_RISK_LOW,
                            .supports = TEND_SUPPORTS_DRY_RUN,
                            .params = kParams,
                            .param_count = std::size(kParams)});
