#include "tests/integration/alert_stack.h"

#include <fmt/format.h>

#include "tests/support/eventually.h"
#include "tests/support/loopback_port.h"

namespace tend::testing {

using namespace std::chrono_literals;

AlertStack::AlertStack(AlertStackOptions options)
    : options_(std::move(options)), webhook_port_(free_loopback_port()) {
  auto created = TestDatabase::create();
  if (!created || !*created) return;
  db_.emplace(std::move(**created));
}

Expected<void> AlertStack::start() {
  dir_.write("routes.toml", options_.routes);
  CoordinatorSettings settings;
  settings.database_url = db_->url();
  settings.extra_config = fmt::format(
      "\n[http]\nlisten = \"127.0.0.1:{}\"\n{}\n[alerts]\nroutes = \"{}\"\nwebhook_token = "
      "\"{}\"\n{}",
      webhook_port_, options_.http, routes_path().string(), kWebhookToken, options_.extra_config);
  stack_ = std::make_unique<TendStack>(built_programs(), options_.agents, settings);
  if (auto ok = stack_->start(30s); !ok) return ok;
  auto conn = store::PgConnection::connect(db_->url(), 5s);
  if (!conn) return conn.error();
  sql_ = std::move(*conn);
  // The webhook listens once the coordinator is up: wait for it.
  if (!eventually([&] { return loopback_port_open(webhook_port_); }, 10s, 50ms)) {
    return make_error(
        fmt::format("the webhook never listened on port {}:\n{}", webhook_port_, stack_->logs()));
  }
  return {};
}

std::string AlertStack::webhook_url() const {
  return fmt::format("http://127.0.0.1:{}/alertmanager", webhook_port_);
}

Expected<std::unique_ptr<Alertmanager>> AlertStack::alertmanager(std::vector<int> peers,
                                                                 bool clustered) {
  auto am = std::make_unique<Alertmanager>(
      AlertmanagerSettings{webhook_url(), kWebhookToken, std::move(peers), clustered});
  if (auto ok = am->start(); !ok) return ok.error();
  return am;
}

std::string AlertStack::text(const std::string& sql) {
  auto rows = sql_->query(sql);
  if (!rows) return "error: " + rows.error().message;
  return rows->empty() ? "" : std::string(rows->get(0, 0));
}

int64_t AlertStack::count(const std::string& sql) {
  auto rows = sql_->query(sql);
  return rows && !rows->empty() ? rows->get_int(0, 0) : -1;
}

std::string AlertStack::wait_for(const std::string& sql, const std::string& want,
                                 std::chrono::milliseconds timeout) {
  return read_until([&] { return text(sql); }, [&](const std::string& got) { return got == want; },
                    timeout, 100ms);
}

}  // namespace tend::testing
