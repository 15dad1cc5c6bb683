include(GoogleTest)

# Where the test services listen. The same variables drive scripts/services/*, so the fixtures
# below and the tests they serve always agree.
set(SLUICE_CACHE_DIR "${PROJECT_SOURCE_DIR}/.cache" CACHE PATH "Ignored folder for downloads and service data")
set(SLUICE_TEST_KAFKA_PORT 19092 CACHE STRING "Loopback port of the test Kafka broker")
set(SLUICE_TEST_MARIADB_PORT 13306 CACHE STRING "Loopback port of the test MariaDB server")
set(SLUICE_TEST_MARIADB_SCRATCH_PORT 13307 CACHE STRING
  "Loopback port of a second MariaDB, without TLS, whose global settings tests may change")
set(SLUICE_TEST_MYSQL_PORT 13316 CACHE STRING "Loopback port of the test MySQL 9.7 server")
math(EXPR kafka_scratch_default "${SLUICE_TEST_KAFKA_PORT} + 2")
set(SLUICE_TEST_KAFKA_SCRATCH_PORT ${kafka_scratch_default} CACHE STRING
  "Loopback port of a second Kafka broker that fault tests kill and restart (and the next port, its controller's)")

set(SLUICE_TEST_ENVIRONMENT
  "SLUICE_CACHE=${SLUICE_CACHE_DIR}"
  "KAFKA_PORT=${SLUICE_TEST_KAFKA_PORT}"
  "MARIADB_PORT=${SLUICE_TEST_MARIADB_PORT}"
  "MARIADB_SCRATCH_PORT=${SLUICE_TEST_MARIADB_SCRATCH_PORT}"
  "MYSQL_PORT=${SLUICE_TEST_MYSQL_PORT}"
  "KAFKA_SCRATCH_PORT=${SLUICE_TEST_KAFKA_SCRATCH_PORT}"
  "SLUICE_KAFKA_BOOTSTRAP=127.0.0.1:${SLUICE_TEST_KAFKA_PORT}"
  "SLUICE_MARIADB_HOST=127.0.0.1"
  "SLUICE_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "SLUICE_BINARY_DIR=${PROJECT_BINARY_DIR}")

# sluice_service_fixture(FIXTURE SERVICE START_TIMEOUT [ENV...]): the CTest fixture FIXTURE, which
# starts scripts/services/SERVICE before the first test that names it and stops it after the
# last, with the test environment plus ENV (later entries win).
function(sluice_service_fixture fixture service start_timeout)
  set(environment ${SLUICE_TEST_ENVIRONMENT} ${ARGN})
  add_test(NAME service.${fixture}.start COMMAND "${PROJECT_SOURCE_DIR}/scripts/services/${service}" start)
  add_test(NAME service.${fixture}.stop COMMAND "${PROJECT_SOURCE_DIR}/scripts/services/${service}" stop)
  set_tests_properties(service.${fixture}.start PROPERTIES
    FIXTURES_SETUP ${fixture} ENVIRONMENT "${environment}" TIMEOUT ${start_timeout} LABELS service)
  set_tests_properties(service.${fixture}.stop PROPERTIES
    FIXTURES_CLEANUP ${fixture} ENVIRONMENT "${environment}" TIMEOUT 120 LABELS service)
endfunction()

# CTest fixtures: a test that names `kafka`, `mariadb` or `mysql` in FIXTURES gets the service
# started before it and stopped after the last test that needs it, so `ctest` alone works on a
# built tree. MySQL's first start on a machine makes its Debian sid root (a few minutes).
foreach(service kafka mariadb mysql)
  sluice_service_fixture(${service} ${service} 600)
endforeach()

# `mariadb_scratch`: a second server, plaintext only, for tests that change global settings
# (which would disturb every other test on the shared server) or need a server without TLS.
sluice_service_fixture(mariadb_scratch mariadb 180
  "MARIADB_PORT=${SLUICE_TEST_MARIADB_SCRATCH_PORT}" "MARIADB_TLS=0")

# `kafka_scratch`: a second broker for fault tests that kill it and start it again on its data
# (scripts/services/kafka restart); restarting the shared one would break the tests running
# beside. Its users hold RESOURCE_LOCK kafka_scratch.
sluice_service_fixture(kafka_scratch kafka 180 "KAFKA_PORT=${SLUICE_TEST_KAFKA_SCRATCH_PORT}")

# sluice_add_gtest(NAME name SOURCES ... LIBS ... LABELS unit|integration|fault
#                  [FIXTURES kafka mariadb mysql] [TIMEOUT seconds])
# One GoogleTest binary, registered as one CTest test: integration cases share their services and
# are cheaper in one process. Every test gets SLUICE_TEST_ENVIRONMENT.
function(sluice_add_gtest)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;FIXTURES" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest GTest::gtest_main)
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} --gtest_color=no)
  set_tests_properties(${ARG_NAME} PROPERTIES
    LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${SLUICE_TEST_ENVIRONMENT}")
  if(ARG_FIXTURES)
    set_tests_properties(${ARG_NAME} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
endfunction()
