# Turns the manifest (manifest/chapter*.json) into the build. One rule, for
# every chapter (docs/build.md draws it):
#
#   A file of exercise chN.exNN comes from solutions/ when it is one of the
#   exercise's `edit` files and this is the reference build; from chapters/
#   otherwise. Given code (`given`) exists once, in chapters/.
#
#   Every translation unit of one build sees the same headers: chapters/ (with
#   the reference's `edit` headers laid over it in the reference build). So a
#   member you add to a class in a header changes the reference code compiled
#   against it too, and ninja's header dependencies recompile what includes it.
#
# Per exercise `chN.exNN` (key chN_exNN) with folder <chapter-slug>/exNN-<slug>/:
#   kata_given_chN_exNN   its given .cpp files            (OBJECT, compiled once)
#   kata_ref_chN_exNN     the reference of its edit .cpp  (OBJECT, from solutions/)
#   chN_exNN              the test binary: test + given + this build's edit files
#                         + the reference of every exercise it `uses`
#   stub_chN_exNN         the same from chapters/ (self-test builds only)
# Named libraries (`libraries` in a chapter's manifest, e.g. kata_node_runtime)
# bundle the given + reference objects of a list of exercises, for the
# chapters and helper programs that build on them.

set(KATA_EXERCISES "" CACHE INTERNAL "")

function(kata_json_list out json)
  # A JSON array of strings → CMake list (empty when the member is absent).
  set(result "")
  string(JSON n ERROR_VARIABLE err LENGTH "${json}" ${ARGN})
  if(NOT err)
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON item GET "${json}" ${ARGN} ${i})
        list(APPEND result "${item}")
      endforeach()
    endif()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(kata_key out dotted)  # ch3.ex02 → ch3_ex02, checked against the manifest
  string(REPLACE "." "_" key "${dotted}")
  if(NOT DEFINED KATA_${key}_PATH)
    message(FATAL_ERROR "manifest: '${dotted}' is not an exercise in the manifest")
  endif()
  set(${out} ${key} PARENT_SCOPE)
endfunction()

# Exercise code reuses kata_pch's precompiled standard headers (harness/CMakeLists.txt).
function(kata_use_pch target)
  if(TARGET kata_pch)
    target_precompile_headers(${target} REUSE_FROM kata_pch)
  endif()
endfunction()

# Include directories of exercise `key` in a build of `tree`: its chapters/
# folder, with solutions/ first when the reference build has edit headers there.
function(kata_include_dirs out tree key)
  set(dirs "")
  if(tree STREQUAL "solutions" AND KATA_${key}_EDIT_HEADERS)
    list(APPEND dirs "${CMAKE_SOURCE_DIR}/solutions/${KATA_${key}_PATH}")
  endif()
  list(APPEND dirs "${CMAKE_SOURCE_DIR}/chapters/${KATA_${key}_PATH}")
  if(KATA_${key}_SUPPORT)
    list(APPEND dirs "${KATA_${key}_SUPPORT}")
  endif()
  set(${out} "${dirs}" PARENT_SCOPE)
endfunction()

# Include directories for code of `key`: its own and those of what it uses.
function(kata_context_dirs out tree key)
  kata_include_dirs(dirs ${tree} ${key})
  foreach(dep IN LISTS KATA_${key}_USES)
    kata_key(dep_key ${dep})
    kata_include_dirs(dep_dirs ${tree} ${dep_key})
    list(APPEND dirs ${dep_dirs})
  endforeach()
  set(${out} "${dirs}" PARENT_SCOPE)
endfunction()

