// Any bytes as /etc/tend/agent.toml: tend-agent gets its config, or refuses
// to start with an error that names the file. Nothing else happens.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/agent/config/agent_config.h"
#include "tests/fuzz/support/fuzz_check.h"
#include "tests/fuzz/support/input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  static InputFile file("agent.toml");
  file.hold(std::string_view(reinterpret_cast<const char*>(data), size));
  auto config = tend::load_agent_config(file.path());
  if (!config) {
    require(config.error().message.find(file.path()) != std::string::npos,
            "a refused agent.toml is named in the error");
  }
  return 0;
}
