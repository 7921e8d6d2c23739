// Any bytes on a pipe between tend-agent and tend-plugin-runner, where each
// frame is a 4-byte big-endian length and then that many bytes:
//
// - read_frame gives each frame exactly as it follows its header, and an
//   error, never a crash, for a length over the limit or a stream that ends
//   before the frame does;
// - a frame read as the runner's RunnerRequest meets the runner's checks
//   before any plugin code runs: its task's params against the real
//   plugin's table, its settings; read as a RunnerResponse, a ZygoteRequest
//   or a ZygoteReply, it decodes or it does not;
// - the whole input, written as one frame, reads back the same.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/agent/plugin_host/plugin_params.h"
#include "core/agent/plugin_host/plugin_settings.h"
#include "core/agent/runner/frame_io.h"
#include "schemas/runner.pb.h"
#include "tests/fuzz/support/builtin_plugins.h"
#include "tests/fuzz/support/fuzz_check.h"
#include "tests/fuzz/support/input_file.h"

namespace tend::fuzz {
namespace {

// The frame that starts at `at`, by the header's own reading; nothing when
// the header or the payload is cut short or too long.
std::optional<std::string_view> frame_at(std::string_view stream, size_t at) {
  if (stream.size() - at < 4) return std::nullopt;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(stream[at + i])); };
  const size_t length = (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
  if (length > kMaxFrameBytes || stream.size() - at - 4 < length) return std::nullopt;
  return stream.substr(at + 4, length);
}

void as_runner(const std::string& frame) {
  tend::RunnerRequest request;
  if (!request.ParseFromString(frame)) return;  // "runner got a malformed request"
  (void)PluginSettings::from_proto(request.settings());
  if (auto plugin = builtin_plugins().find(request.task().plugin())) {
    (void)validate_params(plugin->plugin(), request.task().params());
  }
}

void as_agent_and_zygote(const std::string& frame) {
  tend::RunnerResponse response;
  (void)response.ParseFromString(frame);
  tend::ZygoteRequest request;
  (void)request.ParseFromString(frame);
  tend::ZygoteReply reply;
  (void)reply.ParseFromString(frame);
}

void read_stream(InputFile& pipe, std::string_view stream) {
  pipe.hold(stream);
  size_t at = 0;
  for (;;) {
    auto expected = frame_at(stream, at);
    auto frame = read_frame(pipe.fd());
    require(static_cast<bool>(frame) == expected.has_value(),
            "read_frame reads a frame exactly when the stream holds a whole one");
    if (!frame) return;
    require(*frame == *expected, "read_frame gives the bytes that follow the header");
    as_runner(*frame);
    as_agent_and_zygote(*frame);
    at += 4 + frame->size();
  }
}

void write_and_read_back(InputFile& pipe, std::string_view payload) {
  pipe.hold("");
  require(static_cast<bool>(write_frame(pipe.fd(), payload)), "write_frame writes any payload");
  pipe.rewind();
  auto frame = read_frame(pipe.fd());
  require(frame && *frame == payload, "a payload written as a frame reads back the same");
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  static InputFile pipe("runner-frames");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  read_stream(pipe, input);
  write_and_read_back(pipe, input);
  return 0;
}
