#include "core/common/param_bounds.h"

#include <fmt/format.h>

#include "bus/names.h"
#include "core/common/input_bounds.h"

namespace tend {
namespace {

using google::protobuf::Value;

Expected<void> check_list(std::string_view name, const google::protobuf::ListValue& list) {
  const auto what = fmt::format("param '{}'", name);
  if (auto ok = check_items(what, static_cast<size_t>(list.values_size()), kMaxParamItems); !ok) {
    return ok;
  }
  for (int i = 0; i < list.values_size(); ++i) {
    const Value& item = list.values(i);
    if (item.kind_case() != Value::kStringValue) continue;
    if (auto ok = check_bytes(fmt::format("{} item {}", what, i + 1), item.string_value().size(),
                              kMaxParamBytes);
        !ok) {
      return ok;
    }
  }
  return {};
}

}  // namespace

Expected<void> check_param_bounds(std::string_view name, const Value& value) {
  if (auto ok = check_bytes("param name", name.size(), kMaxNameBytes); !ok) return ok;
  switch (value.kind_case()) {
    case Value::kStringValue:
      return check_bytes(fmt::format("param '{}'", name), value.string_value().size(),
                         kMaxParamBytes);
    case Value::kListValue:
      return check_list(name, value.list_value());
    default:
      return {};
  }
}

}  // namespace tend
