# pubrender-functions.cmake - pubrender_add_publications(), shipped in the
# CMake package (find_package(pubrender)) and defined for builds that add
# pubrender with add_subdirectory.
#
#   pubrender_add_publications(<target> BIB <file.bib>... OUTPUT <file>
#                              [OPTIONS <pubrender option>...] [ALL])
#
# Adds a custom command that runs the pubrender program (pubrender::cli) to
# write OUTPUT from the BIB files, and a target <target> that builds it
# (with ALL: as part of the default build). The format follows OUTPUT's
# extension (.html, .md, .json, .csl.json) unless OPTIONS says --format.
# Relative BIB paths are read from the current source directory, a relative
# OUTPUT is written in the current binary directory. The command writes a
# depfile, so a template or any other file pubrender reads is a dependency
# too; it leaves OUTPUT untouched (content and mtime) when nothing changed,
# and keeps the previous OUTPUT when a .bib has an error (the build fails
# with the diagnostics; add --keep-going to OPTIONS to write it anyway).
#
#   pubrender_add_publications(pubs ALL BIB pubs.bib OUTPUT pubs.html
#                              OPTIONS --highlight "Byungsoo Oh")
function(pubrender_add_publications target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALL" "OUTPUT" "BIB;OPTIONS")
  if(NOT arg_BIB OR NOT arg_OUTPUT)
    message(FATAL_ERROR "pubrender_add_publications(${target}): BIB and OUTPUT are required")
  endif()
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pubrender_add_publications(${target}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(TARGET pubrender::cli)
    set(exe pubrender::cli)
  else()
    find_program(PUBRENDER_EXECUTABLE pubrender REQUIRED)
    set(exe ${PUBRENDER_EXECUTABLE})
  endif()
  set(bibs "")
  foreach(b ${arg_BIB})
    get_filename_component(b "${b}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND bibs "${b}")
  endforeach()
  get_filename_component(out "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(depfile "${out}.d")
  # The depfile names every file pubrender read. CMake 3.20+ passes it to
  # Ninja and Make (policy CMP0116 rewrites its absolute paths the way Ninja
  # expects); older versions rely on DEPENDS (the .bib files) alone.
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.20)
    cmake_policy(PUSH)
    cmake_policy(SET CMP0116 NEW)
    add_custom_command(OUTPUT "${out}"
      COMMAND ${exe} ${arg_OPTIONS} -o "${out}" --depfile "${depfile}" ${bibs}
      DEPENDS ${bibs} ${exe}
      DEPFILE "${depfile}"
      COMMENT "pubrender: ${arg_OUTPUT}"
      VERBATIM)
    cmake_policy(POP)
  else()
    add_custom_command(OUTPUT "${out}"
      COMMAND ${exe} ${arg_OPTIONS} -o "${out}" ${bibs}
      DEPENDS ${bibs} ${exe}
      COMMENT "pubrender: ${arg_OUTPUT}"
      VERBATIM)
  endif()
  set(all "")
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${target} ${all} DEPENDS "${out}")
endfunction()
