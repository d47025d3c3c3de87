# Every dependency is a Debian bookworm package (see scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(TBB REQUIRED)
find_package(cppzmq REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(simdjson REQUIRED)
find_package(pegtl 3.2 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(benchmark REQUIRED)
find_package(GTest REQUIRED)
find_package(LLVM 14 REQUIRED CONFIG)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# rabbitmq-c: the AMQP 0-9-1 client for the fedora-messaging source (bus/amqp_source.h)
pkg_check_modules(RABBITMQ REQUIRED IMPORTED_TARGET librabbitmq)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
# Howard Hinnant's date/tz (C++20's std::chrono time zones before libstdc++ 14 has them), built
# by Debian on the system's tz database (USE_OS_TZDB): local times of day for digests and quiet
# hours (core/delivery_window.h).
find_package(date REQUIRED CONFIG)

# RapidJSON's config only sets variables; wrap it in a target.
add_library(fmn_rapidjson INTERFACE)
target_include_directories(fmn_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
target_compile_definitions(fmn_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1 RAPIDJSON_SSE42=1)

# jemalloc, the allocator of the service and the benches: notifications are allocated on the
# graph's threads and freed on the sinks', which glibc's per-thread arenas turn into
# fragmentation (RSS) and lock traffic. Sanitizer builds keep their runtime's allocator.
option(FMN_JEMALLOC "Link jemalloc into fmn-pipeline and fmn-bench" ON)
if(FMN_JEMALLOC AND NOT FMN_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
