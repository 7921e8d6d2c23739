// The three kinds of files disk-cleanup knows, in the order an on-call
// engineer gives them up: old logs first, then temporary files, and backups
// only when nothing else was enough.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace tend::disk_cleanup {

enum class Category { kLogs, kTemp, kBackups };

inline constexpr std::array<Category, 3> kCategoryOrder = {Category::kLogs, Category::kTemp,
                                                           Category::kBackups};

// "logs", "temp", "backups": the names in params, settings and reports.
constexpr std::string_view category_name(Category category) {
  switch (category) {
    case Category::kLogs:
      return "logs";
    case Category::kTemp:
      return "temp";
    case Category::kBackups:
      return "backups";
  }
  return "?";
}

constexpr std::optional<Category> category_from_name(std::string_view name) {
  for (Category category : kCategoryOrder) {
    if (category_name(category) == name) return category;
  }
  return std::nullopt;
}

}  // namespace tend::disk_cleanup
