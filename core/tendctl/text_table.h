// Plain-text tables for a terminal: every column as wide as its widest cell,
// two spaces apart. Colour codes take no room on screen, so widths are worked
// out from the text alone and the colour goes round it afterwards.
#pragma once

#include <string>
#include <vector>

namespace tend::tendctl {

struct Cell {
  std::string text;
  std::string colour = {};  // an ANSI SGR code such as "31" (red); empty for none
};

enum class Align { kLeft, kRight };

class TextTable {
 public:
  // `align` may be shorter than `header`: the remaining columns align left.
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});

  void add_row(std::vector<Cell> row);
  size_t rows() const { return rows_.size(); }

  // One line per row after the header, each ending in '\n'. The last column
  // is not padded, so no line ends in spaces.
  std::string render(bool colour) const;

 private:
  std::vector<std::vector<Cell>> rows_;  // the header first
  std::vector<Align> align_;
};

}  // namespace tend::tendctl
