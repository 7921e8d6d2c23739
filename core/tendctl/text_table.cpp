#include "core/tendctl/text_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace tend::tendctl {

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : align_(std::move(align)) {
  std::vector<Cell> cells;
  for (auto& name : header) cells.push_back({std::move(name)});
  align_.resize(cells.size(), Align::kLeft);
  rows_.push_back(std::move(cells));
}

void TextTable::add_row(std::vector<Cell> row) {
  row.resize(align_.size());
  rows_.push_back(std::move(row));
}

std::string TextTable::render(bool colour) const {
  std::vector<size_t> width(align_.size(), 0);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].text.size());
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      const bool last = c + 1 == row.size();
      std::string padding(width[c] - cell.text.size(), ' ');
      if (last && align_[c] == Align::kLeft) padding.clear();
      std::string text = colour && !cell.colour.empty()
                             ? fmt::format("\x1b[{}m{}\x1b[0m", cell.colour, cell.text)
                             : cell.text;
      line += align_[c] == Align::kRight ? padding + text : text + padding;
      if (!last) line += "  ";
    }
    // An empty last cell would leave the separator dangling.
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace tend::tendctl
