// Instants as the wall shows them, and the one place they are converted: to
// and from microseconds since the epoch (PostgreSQL columns, the audit trail)
// and protobuf Timestamps (messages). Microseconds are the finest unit tend
// keeps, so a time survives a round trip through the store unchanged.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>

namespace tend {

using WallTime = std::chrono::system_clock::time_point;

int64_t micros(WallTime t);
WallTime from_micros(int64_t us);

google::protobuf::Timestamp to_timestamp(WallTime t);
google::protobuf::Timestamp timestamp_from_micros(int64_t us);
int64_t micros(const google::protobuf::Timestamp& t);
WallTime from_timestamp(const google::protobuf::Timestamp& t);
double seconds_since_epoch(const google::protobuf::Timestamp& t);
double seconds_since_epoch(WallTime t);

}  // namespace tend
