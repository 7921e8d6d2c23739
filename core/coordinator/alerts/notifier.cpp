#include "core/coordinator/alerts/notifier.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/escalation.h"
#include "core/coordinator/alerts/notifier_format.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;

constexpr auto kMaxBackoff = 60s;
constexpr size_t kMaxQueued = 1000;

}  // namespace

Notifier::Notifier(NotifierConfig config) : config_(std::move(config)) {
  // "https://hooks.slack.com/services/T/B/X": base up to the path.
  const auto scheme_end = config_.url.find("://");
  const auto path_start =
      config_.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  base_ = config_.url.substr(0, path_start);
  path_ = path_start == std::string::npos ? "/" : config_.url.substr(path_start);
  thread_ = std::thread([this] { run(); });
}

Notifier::~Notifier() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (!queue_.empty()) {
    spdlog::warn("notifier {}: {} notification(s) not sent at shutdown", config_.name,
                 queue_.size());
  }
}

void Notifier::notify(const tend::Escalation& escalation) {
  if (!notifies(config_, escalation)) return;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kMaxQueued) {
      spdlog::error("notifier {}: {} notifications wait already; dropped: {}", config_.name,
                    queue_.size(), headline(escalation));
      ++given_up_;
      return;
    }
    queue_.emplace_back(notification_body(config_, escalation), headline(escalation));
  }
  wake_.notify_one();
}

bool Notifier::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping_; });
}

Notifier::Outcome Notifier::post(const std::string& body) {
  httplib::Client client(base_);
  client.set_connection_timeout(config_.timeout);
  client.set_read_timeout(config_.timeout);
  client.set_write_timeout(config_.timeout);
  auto response = client.Post(path_, body, "application/json");
  if (!response) {
    return {false, true,
            fmt::format("POST {}: {}", config_.url, httplib::to_string(response.error()))};
  }
  const int status = response->status;
  if (status >= 200 && status < 300) return {true, false, ""};
  std::string text = response->body.substr(0, 300);
  return {false, status >= 500 || status == 429,
          fmt::format("POST {} answered {}: {}", config_.url, status, text)};
}

void Notifier::run() {
  for (;;) {
    std::pair<std::string, std::string> item;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    auto backoff = config_.backoff;
    for (unsigned attempt = 0;; ++attempt) {
      Outcome outcome = post(item.first);
      if (outcome.delivered) {
        ++delivered_;
        spdlog::info("notifier {}: sent: {}", config_.name, item.second);
        break;
      }
      if (!outcome.retry || attempt >= config_.retries) {
        ++given_up_;
        spdlog::error("notifier {}: gave up after {} attempt(s): {} ({})", config_.name,
                      attempt + 1, outcome.what, item.second);
        break;
      }
      spdlog::warn("notifier {}: {}; trying again in {} ms", config_.name, outcome.what,
                   backoff.count());
      if (!pause(backoff)) return;
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
  }
}

}  // namespace tend::alerts
