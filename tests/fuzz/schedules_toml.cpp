// Any bytes as schedules.toml: the coordinator gets its maintenance
// schedules, or refuses the file with an error that names it. Every schedule
// it accepts is one tendctl could add as well: valid, the same after the
// trip through JSON on NATS, with a next window in its time zone and a
// rollout to describe.
#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bus/codec.h"
#include "core/coordinator/schedules/schedule_definition.h"
#include "core/coordinator/schedules/zoned_schedule.h"
#include "tests/fuzz/support/fuzz_check.h"
#include "tests/fuzz/support/input_file.h"

namespace tend::fuzz {
namespace {

const SysSeconds kMonday10Utc{std::chrono::seconds(1795428000)};  // 2026-11-23 10:00 UTC

void check(const tend::Schedule& schedule) {
  require(static_cast<bool>(validate_schedule(schedule)), "a schedule from the file is valid");
  tend::Schedule sent;
  require(decode(to_json(schedule), Encoding::kJson, sent) &&
              google::protobuf::util::MessageDifferencer::Equals(sent, schedule),
          "a schedule from the file is the same after a trip through JSON");
  auto zoned = ZonedSchedule::parse(schedule.cron(), schedule.timezone());
  require(zoned && zoned->next_after(kMonday10Utc).has_value(),
          "a schedule from the file has a next window");
  (void)describe_rollout(schedule);
  (void)effective_rollout(schedule);
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  static InputFile file("schedules.toml");
  file.hold(std::string_view(reinterpret_cast<const char*>(data), size));
  auto schedules = tend::load_schedules_file(file.path());
  if (!schedules) {
    require(schedules.error().message.find(file.path()) != std::string::npos,
            "a refused schedules.toml is named in the error");
    return 0;
  }
  for (const auto& schedule : *schedules) check(schedule);
  return 0;
}
