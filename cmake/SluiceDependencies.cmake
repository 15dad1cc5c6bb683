# Every dependency comes from Debian's packages (scripts/setup installs them), found through the
# package's own CMake config file where it ships one and pkg-config otherwise.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(RapidJSON CONFIG REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
if(SLUICE_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)
endif()
find_package(zstd CONFIG REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)

pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
# The REST API's HTTP server (and the tests' HTTP client): docs/rest-api.md says why this one.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# Debian's RapidJSON config sets variables only; give it a target like the others.
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RAPIDJSON_INCLUDE_DIRS}"
    INTERFACE_COMPILE_DEFINITIONS "RAPIDJSON_HAS_STDSTRING=1")
endif()
# RapidJSON's SIMD string scan (RAPIDJSON_SSE2/NEON) stays off: 1.1.0's SSE2 loop tests for
# control characters against 0x19, so 0x1A-0x1F in a string of 16 bytes or more went out raw,
# invalid JSON in the topic (JsonConverter.ControlCharactersAreEscapedInLongStrings). Without it a
# change event costs the same CPU (json_converter_benchmark: 184-196 ns against 195-207 with it,
# the converter's memo splices most of each event), so there is nothing to win back.
