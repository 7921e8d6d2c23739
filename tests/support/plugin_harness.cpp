#include "tests/support/plugin_harness.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "core/agent/plugin_host/plugin_params.h"

namespace tend::testing {

Expected<PluginHarness> PluginHarness::load(const std::filesystem::path& path) {
  auto library = PluginLibrary::load(path);
  if (!library) return library.error();
  return PluginHarness(std::move(*library));
}

Expected<void> PluginHarness::set_settings(std::string_view toml_body) {
  std::string name = library_->plugin().name;
  std::string text = fmt::format("[plugin.{}]\n{}\n", name, toml_body);
  toml::table parsed;
  try {
    parsed = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return make_error(std::string(e.description()));
  }
  auto all = read_plugin_settings(parsed, "agent.toml");
  if (!all) return all.error();
  settings_ = (*all)[name];
  return {};
}

Expected<PluginOutcome> PluginHarness::run(std::string_view params_json, bool dry_run) {
  google::protobuf::Struct params;
  auto status = google::protobuf::util::JsonStringToMessage(
      std::string(params_json.empty() ? "{}" : params_json), &params);
  if (!status.ok()) return make_error("params are not a JSON object: " + status.ToString());
  auto validated = validate_params(library_->plugin(), params);
  if (!validated) return validated.error();
  return run_lifecycle(*library_, std::move(*validated), settings_, dry_run, *cancel_);
}

}  // namespace tend::testing
