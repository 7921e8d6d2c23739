// Ports on 127.0.0.1 for the servers tests start (nats-server, PostgreSQL,
// Alertmanager, node_exporter, the coordinator's webhook).
#pragma once

namespace tend::testing {

// A port nothing listens on at the moment, as the kernel picks one: for a
// server about to be started there, or for a client that must find nobody.
int free_loopback_port();

// True when something accepts TCP connections on 127.0.0.1:`port`.
bool loopback_port_open(int port);

}  // namespace tend::testing
