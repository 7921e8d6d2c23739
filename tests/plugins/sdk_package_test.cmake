# Installs the SDK component of a tend build into a scratch prefix, builds the
# example plugins/examples/stale-lock against it as a plugin author would, and
# has a real tend-agent load the result: proves that find_package(tend),
# tend::sdk and tend_add_plugin work from an install.
# Run with -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DAGENT=...
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR AGENT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "sdk_package_test: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "sdk_package_test: ${what} failed:\n${out}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
run("installing the sdk component"
  "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --component sdk --prefix "${WORK_DIR}/prefix")
run("configuring the out-of-tree plugin"
  "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror")
run("building the out-of-tree plugin" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
set(plugin "${WORK_DIR}/build/stale-lock.so")
if(NOT EXISTS "${plugin}")
  message(FATAL_ERROR "sdk_package_test: tend_add_plugin did not produce stale-lock.so")
endif()
execute_process(COMMAND "${AGENT}" --check-plugin "${plugin}"
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT out MATCHES "stale-lock 1.0.0" OR NOT out MATCHES "min_age \\(duration")
  message(FATAL_ERROR "sdk_package_test: tend-agent would not load the example:\n${out}${err}")
endif()
# Every SDK header a plugin may include, installed where the package says.
set(sdk_headers plugin.h plugin.hpp expected.hpp unique_fd.hpp)
foreach(header ${sdk_headers})
  file(GLOB installed "${WORK_DIR}/prefix/*/tend/${header}")
  if(NOT installed)
    message(FATAL_ERROR "sdk_package_test: tend/${header} was not installed")
  endif()
endforeach()
file(GLOB pc_files "${WORK_DIR}/prefix/*/pkgconfig/tend-plugin.pc" "${WORK_DIR}/prefix/*/*/pkgconfig/tend-plugin.pc")
if(NOT pc_files)
  message(FATAL_ERROR "sdk_package_test: tend-plugin.pc was not installed")
endif()

# The same plugin with a plain compiler and pkg-config, for authors without CMake.
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
execute_process(COMMAND env "PKG_CONFIG_PATH=${pc_dir}" pkg-config --cflags tend-plugin
  RESULT_VARIABLE code OUTPUT_VARIABLE cflags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "sdk_package_test: pkg-config --cflags tend-plugin failed:\n${err}")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
set(pc_plugin "${WORK_DIR}/stale-lock-pkg-config.so")
run("building the plugin with pkg-config"
  c++ -std=c++20 -Wall -Wextra -Werror -shared -fPIC ${cflags}
  -o "${pc_plugin}" "${SOURCE_DIR}/stale_lock.cpp")
execute_process(COMMAND "${AGENT}" --check-plugin "${pc_plugin}"
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT out MATCHES "stale-lock 1.0.0")
  message(FATAL_ERROR "sdk_package_test: the pkg-config build does not load:\n${out}${err}")
endif()
# Each C++ header on its own, with nothing but the package's flags: they
# need only the standard library (and POSIX).
foreach(header ${sdk_headers})
  if(header MATCHES "\\.hpp$")
    file(WRITE "${WORK_DIR}/uses_${header}.cpp" "#include <tend/${header}>\n")
    run("compiling tend/${header} alone"
      c++ -std=c++20 -Wall -Wextra -Werror -fsyntax-only ${cflags} "${WORK_DIR}/uses_${header}.cpp")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
