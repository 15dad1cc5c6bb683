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

# Debian's RapidJSON config sets variables only; give it a target like the others.
if(NOT TARGET RapidJSON::RapidJSON)
  add_library(RapidJSON::RapidJSON INTERFACE IMPORTED)
  set_target_properties(RapidJSON::RapidJSON PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RAPIDJSON_INCLUDE_DIRS}"
    INTERFACE_COMPILE_DEFINITIONS "RAPIDJSON_HAS_STDSTRING=1")
endif()
# RapidJSON's Writer copies a string's unescaped runs 16 bytes at a time with SIMD when told the
# CPU has it, else byte by byte (a third of the JSON converter's time on a change event, perf).
# Set on the target, whoever defined it, so every user of the headers sees the same definitions.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set_property(TARGET RapidJSON::RapidJSON APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS RAPIDJSON_SSE2)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set_property(TARGET RapidJSON::RapidJSON APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS RAPIDJSON_NEON)
endif()
