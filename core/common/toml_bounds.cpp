#include "core/common/toml_bounds.h"

#include <fmt/format.h>

#include "core/common/input_bounds.h"

namespace tend {
namespace {

class BoundsWalk {
 public:
  BoundsWalk(const std::string& path, const TomlBounds& bounds) : path_(path), bounds_(bounds) {}

  Expected<void> node(const toml::node& n, const std::string& where) {
    if (const auto* s = n.as_string()) {
      return at(n, check_bytes(where, s->get().size(), bounds_.max_string_bytes));
    }
    if (const auto* array = n.as_array()) {
      if (auto ok = at(n, check_items(where, array->size(), bounds_.max_items)); !ok) return ok;
      for (size_t i = 0; i < array->size(); ++i) {
        if (auto ok = node(*array->get(i), fmt::format("{}[{}]", where, i)); !ok) return ok;
      }
      return {};
    }
    if (const auto* table = n.as_table()) return this->table(*table, where);
    return {};
  }

  Expected<void> table(const toml::table& t, const std::string& where) {
    if (auto ok =
            at(t, check_items(where.empty() ? "the file" : where, t.size(), bounds_.max_items));
        !ok) {
      return ok;
    }
    for (const auto& [key, value] : t) {
      const std::string_view name = key.str();
      if (name.size() > bounds_.max_key_bytes) {
        return at(value, check_bytes(fmt::format("a key in {}", where.empty() ? "the file" : where),
                                     name.size(), bounds_.max_key_bytes));
      }
      const std::string inner =
          where.empty() ? std::string(name) : fmt::format("{}.{}", where, name);
      if (auto ok = node(value, inner); !ok) return ok;
    }
    return {};
  }

 private:
  Expected<void> at(const toml::node& n, Expected<void> verdict) const {
    if (verdict) return {};
    return make_error(
        fmt::format("{}:{}: {}", path_, n.source().begin.line, verdict.error().message));
  }

  const std::string& path_;
  const TomlBounds& bounds_;
};

}  // namespace

Expected<void> check_toml_bounds(const toml::table& doc, const std::string& path,
                                 const TomlBounds& bounds) {
  return BoundsWalk(path, bounds).table(doc, "");
}

}  // namespace tend
