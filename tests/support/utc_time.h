// Instants written as people read them in tests: utc("2026-03-29 01:00").
#pragma once

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace tend::testing {

inline std::chrono::sys_seconds utc(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) < 5) {
    throw std::invalid_argument("utc(): write \"YYYY-MM-DD HH:MM[:SS]\", not " + text);
  }
  using namespace std::chrono;
  return sys_days{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}} +
         hours{h} + minutes{mi} + seconds{s};
}

inline std::chrono::local_seconds local(const std::string& text) {
  return std::chrono::local_seconds{utc(text).time_since_epoch()};
}

}  // namespace tend::testing
