#include "core/common/wall_time.h"

#include <google/protobuf/util/time_util.h>

namespace tend {

using google::protobuf::util::TimeUtil;

int64_t micros(WallTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

WallTime from_micros(int64_t us) {
  return WallTime(std::chrono::duration_cast<WallTime::duration>(std::chrono::microseconds(us)));
}

google::protobuf::Timestamp to_timestamp(WallTime t) { return timestamp_from_micros(micros(t)); }

google::protobuf::Timestamp timestamp_from_micros(int64_t us) {
  return TimeUtil::MicrosecondsToTimestamp(us);
}

int64_t micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

WallTime from_timestamp(const google::protobuf::Timestamp& t) { return from_micros(micros(t)); }

double seconds_since_epoch(const google::protobuf::Timestamp& t) {
  return static_cast<double>(TimeUtil::TimestampToNanoseconds(t)) / 1e9;
}

double seconds_since_epoch(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace tend
