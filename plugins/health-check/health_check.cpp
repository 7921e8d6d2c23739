// health-check: answers "is it up, and fast enough?" from the node itself —
// an HTTP(S) GET that must answer an expected status (optionally containing
// a text) or a TCP connect that must be accepted, within a latency bound.
//
// It changes nothing, so remediate performs the check and verify repeats it:
// as a step in a chain ("restart php-fpm, then health-check the site") it
// fails the chain when the service is not healthy. Probes go to this node's
// loopback, or to hosts the operator lists in allow_hosts.
#include <iterator>
#include <string>
#include <tend/plugin.hpp>

#include "plugins/health-check/check_request.h"
#include "plugins/health-check/probe_with_retries.h"

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::health_check;

constexpr tend_param_spec kParams[] = {
    {.name = "url",
     .type = TEND_PARAM_STRING,
     .pattern = "^https?://.+",
     .help = "http(s):// URL to GET (give url or tcp)"},
    {.name = "tcp",
     .type = TEND_PARAM_STRING,
     .pattern = "^.+:[0-9]+$",
     .help = "host:port that must accept a TCP connection (give url or tcp)"},
    {.name = "expect_status",
     .type = TEND_PARAM_INTEGER,
     .help = "HTTP status the url must answer with; default 200"},
    {.name = "contains", .type = TEND_PARAM_STRING, .help = "text the body must contain"},
    {.name = "max_latency_ms",
     .type = TEND_PARAM_INTEGER,
     .help = "fail when the answer (or the connect) takes longer, in milliseconds"},
    {.name = "timeout",
     .type = TEND_PARAM_DURATION,
     .default_value = "5s",
     .help = "give up on one try after this long"},
    {.name = "retries",
     .type = TEND_PARAM_INTEGER,
     .default_value = "0",
     .help = "further tries, a second apart, while the check fails (0-10)"},
};

tend::Expected<CheckRequest> request_or_fail(Context& ctx) {
  auto request = read_request(ctx);
  if (!request) ctx.error(request.error().message);
  return request;
}

// What a probe found, as outputs and the latency figure.
void report(Context& ctx, const CheckRequest& request, const CheckOutcome& outcome) {
  ctx.output("target", request.target.text);
  ctx.output("tries", outcome.tries);
  if (outcome.last.status != 0) ctx.output("status", outcome.last.status);
  if (outcome.last.answered) {
    ctx.output("latency_ms", tend::plugins::format_latency(outcome.last.latency));
    ctx.figure("latency_ms", outcome.last.latency_ms());
  }
}

std::string tries_text(const CheckOutcome& outcome) {
  return outcome.tries > 1 ? " (" + std::to_string(outcome.tries) + " tries)" : "";
}

// Why the check failed, for ctx.error.
std::string failure(const CheckRequest& request, const CheckOutcome& outcome) {
  if (outcome.cancelled) {
    return request.target.describe() + ": cancelled after " + std::to_string(outcome.tries) +
           " tr" + (outcome.tries == 1 ? "y" : "ies") + "; the last: " + outcome.last.reason;
  }
  return request.target.describe() + ": " + outcome.last.reason + tries_text(outcome);
}

class HealthCheck : public tend::sdk::Plugin {
 public:
  // Nothing to diagnose beyond the request itself; a dry run says what it
  // would check and probes nothing.
  Outcome diagnose(Context& ctx) override {
    auto request = request_or_fail(ctx);
    if (!request) return Outcome::kFailed;
    if (ctx.dry_run()) {
      ctx.output("target", request->target.text);
      ctx.summary("would check: {}{}", request->describe(),
                  request->retries ? ", " + std::to_string(request->retries) + " retries" : "");
    }
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    auto request = request_or_fail(ctx);
    if (!request) return Outcome::kFailed;
    CheckOutcome outcome = probe_with_retries(*request, [&] { return ctx.cancelled(); });
    report(ctx, *request, outcome);
    if (!outcome.last.ok) {
      ctx.error(failure(*request, outcome));
      return Outcome::kFailed;
    }
    ctx.summary("{} {}{}", request->target.describe(), outcome.last.describe(),
                tries_text(outcome));
    return Outcome::kOk;
  }

  // The same check once more: healthy twice in a row is what a chain that
  // waits on this step wants to know.
  Outcome verify(Context& ctx) override {
    auto request = request_or_fail(ctx);
    if (!request) return Outcome::kFailed;
    CheckOutcome outcome = probe_with_retries(*request, [&] { return ctx.cancelled(); });
    if (!outcome.last.ok) {
      ctx.error(failure(*request, outcome));
      return Outcome::kFailed;
    }
    return Outcome::kOk;
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(
    HealthCheck, {.name = "health-check",
                  .version = TEND_VERSION,
                  .description = "HTTP GET or TCP connect with expected status and latency bound",
                  .risk = TEND_RISK_LOW,
                  .supports = TEND_SUPPORTS_DRY_RUN,
                  .params = kParams,
                  .param_count = std::size(kParams)});
