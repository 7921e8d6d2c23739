// [limits] and [http]'s bounds in coordinator.toml: defaults, and a value out
// of range refused naming file, line, key and the range.
#include "core/coordinator/limits_config.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using namespace std::chrono_literals;

Expected<CoordinatorLimits> limits(std::string_view text) {
  return read_limits(toml::parse(text), "coordinator.toml");
}

Expected<HttpLimits> http(std::string_view text) {
  return read_http_limits(toml::parse(text), "coordinator.toml");
}

TEST(LimitsConfig, WithoutTheSectionTheDefaultsHold) {
  auto l = limits("");
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->max_in_flight, 10'000u);
  EXPECT_EQ(l->max_nodes, 100'000u);
  EXPECT_EQ(l->queue.max_events, 100'000u);
  EXPECT_EQ(l->queue.max_bytes, 256u << 20);
  auto h = http("");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->max_connections, 64u);
  EXPECT_EQ(h->max_connections_per_client, 8u);
  EXPECT_EQ(h->request_timeout, 10s);
  EXPECT_EQ(h->keep_alive_timeout, 5s);
  EXPECT_EQ(h->keep_alive_max_requests, 100u);
}

TEST(LimitsConfig, EveryKeyIsRead) {
  auto l = limits(R"([limits]
max_in_flight = 1000000
max_nodes = 5
max_queued_events = 100
max_queued_bytes = "16GiB")");
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->max_in_flight, 1'000'000u);
  EXPECT_EQ(l->max_nodes, 5u);
  EXPECT_EQ(l->queue.max_events, 100u);
  EXPECT_EQ(l->queue.max_bytes, size_t{16} << 30);
  auto h = http(R"([http]
max_connections = 1024
max_connections_per_client = 1024
request_timeout = "5m"
keep_alive_timeout = 300
keep_alive_max_requests = 1)");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->max_connections, 1024u);
  EXPECT_EQ(h->max_connections_per_client, 1024u);
  EXPECT_EQ(h->request_timeout, 300s);
  EXPECT_EQ(h->keep_alive_timeout, 300s);
  EXPECT_EQ(h->keep_alive_max_requests, 1u);
}

TEST(LimitsConfig, AValueJustPastItsRangeIsRefusedNamingTheKeyAndTheRange) {
  EXPECT_EQ(limits("[limits]\nmax_in_flight = 1000001").error().message,
            "coordinator.toml:2: [limits] max_in_flight 1000001 is out of range: use 1 to "
            "1000000");
  EXPECT_EQ(limits("[limits]\nmax_in_flight = 0").error().message,
            "coordinator.toml:2: [limits] max_in_flight 0 is out of range: use 1 to 1000000");
  EXPECT_EQ(limits("[limits]\nmax_queued_events = 99").error().message,
            "coordinator.toml:2: [limits] max_queued_events 99 is out of range: use 100 to "
            "10000000");
  EXPECT_EQ(limits("[limits]\nmax_queued_bytes = 17179869185").error().message,
            "coordinator.toml:2: [limits] max_queued_bytes 17179869185 is out of range: use "
            "1048576 to 17179869184 bytes");
  EXPECT_EQ(limits("[limits]\nmax_nodes = \"many\"").error().message,
            "coordinator.toml:2: [limits] max_nodes must be a whole number");
  EXPECT_EQ(http("[http]\nrequest_timeout = \"301s\"").error().message,
            "coordinator.toml:2: [http] request_timeout 301 is out of range: use 1 to 300 s");
  EXPECT_EQ(http("[http]\nkeep_alive_timeout = \"1w\"").error().message,
            "coordinator.toml:2: [http] keep_alive_timeout 604800 is out of range: use 1 to 300 s");
  EXPECT_EQ(http("[http]\nmax_connections = 1025").error().message,
            "coordinator.toml:2: [http] max_connections 1025 is out of range: use 2 to 1024");
  EXPECT_EQ(http("[http]\nkeep_alive_max_requests = 100001").error().message,
            "coordinator.toml:2: [http] keep_alive_max_requests 100001 is out of range: use 1 "
            "to 100000");
}

TEST(LimitsConfig, OneClientMayNotTakeEveryConnection) {
  EXPECT_EQ(http("[http]\nmax_connections = 16\nmax_connections_per_client = 17").error().message,
            "coordinator.toml:3: [http] max_connections_per_client 17 is out of range: use 1 to "
            "16");
  auto h = http("[http]\nmax_connections = 4");
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->max_connections_per_client, 4u) << "the default follows a smaller max_connections";
}

}  // namespace
}  // namespace tend
