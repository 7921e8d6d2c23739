// The code under test logs what it refuses, and protobuf logs every string
// that is not UTF-8; at thousands of inputs a second that is noise (and
// time), and libFuzzer's own lines are what matter. Fatal errors still abort.
#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

namespace {

[[maybe_unused]] const bool logs_off = [] {
  spdlog::set_level(spdlog::level::off);
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

}  // namespace