# The edit .cpp files of `key` from `tree`, as absolute paths.
function(kata_edit_sources out tree key)
  set(result "")
  foreach(f IN LISTS KATA_${key}_EDIT_SOURCES)
    list(APPEND result "${CMAKE_SOURCE_DIR}/${tree}/${KATA_${key}_PATH}/${f}")
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# kata_given_<key> and kata_ref_<key>: compiled once per build, in this build's
# header context (the reference build's headers are KATA_SOURCE's).
function(kata_exercise_objects key)
  kata_context_dirs(dirs ${KATA_SOURCE} ${key})
  if(KATA_${key}_GIVEN_SOURCES)
    set(sources "")
    foreach(f IN LISTS KATA_${key}_GIVEN_SOURCES)
      list(APPEND sources "${CMAKE_SOURCE_DIR}/chapters/${KATA_${key}_PATH}/${f}")
    endforeach()
    add_library(kata_given_${key} OBJECT ${sources})
    target_include_directories(kata_given_${key} PRIVATE ${dirs})
    target_link_libraries(kata_given_${key} PRIVATE kata_support ${KATA_${key}_LINK})
    kata_use_pch(kata_given_${key})
  endif()
  if(KATA_${key}_PROBE AND NOT KATA_${key}_EDIT_HEADERS)
    add_library(kata_probe_${key} OBJECT ${KATA_${key}_PROBE})
    target_include_directories(kata_probe_${key} PRIVATE ${dirs})
    target_link_libraries(kata_probe_${key} PRIVATE kata_harness ${KATA_${key}_LINK})
    kata_use_pch(kata_probe_${key})
  endif()
  if(KATA_${key}_EDIT_SOURCES)
    kata_edit_sources(sources solutions ${key})
    add_library(kata_ref_${key} OBJECT ${sources})
    target_include_directories(kata_ref_${key} PRIVATE ${dirs})
    target_link_libraries(kata_ref_${key} PRIVATE kata_support ${KATA_${key}_LINK})
    kata_use_pch(kata_ref_${key})
  endif()
endfunction()

# The given + reference objects of `key` (generator expressions; the object
# libraries may be defined later, see kata_add_all_exercises).
function(kata_reference_objects out key)
  set(objects "")
  if(KATA_${key}_GIVEN_SOURCES)
    list(APPEND objects $<TARGET_OBJECTS:kata_given_${key}>)
  endif()
  if(KATA_${key}_EDIT_SOURCES)
    list(APPEND objects $<TARGET_OBJECTS:kata_ref_${key}>)
  endif()
  set(${out} "${objects}" PARENT_SCOPE)
endfunction()

# One test binary of exercise `key` built from `tree` (chapters or solutions).
# COMPILE_OWN as 4th argument compiles the exercise's own files (given and
# edit) into the binary instead of taking the shared objects, so compile
# definitions given to the target reach them (harness.poll2.*).
function(kata_exercise_target target tree key)
  set(sources "${KATA_${key}_TEST}")
  set(objects "")
  kata_probe_objects(probe ${key})
  if("${ARGV3}" STREQUAL "COMPILE_OWN" OR NOT probe)
    list(APPEND sources ${KATA_${key}_PROBE})
  else()
    list(APPEND objects ${probe})
  endif()
  if("${ARGV3}" STREQUAL "COMPILE_OWN")
    foreach(f IN LISTS KATA_${key}_GIVEN_SOURCES)
      list(APPEND sources "${CMAKE_SOURCE_DIR}/chapters/${KATA_${key}_PATH}/${f}")
    endforeach()
    kata_edit_sources(own ${tree} ${key})
    list(APPEND sources ${own})
  else()
    if(KATA_${key}_GIVEN_SOURCES)
      list(APPEND objects $<TARGET_OBJECTS:kata_given_${key}>)
    endif()
    if(tree STREQUAL "solutions" AND KATA_${key}_EDIT_SOURCES)
      list(APPEND objects $<TARGET_OBJECTS:kata_ref_${key}>)
    else()
      kata_edit_sources(own ${tree} ${key})
      list(APPEND sources ${own})
    endif()
  endif()
  foreach(dep IN LISTS KATA_${key}_USES)
    kata_key(dep_key ${dep})
    if(KATA_CHAIN AND tree STREQUAL "chapters")
      # Your own earlier exercise instead of the reference one.
      if(KATA_${dep_key}_GIVEN_SOURCES)
        list(APPEND objects $<TARGET_OBJECTS:kata_given_${dep_key}>)
      endif()
      kata_edit_sources(dep_sources chapters ${dep_key})
      list(APPEND sources ${dep_sources})
    else()
      kata_reference_objects(dep_objects ${dep_key})
      list(APPEND objects ${dep_objects})
    endif()
  endforeach()
  kata_context_dirs(dirs ${tree} ${key})
  add_executable(${target} ${sources} ${objects})
  target_include_directories(${target} PRIVATE ${dirs})
  target_link_libraries(${target} PRIVATE kata_harness ${KATA_${key}_LINK})
  kata_use_pch(${target})
endfunction()

