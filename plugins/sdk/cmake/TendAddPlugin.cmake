# tend_add_plugin(NAME [SOURCES] src... [OUTPUT_DIRECTORY dir])
#
# Builds one tend plugin: a MODULE library NAME.so (no "lib" prefix: the agent
# loads every *.so in its plugin directory, and the file name reads as the
# plugin's name). Symbols are hidden by default so that the only export is the
# entry point TEND_REGISTER_PLUGIN marks visible, and two plugins can never
# clash over a helper's name. `-z defs` makes a missing library a link error
# here rather than a load failure on a server.
#
# The same file serves the tend source tree and the installed package
# (find_package(tend)); both provide the target tend::sdk. OUTPUT_DIRECTORY
# defaults to TEND_PLUGIN_OUTPUT_DIRECTORY when that variable is set.
include_guard(GLOBAL)

function(tend_add_plugin name)
  cmake_parse_arguments(arg "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(sources ${arg_SOURCES} ${arg_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR "tend_add_plugin(${name}): no sources given")
  endif()

  add_library(${name} MODULE ${sources})
  target_link_libraries(${name} PRIVATE tend::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # GCC before 13 warns about every field a designated initialiser leaves out,
  # which is how descriptors and param tables are meant to be written.
  target_compile_options(${name} PRIVATE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-Wno-missing-field-initializers>)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # --exclude-libs: code a plugin links statically (its own helpers, the
    # template instances they carry) stays private to it, so the entry point
    # remains the only export.
    target_link_options(${name} PRIVATE "LINKER:--exclude-libs,ALL")
    # Except in tend's fuzz build: clang links the sanitizers' run-time into
    # programs only, so an instrumented plugin leaves its symbols to the
    # program that loads it.
    if(NOT TEND_FUZZ)
      target_link_options(${name} PRIVATE "LINKER:-z,defs")
    endif()
  endif()

  if(arg_OUTPUT_DIRECTORY)
    set(output_dir "${arg_OUTPUT_DIRECTORY}")
  elseif(DEFINED TEND_PLUGIN_OUTPUT_DIRECTORY)
    set(output_dir "${TEND_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  if(DEFINED output_dir)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${output_dir}")
  endif()
endfunction()
