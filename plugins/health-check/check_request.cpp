#include "plugins/health-check/check_request.h"

namespace tend::health_check {
namespace {

std::string out_of_range(const char* name, int64_t value, int64_t low, int64_t high,
                         const char* unit = "") {
  if (value >= low && value <= high) return "";
  return std::string("health-check: ") + name + " must be between " + std::to_string(low) + unit +
         " and " + std::to_string(high) + unit + ", got " + std::to_string(value) + unit;
}

}  // namespace

std::string CheckRequest::describe() const {
  std::string text = target.describe();
  if (target.is_http()) {
    text += " expecting " + std::to_string(options.expect_status);
    if (!options.contains.empty()) text += " with \"" + options.contains + "\" in the body";
  }
  if (options.max_latency) text += " within " + plugins::format_latency(*options.max_latency);
  return text;
}

Expected<CheckRequest> read_request(const sdk::Context& ctx) {
  bool has_url = ctx.has_param("url"), has_tcp = ctx.has_param("tcp");
  if (has_url == has_tcp) {
    return make_error(
        "health-check: give exactly one of url (http://host:port/path) or tcp (host:port)");
  }
  CheckRequest request;
  std::string why;
  auto target = has_url ? plugins::parse_probe_url(ctx.param_string("url"), &why)
                        : plugins::parse_probe_tcp(ctx.param_string("tcp"), &why);
  if (!target) {
    return make_error(std::string("health-check: ") + (has_url ? "url: " : "tcp: ") + why);
  }
  std::string refusal =
      plugins::probe_refusal(*target, ctx.setting_list("allow_hosts"), "health-check");
  if (!refusal.empty()) return make_error(refusal);
  if (!target->is_http() && (ctx.has_param("contains") || ctx.has_param("expect_status"))) {
    return make_error("health-check: contains and expect_status are for url, not tcp");
  }
  request.target = std::move(*target);

  int64_t expect_status = ctx.param_int("expect_status", 200);
  int64_t timeout_s = ctx.param_int("timeout");
  int64_t retries = ctx.param_int("retries");
  int64_t max_latency_ms = ctx.param_int("max_latency_ms", 1);
  for (const std::string& reason :
       {out_of_range("expect_status", expect_status, 100, 599),
        out_of_range("timeout", timeout_s, 1, 300, " s"), out_of_range("retries", retries, 0, 10),
        out_of_range("max_latency_ms", max_latency_ms, 1, 300000)}) {
    if (!reason.empty()) return make_error(reason);
  }
  request.options.expect_status = static_cast<int>(expect_status);
  request.options.timeout = std::chrono::seconds(timeout_s);
  request.options.contains = ctx.param_string("contains");
  request.options.ca_file = ctx.setting("ca_file");
  if (ctx.has_param("max_latency_ms")) {
    request.options.max_latency = std::chrono::milliseconds(max_latency_ms);
  }
  request.retries = static_cast<int>(retries);
  return request;
}

}  // namespace tend::health_check
