# Warnings as errors on our own code only (third-party headers are SYSTEM includes).
function(fmn_target_defaults target)
  # -Wno-restrict: GCC 12 reports false positives in std::string concatenation at -O3 (GCC PR105329).
  # -Wno-missing-field-initializers: our aggregates have default member initialisers, and GCC 12
  # warns even for designated initialisers that rely on them.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-restrict
                                            -Wno-missing-field-initializers -msse4.2)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# fmn_embed_file(<target> <file> <symbol>): compiles <file> into <target> as
# `std::string_view <symbol>()` in namespace fmn::embedded, so binaries need no data files.
function(fmn_embed_file target file symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()

# fmn_add_test(<name> SOURCES <files...> LIBS <libs...> [LABELS <labels...>])
# A GoogleTest executable registered with CTest; LABELS default to "unit". Executables labelled
# "concurrency" (threads sharing state) are also built by the target concurrency_tests, which
# the ThreadSanitizer job of scripts/test builds and runs alone.
# Tests find the project's data under FMN_SOURCE_DIR and executables under FMN_BIN_DIR.
function(fmn_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  add_executable(${name} ${T_SOURCES})
  fmn_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    FMN_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FMN_BINARY_DIR="${PROJECT_BINARY_DIR}"
    FMN_BIN_DIR="${PROJECT_BINARY_DIR}/bin"
    FMN_CORPUS_DIR="${PROJECT_SOURCE_DIR}/corpus"
    FMN_DATA_DIR="${PROJECT_SOURCE_DIR}/data")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  # Labels are set once the discovered tests are known (gtest_discover_tests' own PROPERTIES
  # would split a list of labels): ${name}_TESTS lists them, in a file CTest reads after.
  set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
  file(WRITE ${labels_file}
    "if(${name}_TESTS)\n  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${T_LABELS}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
  if("concurrency" IN_LIST T_LABELS)
    add_dependencies(concurrency_tests ${name})
  endif()
endfunction()
