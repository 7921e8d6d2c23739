# Fails when a source file includes a header from a higher layer, or from a
# sibling part of its own layer: the folders are the architecture, and
# dependencies point one way (README "Layout").
#   cmake -DSOURCE_DIR=<repo> -P tests/structure/check_layers.cmake
#
# The layers, lowest first. Parts on one line (comma-separated) are siblings: each may include
# its own headers and any lower layer's, never another sibling's. A file
# belongs to the longest part that holds it.
set(layers
  "schemas,plugins/sdk,core/host"
  "bus,plugins"
  "core/common"
  "core/store"
  "core/coordinator/dispatch"
  "core/coordinator/metrics"
  "core/coordinator/decisions"
  "core/coordinator/alerts,core/coordinator/schedules,core/coordinator/reports,core/coordinator/queries"
  "core/agent/plugin_host,core/agent/telemetry"
  "core/agent/runner,core/agent/config"
  "core/agent/tasks"
  "core/coordinator,core/agent,core/tendctl")

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layers: pass -DSOURCE_DIR=<the repository>")
endif()

# part -> level, and every part, longest first (so the longest match wins).
set(parts "")
set(level 0)
foreach(line IN LISTS layers)
  string(REPLACE "," ";" line_parts "${line}")
  foreach(part IN LISTS line_parts)
    set(level_of_${part} ${level})
    list(APPEND parts "${part}")
  endforeach()
  math(EXPR level "${level} + 1")
endforeach()
list(SORT parts COMPARE STRING ORDER DESCENDING)

function(part_of path out)
  set(found "")
  foreach(part IN LISTS parts)
    string(LENGTH "${part}/" n)
    string(SUBSTRING "${path}" 0 ${n} head)
    if(head STREQUAL "${part}/")
      string(LENGTH "${found}" found_n)
      string(LENGTH "${part}" part_n)
      if(part_n GREATER found_n)
        set(found "${part}")
      endif()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
  "${SOURCE_DIR}/bus/*.h" "${SOURCE_DIR}/bus/*.cpp"
  "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp"
  "${SOURCE_DIR}/plugins/*.h" "${SOURCE_DIR}/plugins/*.hpp" "${SOURCE_DIR}/plugins/*.cpp"
  "${SOURCE_DIR}/plugins/*.c")

set(wrong 0)
foreach(source IN LISTS sources)
  part_of("${source}" from)
  if(from STREQUAL "")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${source}" includes REGEX "^#include \"[^\"]+\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    part_of("${header}" to)
    if(to STREQUAL "" OR to STREQUAL from)
      continue()
    endif()
    if(NOT level_of_${to} LESS level_of_${from})
      message(SEND_ERROR "${source} (${from}) includes ${header} (${to}): "
                         "a part includes only its own and lower layers' headers")
      math(EXPR wrong "${wrong} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH sources checked)
if(wrong GREATER 0)
  message(FATAL_ERROR "check_layers: ${wrong} include(s) point the wrong way")
endif()
message(STATUS "check_layers: ${checked} files, every include points down")