# The probe of `key` compiled once, shared by its test binary, its stub and
# probe_ref_<key>: an exercise whose headers are all given compiles it the
# same in every tree. One with an edit header (ch2.ex06) compiles it per
# target, against that target's header: `out` is empty then.
function(kata_probe_objects out key)
  if(KATA_${key}_PROBE AND NOT KATA_${key}_EDIT_HEADERS)
    set(${out} $<TARGET_OBJECTS:kata_probe_${key}> PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# probe_ref_<key>: the exercise's probe on the reference code (solutions/
# headers first), whatever KATA_SOURCE is — what the grader's hidden checks
# and `kata.py check --probe` compare a submission's probe with. Built on
# demand (`ninja probe_ref_ch3_ex02`), and by the self-test build.
function(kata_probe_reference key)
  if(NOT KATA_${key}_PROBE)
    return()
  endif()
  kata_reference_objects(objects ${key})
  kata_probe_objects(probe ${key})
  if(probe)
    list(APPEND objects ${probe})
    set(probe_source "")
  else()
    set(probe_source ${KATA_${key}_PROBE})
  endif()
  foreach(dep IN LISTS KATA_${key}_USES)
    kata_key(dep_key ${dep})
    kata_reference_objects(dep_objects ${dep_key})
    list(APPEND objects ${dep_objects})
  endforeach()
  kata_context_dirs(dirs solutions ${key})
  if(KATA_SELFTEST)
    add_executable(probe_ref_${key} ${probe_source} ${objects})
  else()
    add_executable(probe_ref_${key} EXCLUDE_FROM_ALL ${probe_source} ${objects})
  endif()
  target_include_directories(probe_ref_${key} PRIVATE ${dirs})
  target_link_libraries(probe_ref_${key} PRIVATE kata_harness ${KATA_${key}_LINK})
  kata_use_pch(probe_ref_${key})
endfunction()

# A named library from the manifest: the given + reference objects of its
# exercises, their headers as its interface.
function(kata_named_library name exercises link)
  set(objects "")
  set(dirs "")
  foreach(dotted IN LISTS exercises)
    kata_key(key ${dotted})
    kata_reference_objects(ex_objects ${key})
    list(APPEND objects ${ex_objects})
    kata_include_dirs(ex_dirs ${KATA_SOURCE} ${key})
    list(APPEND dirs ${ex_dirs})
  endforeach()
  add_library(${name} STATIC ${objects})
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  target_include_directories(${name} PUBLIC ${dirs})
  target_link_libraries(${name} PUBLIC kata_support ${link})
endfunction()

function(kata_add_all_exercises)
  file(GLOB manifests ${CMAKE_SOURCE_DIR}/manifest/chapter*.json)
  list(SORT manifests)
  set(all "")
  set(libraries "")
  # First pass: record every exercise (so "uses" may name any of them).
  foreach(m IN LISTS manifests)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${m})
    file(READ ${m} json)
    string(JSON chapter_num GET "${json}" chapter)
    string(JSON chapter_slug GET "${json}" slug)
    # A chapter's support folder: given plumbing outside the exercises (fast
    # queues and pools the lesson files use but need not explain).
    string(JSON support_dir ERROR_VARIABLE no_support GET "${json}" support)
    if(no_support)
      set(support "")
    else()
      set(support "${CMAKE_SOURCE_DIR}/chapters/${chapter_slug}/${support_dir}")
    endif()
    # A probe added later (git pull) must reach a configured build: ninja
    # re-checks this glob and reconfigures when the set of probes changes.
    file(GLOB_RECURSE chapter_probes CONFIGURE_DEPENDS
         "${CMAKE_SOURCE_DIR}/tests/${chapter_slug}/probes/*_probe.cpp")
    string(JSON n LENGTH "${json}" exercises)
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON ex GET "${json}" exercises ${i})
        string(JSON ex_id GET "${ex}" id)
        string(JSON ex_slug GET "${ex}" slug)
        string(JSON ex_test GET "${ex}" test)
        set(key "ch${chapter_num}_${ex_id}")
        set(path "${chapter_slug}/${ex_id}-${ex_slug}")
        kata_json_list(edit "${ex}" edit)
        kata_json_list(given "${ex}" given)
        kata_json_list(uses "${ex}" uses)
        kata_json_list(link "${ex}" link)
        foreach(f IN LISTS edit given)
          if(NOT EXISTS "${CMAKE_SOURCE_DIR}/chapters/${path}/${f}")
            message(FATAL_ERROR "manifest: ${key} lists chapters/${path}/${f}, which does not exist")
          endif()
        endforeach()
        foreach(f IN LISTS edit)
          if(NOT EXISTS "${CMAKE_SOURCE_DIR}/solutions/${path}/${f}")
            message(FATAL_ERROR "manifest: ${key} edits ${f}, but solutions/${path}/${f} does not exist")
          endif()
        endforeach()
        set(edit_sources ${edit})
        list(FILTER edit_sources INCLUDE REGEX "\\.cpp$")
        set(edit_headers ${edit})
        list(FILTER edit_headers EXCLUDE REGEX "\\.cpp$")
        set(given_sources ${given})
        list(FILTER given_sources INCLUDE REGEX "\\.cpp$")
        foreach(var PATH EDIT_SOURCES EDIT_HEADERS GIVEN_SOURCES USES LINK SUPPORT)
          string(TOLOWER "${var}" lower)
          set(value "${${lower}}")
          set(KATA_${key}_${var} "${value}")
          set(KATA_${key}_${var} "${value}" PARENT_SCOPE)
        endforeach()
        set(KATA_${key}_TEST "${CMAKE_SOURCE_DIR}/tests/${chapter_slug}/${ex_test}")
        set(KATA_${key}_TEST "${KATA_${key}_TEST}" PARENT_SCOPE)
        if(NOT EXISTS "${KATA_${key}_TEST}")
          message(FATAL_ERROR "manifest: ${key} names test ${KATA_${key}_TEST}, which does not exist")
        endif()
        # Its probe (kata/probe.hpp), if it has one: tests/<chapter>/probes/<test>_probe.cpp.
        string(REGEX REPLACE "_test\\.cpp$" "_probe.cpp" probe_name "${ex_test}")
        set(probe "${CMAKE_SOURCE_DIR}/tests/${chapter_slug}/probes/${probe_name}")
        if(NOT EXISTS "${probe}")
          set(probe "")
        endif()
        set(KATA_${key}_PROBE "${probe}")
        set(KATA_${key}_PROBE "${probe}" PARENT_SCOPE)
        set(KATA_${key}_CHAPTER "${chapter_num}")
        set(KATA_${key}_ID "${ex_id}")
        list(APPEND all ${key})
      endforeach()
    endif()
    # Named libraries of this chapter.
    string(JSON nlib ERROR_VARIABLE no_libs LENGTH "${json}" libraries)
    if(NOT no_libs AND nlib GREATER 0)
      math(EXPR last "${nlib} - 1")
      foreach(i RANGE ${last})
        string(JSON lib GET "${json}" libraries ${i})
        string(JSON lib_name GET "${lib}" name)
        kata_json_list(lib_exercises "${lib}" exercises)
        kata_json_list(lib_link "${lib}" link)
        set(KATA_LIB_${lib_name}_EXERCISES "${lib_exercises}")
        set(KATA_LIB_${lib_name}_LINK "${lib_link}")
        list(APPEND libraries ${lib_name})
      endforeach()
    endif()
  endforeach()
  # Second pass: test binaries, then the objects they share, then named
  # libraries. In this order on purpose: ninja (1.11) starts the ready
  # compiles in the order build.ninja lists them, so after a header edit an
  # exercise's test file — its longest compile — starts first, and the shared
  # objects (loop.cpp, run.cpp, ...) fill the other core meanwhile.
  foreach(key IN LISTS all)
    set(chapter_num ${KATA_${key}_CHAPTER})
    set(ex_id ${KATA_${key}_ID})
    kata_exercise_target(${key} ${KATA_SOURCE} ${key})
    # Pristine grading lists and runs the tests itself (KATA_DISCOVER_TESTS
    # OFF, tools/katalib/grading/runner.py): discovery runs a submission's
    # code while the build tree is writable.
    if(KATA_DISCOVER_TESTS)
      gtest_discover_tests(${key}
        TEST_PREFIX "chapter${chapter_num}.${ex_id}."
        PROPERTIES LABELS "chapter${chapter_num};ch${chapter_num}.${ex_id}" TIMEOUT 30
        DISCOVERY_TIMEOUT 20)
    endif()
    if(KATA_SELFTEST)
      kata_exercise_target(stub_${key} chapters ${key})
    endif()
  endforeach()
  foreach(key IN LISTS all)
    kata_exercise_objects(${key})
    kata_probe_reference(${key})
  endforeach()
  foreach(name IN LISTS libraries)
    kata_named_library(${name} "${KATA_LIB_${name}_EXERCISES}" "${KATA_LIB_${name}_LINK}")
  endforeach()
  set(KATA_EXERCISES "${all}" CACHE INTERNAL "")
endfunction()
