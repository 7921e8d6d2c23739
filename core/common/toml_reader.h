// Reading tend's TOML files (agent.toml, coordinator.toml, routes.toml,
// schedules.toml) one way: typed values of one table, each refusal naming
// file, line, table and key, and one policy for a key tend does not know:
// it is refused at start, because it is nearly always a typo that would
// otherwise leave a setting at its default unnoticed.
//   coordinator.toml:7: unknown key 'timeout_s' in [tasks] (known: default_timeout_s, ...)
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"

namespace tend {

// Refuses the first key of `table`, in file order, that `known` does not
// list: "FILE:LINE: unknown key 'x' in [section] (known: a, b, c)". `in`
// names the table as the operator wrote it: "[tasks]", "[[route]]",
// "[[schedule]] 'nightly' rollout".
Expected<void> refuse_unknown_keys(const toml::table& table, std::string_view in,
                                   std::span<const std::string_view> known,
                                   const std::string& path);

// One top-level section of a file and what it may hold.
struct TomlSection {
  enum class Form {
    kKeys,    // [name] holding `keys`, checked here
    kTables,  // [[name]]: its reader checks each table
    kOpen,    // [name] or [name.X] with the operator's own keys ([plugin.NAME])
  };
  std::string_view name;
  std::vector<std::string_view> keys;
  Form form = Form::kKeys;
};

// Refuses the first entry of a whole file, in file order, that no section
// reads: "FILE:LINE: unknown section '[x]' (known: [a], [[b]])", a key
// outside every section, a [name] written as a plain value, or a key of a
// kKeys section as refuse_unknown_keys says.
Expected<void> refuse_unknown_entries(const toml::table& doc, std::span<const TomlSection> sections,
                                      const std::string& path);

// Typed reads of one table. An absent key keeps its fallback; a present
// one of the wrong type or out of range is refused as
// "FILE:LINE: <where> <key> <problem>", e.g.
//   coordinator.toml:12: [limits] max_nodes must be a whole number
class TomlReader {
 public:
  // `table` may be null: an absent section, whose keys all keep their
  // fallbacks. `where` names it in errors: "[alerts]",
  // "[[escalation.notifier]] #2", or "" when the line says enough.
  TomlReader(const toml::table* table, std::string where, const std::string& path);

  // [name] of a parsed file.
  static TomlReader section(const toml::table& doc, std::string_view name, const std::string& path);

  // The inline table `key` (null when absent or not a table); errors name
  // its keys "key.inner", e.g. "[[schedule]] 'x' rollout.canary".
  TomlReader nested(std::string_view key) const;

  const toml::table* table() const { return table_; }
  const toml::node* node(std::string_view key) const;

  Expected<std::string> text(std::string_view key, std::string fallback) const;
  // A string of at most `max_bytes`: "FILE:LINE: [log] level is 17 bytes;
  // the limit is 16".
  Expected<std::string> text(std::string_view key, std::string fallback, size_t max_bytes) const;
  Expected<bool> flag(std::string_view key, bool fallback) const;
  Expected<int64_t> whole(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  // A share such as 0.25 (a whole number is taken too).
  Expected<double> share(std::string_view key, double fallback, double min, double max) const;
  // A duration string only: "90s", "5m", "1h".
  Expected<std::chrono::seconds> duration(std::string_view key, std::chrono::seconds fallback,
                                          std::chrono::seconds min, std::chrono::seconds max) const;
  // A duration string or a whole number of seconds.
  Expected<int64_t> seconds(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  // A size string such as "256MiB", or a whole number of bytes.
  Expected<int64_t> bytes(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  Expected<std::vector<std::string>> strings(std::string_view key) const;
  // At most `max_items` strings of at most `max_bytes` each: "... servers
  // has 33 items; the limit is 32", "... servers item 2 is 1025 bytes; ...".
  Expected<std::vector<std::string>> strings(std::string_view key, size_t max_items,
                                             size_t max_bytes) const;

  // refuse_unknown_keys for this table, named by `where` (and the key it
  // was nested under).
  Expected<void> refuse_unknown(std::span<const std::string_view> known) const;

  // "<where> <key>": the key as errors name it.
  std::string name(std::string_view key) const;
  // "FILE:LINE: <where> <key> <problem>".
  Error fail(const toml::node& node, std::string_view key, std::string_view problem) const;
  // "FILE:LINE: <where> <key>: <why>", for a parser's own message.
  Error fail_because(const toml::node& node, std::string_view key, std::string_view why) const;
  // "FILE:LINE: <message>", at the table's own line when `node` is null.
  Error fail_at(const toml::node* node, std::string_view message) const;

 private:
  Expected<int64_t> in_range(const toml::node& node, std::string_view key, int64_t value,
                             int64_t min, int64_t max, std::string_view unit) const;

  const toml::table* table_;
  std::string where_;
  std::string prefix_;  // "rollout." for a nested table
  const std::string& path_;
};

}  // namespace tend
