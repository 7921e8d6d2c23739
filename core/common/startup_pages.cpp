#include "core/common/startup_pages.h"

#include <link.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tend {
namespace {

struct Mapping {
  uintptr_t begin = 0, end = 0;
  bool file_backed_read_only = false;
  size_t resident_kib = 0;
  long anonymous_kib = -1;  // unknown until its line is read
};

// "7f0c1e200000-7f0c1e2c5000 r--p 00000000 fe:00 332870  /usr/lib/...": the
// first line of each mapping in /proc/self/smaps; the field lines after it
// read "Name:   value kB".
bool parse_header(const std::string& line, Mapping& m) {
  std::istringstream in(line);
  std::string range, perms, offset, device, inode, path;
  if (!(in >> range >> perms >> offset >> device >> inode)) return false;
  unsigned long begin = 0, end = 0;
  if (perms.size() != 4 || std::sscanf(range.c_str(), "%lx-%lx", &begin, &end) != 2) return false;
  in >> path;
  m = Mapping{};
  m.begin = begin;
  m.end = end;
  m.file_backed_read_only = perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p' && inode != "0" &&
                            !path.empty() && path[0] == '/';
  return true;
}

struct Range {
  uintptr_t begin, end;
};

// The read-only segments of every object the dynamic linker loaded. They
// stay mapped as long as the object is loaded, and nothing in tend unloads
// one, so no other thread can have mapped something else there meanwhile.
std::vector<Range> loaded_read_only_segments() {
  std::vector<Range> ranges;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) {
        const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD || (ph.p_flags & PF_W)) continue;
          uintptr_t begin = (info->dlpi_addr + ph.p_vaddr) & ~(page - 1);
          uintptr_t end = (info->dlpi_addr + ph.p_vaddr + ph.p_memsz + page - 1) & ~(page - 1);
          static_cast<std::vector<Range>*>(out)->push_back({begin, end});
        }
        return 0;
      },
      &ranges);
  return ranges;
}

}  // namespace

size_t release_startup_pages() {
  const auto segments = loaded_read_only_segments();
  std::ifstream smaps("/proc/self/smaps");
  std::vector<Mapping> mappings;
  Mapping current;
  bool have = false;
  for (std::string line; std::getline(smaps, line);) {
    Mapping next;
    if (parse_header(line, next)) {
      if (have) mappings.push_back(current);
      current = next;
      have = true;
    } else if (have && line.rfind("Rss:", 0) == 0) {
      current.resident_kib = std::stoul(line.substr(4));
    } else if (have && line.rfind("Anonymous:", 0) == 0) {
      current.anonymous_kib = std::stol(line.substr(10));
    }
  }
  if (have) mappings.push_back(current);

  size_t released = 0;
  for (const auto& m : mappings) {
    if (!m.file_backed_read_only || m.anonymous_kib != 0 || m.resident_kib == 0) continue;
    bool any = false;
    for (const auto& s : segments) {
      uintptr_t begin = std::max(s.begin, m.begin), end = std::min(s.end, m.end);
      if (begin >= end) continue;
      any = madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED) == 0 || any;
    }
    if (any) released += m.resident_kib * 1024;
  }
  return released;
}

}  // namespace tend
