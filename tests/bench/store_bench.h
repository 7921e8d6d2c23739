// Results stored per second, in one run on one PostgreSQL:
//   store-floor-insert  single-row autocommit INSERTs (the naive way)
//   store-floor-copy    one COPY of plain rows (what PostgreSQL can take)
//   store-writer        tend's StoreWriter: batched COPY, dedupe, audit chain
//   store-ingest        the whole durable path: results already in the
//                       JetStream stream, read by ResultIngest and committed
// Each prints "name results_per_second count".
#pragma once

#include <string>

namespace tend::bench {

int store_throughput(const std::string& database_url, const std::string& nats_url, int count);

}  // namespace tend::bench
