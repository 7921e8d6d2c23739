#include "core/coordinator/alerts/alertmanager_client.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

using json = nlohmann::json;

// Alertmanager's matcher syntax inside a filter: name="value", escaped.
std::string matcher(const std::string& name, const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return fmt::format("{}=\"{}\"", name, escaped);
}

template <typename Call>
auto each_url(const std::vector<std::string>& urls, std::chrono::milliseconds timeout, Call call)
    -> decltype(call(std::declval<httplib::Client&>(), std::string())) {
  std::vector<std::string> failures;
  for (const auto& url : urls) {
    httplib::Client client(url);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    auto result = call(client, url);
    if (result) return result;
    failures.push_back(result.error().message);
  }
  return make_error(fmt::format("{}", fmt::join(failures, "; ")));
}

Error http_error(const std::string& what, const httplib::Result& r) {
  if (!r) return make_error(fmt::format("{}: {}", what, httplib::to_string(r.error())));
  return make_error(fmt::format("{} answered {}: {}", what, r->status, r->body.substr(0, 300)));
}

}  // namespace

Expected<std::string> AlertmanagerClient::silence(const Labels& labels, WallTime ends_at,
                                                  const std::string& comment) {
  json matchers = json::array();
  for (const auto& [name, value] : labels) {
    matchers.push_back({{"name", name}, {"value", value}, {"isRegex", false}, {"isEqual", true}});
  }
  const std::string body = json{
      {"matchers", matchers},
      {"startsAt", format_rfc3339(std::chrono::system_clock::now())},
      {"endsAt", format_rfc3339(ends_at)},
      {"createdBy", "tend"},
      {"comment", comment}}.dump();
  return each_url(urls_, timeout_,
                  [&](httplib::Client& client, const std::string& url) -> Expected<std::string> {
                    auto r = client.Post("/api/v2/silences", body, "application/json");
                    if (!r || r->status != 200)
                      return http_error("POST " + url + "/api/v2/silences", r);
                    auto doc = json::parse(r->body, nullptr, false);
                    if (!doc.is_object() || !doc.contains("silenceID")) {
                      return make_error("POST " + url + "/api/v2/silences: no silenceID in " +
                                        r->body.substr(0, 200));
                    }
                    return doc["silenceID"].get<std::string>();
                  });
}

Expected<void> AlertmanagerClient::expire(const std::string& silence_id) {
  auto done = each_url(urls_, timeout_,
                       [&](httplib::Client& client, const std::string& url) -> Expected<bool> {
                         const std::string path = "/api/v2/silence/" + silence_id;
                         auto r = client.Delete(path);
                         if (!r || r->status != 200) return http_error("DELETE " + url + path, r);
                         return true;
                       });
  if (!done) return done.error();
  return {};
}

Expected<bool> AlertmanagerClient::firing(const std::string& fingerprint, const Labels& labels) {
  std::string path = "/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true";
  if (auto it = labels.find("alertname"); it != labels.end()) {
    path += "&filter=" + httplib::detail::encode_query_param(matcher("alertname", it->second));
  }
  return each_url(urls_, timeout_,
                  [&](httplib::Client& client, const std::string& url) -> Expected<bool> {
                    auto r = client.Get(path);
                    if (!r || r->status != 200)
                      return http_error("GET " + url + "/api/v2/alerts", r);
                    auto doc = json::parse(r->body, nullptr, false);
                    if (!doc.is_array())
                      return make_error("GET " + url + "/api/v2/alerts: not a list");
                    for (const auto& alert : doc) {
                      if (alert.value("fingerprint", "") == fingerprint) return true;
                    }
                    return false;
                  });
}

}  // namespace tend::alerts
