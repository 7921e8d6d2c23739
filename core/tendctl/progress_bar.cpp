#include "core/tendctl/progress_bar.h"

#include <fmt/format.h>

namespace tend::tendctl {

std::string progress_line(const tend::Progress& tally, size_t width) {
  size_t done = tally.expected() == 0
                    ? width
                    : std::min<size_t>(width, width * tally.responded() / tally.expected());
  return fmt::format("[{}{}] {}/{}  ok {}  failed {}", std::string(done, '#'),
                     std::string(width - done, '-'), tally.responded(), tally.expected(),
                     tally.succeeded(), tally.failed());
}

}  // namespace tend::tendctl
