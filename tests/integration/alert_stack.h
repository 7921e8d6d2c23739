// A tend stack with the alert loop on: PostgreSQL, a routes file, the
// coordinator's webhook on a free loopback port with a token, agents, and
// real Alertmanagers whose webhook receiver points at it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/store/pg_connection.h"
#include "tests/integration/programs.h"
#include "tests/support/alertmanager.h"
#include "tests/support/tend_stack.h"
#include "tests/support/test_database.h"

namespace tend::testing {

inline constexpr const char* kWebhookToken = "alerts-test-token";

struct AlertStackOptions {
  std::string routes = {};        // routes.toml
  std::string extra_config = {};  // more coordinator.toml ([confidence], [approvals], ...)
  std::string http = {};          // more of [http] (its bounds), beside listen
  std::vector<AgentSpec> agents{{"web-01", "web", {}}, {"web-02", "web", {}}};
};

class AlertStack {
 public:
  explicit AlertStack(AlertStackOptions options);

  // False when there is no test PostgreSQL (TEND_TEST_PG_URL): skip.
  bool available() const { return db_.has_value(); }
  // Where routes.toml is, to change it and send SIGHUP.
  std::filesystem::path routes_path() const { return dir_.path() / "routes.toml"; }
  // More of [alerts] (added before start): keys, then any other sections.
  void add_config(const std::string& text) { options_.extra_config = text + options_.extra_config; }
  Expected<void> start();

  TendStack& stack() { return *stack_; }
  int webhook_port() const { return webhook_port_; }
  std::string webhook_url() const;
  const std::string& database_url() const { return db_->url(); }

  // A single Alertmanager, or each of an HA pair, pointed at the webhook.
  Expected<std::unique_ptr<Alertmanager>> alertmanager(std::vector<int> peers = {},
                                                       bool clustered = false);

  // One value from the store ("" when there is no row).
  std::string text(const std::string& sql);
  int64_t count(const std::string& sql);
  // Polls until `sql` reads `want`; returns the last value read.
  std::string wait_for(const std::string& sql, const std::string& want,
                       std::chrono::milliseconds timeout);

 private:
  AlertStackOptions options_;
  TempDir dir_{"tend-alert-stack"};  // routes.toml
  std::optional<TestDatabase> db_;
  int webhook_port_ = 0;
  std::unique_ptr<TendStack> stack_;
  std::unique_ptr<store::PgConnection> sql_;
};

}  // namespace tend::testing
