#include "core/common/toml_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "core/common/byte_size.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"

namespace tend {
namespace {

// A key is echoed in the refusal; a file may hold one of any length.
constexpr size_t kMaxShownKeyBytes = 64;

struct Entry {
  const toml::key* key = nullptr;
  const toml::node* node = nullptr;
};

// toml++ keeps a table's keys sorted; an operator reads them in file order.
bool before(const Entry& a, const Entry& b) {
  if (b.key == nullptr) return true;
  const auto& pa = a.key->source().begin;
  const auto& pb = b.key->source().begin;
  return pa.line < pb.line || (pa.line == pb.line && pa.column < pb.column);
}

Entry first_unknown(const toml::table& table, std::span<const std::string_view> known) {
  Entry first;
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    const Entry entry{&key, &node};
    if (before(entry, first)) first = entry;
  }
  return first;
}

std::string shown(std::string_view key) {
  if (key.size() <= kMaxShownKeyBytes) return std::string(key);
  return fmt::format("{}...", key.substr(0, kMaxShownKeyBytes));
}

std::string at(const std::string& path, const toml::node& node, std::string_view message) {
  return fmt::format("{}:{}: {}", path, node.source().begin.line, message);
}

std::string unknown_key(const Entry& entry, std::string_view in,
                        std::span<const std::string_view> known, const std::string& path) {
  return at(path, *entry.node,
            fmt::format("unknown key '{}' in {} (known: {})", shown(entry.key->str()), in,
                        fmt::join(known, ", ")));
}

std::string header(const TomlSection& section) {
  return section.form == TomlSection::Form::kTables ? fmt::format("[[{}]]", section.name)
                                                    : fmt::format("[{}]", section.name);
}

const TomlSection* find_section(std::span<const TomlSection> sections, std::string_view name) {
  for (const auto& section : sections) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

// What is wrong with one top-level entry, and where: nothing when every
// part of it is known.
std::optional<std::pair<Entry, std::string>> first_problem(const Entry& entry,
                                                           std::span<const TomlSection> sections,
                                                           const std::string& path) {
  const auto name = entry.key->str();
  const auto* section = find_section(sections, name);
  if (section == nullptr) {
    std::vector<std::string> known;
    for (const auto& s : sections) known.push_back(header(s));
    const auto what = entry.node->is_table()
                          ? fmt::format("unknown section '[{}]'", shown(name))
                          : fmt::format("unknown key '{}' outside any section", shown(name));
    return std::pair{
        entry, at(path, *entry.node, fmt::format("{} (known: {})", what, fmt::join(known, ", ")))};
  }
  if (section->form != TomlSection::Form::kKeys) return std::nullopt;
  const auto* table = entry.node->as_table();
  if (table == nullptr) {
    return std::pair{entry,
                     at(path, *entry.node, fmt::format("{} must be a section, [{}]", name, name))};
  }
  const Entry key = first_unknown(*table, section->keys);
  if (key.key == nullptr) return std::nullopt;
  return std::pair{key, unknown_key(key, header(*section), section->keys, path)};
}

}  // namespace

Expected<void> refuse_unknown_keys(const toml::table& table, std::string_view in,
                                   std::span<const std::string_view> known,
                                   const std::string& path) {
  const Entry first = first_unknown(table, known);
  if (first.key == nullptr) return {};
  return make_error(unknown_key(first, in, known, path));
}

Expected<void> refuse_unknown_entries(const toml::table& doc, std::span<const TomlSection> sections,
                                      const std::string& path) {
  std::optional<std::pair<Entry, std::string>> first;
  for (const auto& [key, node] : doc) {
    auto problem = first_problem(Entry{&key, &node}, sections, path);
    if (problem && (!first || before(problem->first, first->first))) first = std::move(problem);
  }
  if (!first) return {};
  return make_error(std::move(first->second));
}

TomlReader::TomlReader(const toml::table* table, std::string where, const std::string& path)
    : table_(table), where_(std::move(where)), path_(path) {}

TomlReader TomlReader::section(const toml::table& doc, std::string_view name,
                               const std::string& path) {
  return TomlReader(doc.get_as<toml::table>(name), fmt::format("[{}]", name), path);
}

TomlReader TomlReader::nested(std::string_view key) const {
  const auto* n = node(key);
  TomlReader inner(n ? n->as_table() : nullptr, where_, path_);
  inner.prefix_ = fmt::format("{}{}.", prefix_, key);
  return inner;
}

const toml::node* TomlReader::node(std::string_view key) const {
  return table_ == nullptr ? nullptr : table_->get(key);
}

Expected<std::string> TomlReader::text(std::string_view key, std::string fallback) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  auto v = n->value_exact<std::string>();
  if (!v) return fail(*n, key, "must be a string");
  return *v;
}

Expected<std::string> TomlReader::text(std::string_view key, std::string fallback,
                                       size_t max_bytes) const {
  auto value = text(key, std::move(fallback));
  if (!value || node(key) == nullptr) return value;  // a fallback is the program's own
  if (auto ok = check_bytes(name(key), value->size(), max_bytes); !ok) {
    return fail_at(node(key), ok.error().message);
  }
  return value;
}

Expected<bool> TomlReader::flag(std::string_view key, bool fallback) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  auto v = n->value_exact<bool>();
  if (!v) return fail(*n, key, "must be true or false");
  return *v;
}

