#include "core/tendctl/progress_bar.h"

#include <fmt/format.h>

#include <algorithm>

namespace tend::tendctl {

std::string progress_bar_line(const tend::Progress& tally, size_t width) {
  // With nobody expected there is nothing left to wait for: a full bar.
  size_t done = tally.expected() == 0
                    ? width
                    : std::min<size_t>(width, width * tally.responded() / tally.expected());
  return fmt::format("[{}{}] {}/{}  ok {}  failed {}", std::string(done, '#'),
                     std::string(width - done, '-'), tally.responded(), tally.expected(),
                     tally.succeeded(), tally.failed());
}

std::string progress_plain_line(const tend::Progress& tally) {
  return fmt::format("progress: {}/{} responded ({} ok, {} failed)", tally.responded(),
                     tally.expected(), tally.succeeded(), tally.failed());
}

}  // namespace tend::tendctl