Expected<int64_t> TomlReader::whole(std::string_view key, int64_t fallback, int64_t min,
                                    int64_t max) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  auto v = n->value_exact<int64_t>();
  if (!v) return fail(*n, key, "must be a whole number");
  return in_range(*n, key, *v, min, max, "");
}

Expected<double> TomlReader::share(std::string_view key, double fallback, double min,
                                   double max) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  auto v = n->value<double>();
  if (!v || !(*v >= min && *v <= max)) {
    return fail(*n, key, fmt::format("must be a number from {} to {}", min, max));
  }
  return *v;
}

Expected<std::chrono::seconds> TomlReader::duration(std::string_view key,
                                                    std::chrono::seconds fallback,
                                                    std::chrono::seconds min,
                                                    std::chrono::seconds max) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  auto v = n->value_exact<std::string>();
  if (!v) return fail(*n, key, "must be a duration string such as \"90s\", \"5m\", \"1h\"");
  auto d = parse_duration(*v);
  if (!d) return fail_because(*n, key, d.error().message);
  if (auto ok = in_range(*n, key, d->count(), min.count(), max.count(), "s"); !ok) {
    return ok.error();
  }
  return *d;
}

Expected<int64_t> TomlReader::seconds(std::string_view key, int64_t fallback, int64_t min,
                                      int64_t max) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  int64_t value = 0;
  if (auto i = n->value_exact<int64_t>()) {
    value = *i;
  } else if (auto s = n->value_exact<std::string>()) {
    auto d = parse_duration(*s);
    if (!d) return fail_because(*n, key, d.error().message);
    value = d->count();
  } else {
    return fail(*n, key, "must be a duration such as \"10s\" or \"5m\", or a number of seconds");
  }
  return in_range(*n, key, value, min, max, "s");
}

Expected<int64_t> TomlReader::bytes(std::string_view key, int64_t fallback, int64_t min,
                                    int64_t max) const {
  const auto* n = node(key);
  if (n == nullptr) return fallback;
  int64_t value = 0;
  if (auto i = n->value_exact<int64_t>()) {
    value = *i;
  } else if (auto s = n->value_exact<std::string>()) {
    auto size = parse_byte_size(*s);
    if (!size) return fail_because(*n, key, size.error().message);
    value = static_cast<int64_t>(
        std::min<uint64_t>(*size, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
  } else {
    return fail(*n, key, "must be a size such as \"256MiB\", or a number of bytes");
  }
  return in_range(*n, key, value, min, max, "bytes");
}

Expected<std::vector<std::string>> TomlReader::strings(std::string_view key) const {
  std::vector<std::string> out;
  const auto* n = node(key);
  if (n == nullptr) return out;
  const auto* array = n->as_array();
  if (array == nullptr) return fail(*n, key, "must be a list of strings");
  for (const auto& item : *array) {
    auto v = item.value_exact<std::string>();
    if (!v) return fail(*n, key, "must be a list of strings");
    out.push_back(*v);
  }
  return out;
}

Expected<std::vector<std::string>> TomlReader::strings(std::string_view key, size_t max_items,
                                                       size_t max_bytes) const {
  const auto* n = node(key);
  if (n != nullptr && n->is_array()) {
    if (auto ok = check_items(name(key), n->as_array()->size(), max_items); !ok) {
      return fail_at(n, ok.error().message);
    }
  }
  auto list = strings(key);
  if (!list) return list;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item = fmt::format("{} item {}", name(key), i + 1);
    if (auto ok = check_bytes(item, (*list)[i].size(), max_bytes); !ok) {
      return fail_at(n, ok.error().message);
    }
  }
  return list;
}

Expected<void> TomlReader::refuse_unknown(std::span<const std::string_view> known) const {
  if (table_ == nullptr) return {};
  std::string in = where_;
  if (!prefix_.empty()) {
    const std::string_view outer(prefix_.data(), prefix_.size() - 1);  // without the last '.'
    in = in.empty() ? std::string(outer) : fmt::format("{} {}", in, outer);
  }
  return refuse_unknown_keys(*table_, in, known, path_);
}

std::string TomlReader::name(std::string_view key) const {
  if (where_.empty()) return fmt::format("{}{}", prefix_, key);
  return fmt::format("{} {}{}", where_, prefix_, key);
}

Error TomlReader::fail(const toml::node& node, std::string_view key,
                       std::string_view problem) const {
  return make_error(at(path_, node, fmt::format("{} {}", name(key), problem)));
}

Error TomlReader::fail_because(const toml::node& node, std::string_view key,
                               std::string_view why) const {
  return make_error(at(path_, node, fmt::format("{}: {}", name(key), why)));
}

Error TomlReader::fail_at(const toml::node* node, std::string_view message) const {
  if (node != nullptr) return make_error(at(path_, *node, message));
  if (table_ != nullptr) return make_error(at(path_, *table_, message));
  return make_error(fmt::format("{}: {}", path_, message));
}

Expected<int64_t> TomlReader::in_range(const toml::node& node, std::string_view key, int64_t value,
                                       int64_t min, int64_t max, std::string_view unit) const {
  if (auto ok = check_range(name(key), value, min, max, unit); !ok) {
    return fail_at(&node, ok.error().message);
  }
  return value;
}

}  // namespace tend
