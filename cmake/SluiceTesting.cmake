include(GoogleTest)

# Where the test services listen. The same variables drive scripts/services/*, so the fixtures
# below and the tests they serve always agree.
set(SLUICE_CACHE_DIR "${PROJECT_SOURCE_DIR}/.cache" CACHE PATH "Ignored folder for downloads and service data")
set(SLUICE_TEST_KAFKA_PORT 19092 CACHE STRING "Loopback port of the test Kafka broker")
set(SLUICE_TEST_MARIADB_PORT 13306 CACHE STRING "Loopback port of the test MariaDB server")
set(SLUICE_TEST_MARIADB_SCRATCH_PORT 13307 CACHE STRING
  "Loopback port of a second MariaDB, without TLS, whose global settings tests may change")
set(SLUICE_TEST_MYSQL_PORT 13316 CACHE STRING "Loopback port of the test MySQL 9.7 server")
# The next port by default, so a tree configured with its own MySQL port gets its own scratch one.
math(EXPR default_mysql_scratch_port "${SLUICE_TEST_MYSQL_PORT} + 1")
set(SLUICE_TEST_MYSQL_SCRATCH_PORT ${default_mysql_scratch_port} CACHE STRING
  "Loopback port of a second MySQL 9.7, which tests may restart")
math(EXPR kafka_scratch_default "${SLUICE_TEST_KAFKA_PORT} + 2")
set(SLUICE_TEST_KAFKA_SCRATCH_PORT ${kafka_scratch_default} CACHE STRING
  "Loopback port of a second Kafka broker that fault tests kill and restart (and the next port, its controller's)")

set(SLUICE_TEST_ENVIRONMENT
  "SLUICE_CACHE=${SLUICE_CACHE_DIR}"
  "KAFKA_PORT=${SLUICE_TEST_KAFKA_PORT}"
  "MARIADB_PORT=${SLUICE_TEST_MARIADB_PORT}"
  "MARIADB_SCRATCH_PORT=${SLUICE_TEST_MARIADB_SCRATCH_PORT}"
  "MYSQL_PORT=${SLUICE_TEST_MYSQL_PORT}"
  "MYSQL_SCRATCH_PORT=${SLUICE_TEST_MYSQL_SCRATCH_PORT}"
  "KAFKA_SCRATCH_PORT=${SLUICE_TEST_KAFKA_SCRATCH_PORT}"
  "SLUICE_KAFKA_BOOTSTRAP=127.0.0.1:${SLUICE_TEST_KAFKA_PORT}"
  "SLUICE_MARIADB_HOST=127.0.0.1"
  "SLUICE_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "SLUICE_BINARY_DIR=${PROJECT_BINARY_DIR}")

# CTest fixtures: a test that names `kafka`, `mariadb` or `mysql` in FIXTURES gets the service
# started before it and stopped after the last test that needs it, so `ctest` alone works on a
# built tree. MySQL's first start on a machine makes its Debian sid root (a few minutes).
# sluice_add_service_fixture(fixture script start-timeout [VAR=value...]): the fixture `fixture`
# runs scripts/services/<script> start|stop with the test environment and these settings added.
function(sluice_add_service_fixture name script start_timeout)
  set(environment ${SLUICE_TEST_ENVIRONMENT} ${ARGN})
  foreach(action start stop)
    add_test(NAME service.${name}.${action}
             COMMAND "${PROJECT_SOURCE_DIR}/scripts/services/${script}" ${action})
  endforeach()
  set_tests_properties(service.${name}.start PROPERTIES
    FIXTURES_SETUP ${name} ENVIRONMENT "${environment}" TIMEOUT ${start_timeout} LABELS service)
  set_tests_properties(service.${name}.stop PROPERTIES
    FIXTURES_CLEANUP ${name} ENVIRONMENT "${environment}" TIMEOUT 120 LABELS service)
endfunction()

foreach(service kafka mariadb mysql)
  sluice_add_service_fixture(${service} ${service} 600)
endforeach()
# `mariadb_scratch`: a second server, plaintext only, for tests that change global settings
# (which would disturb every other test on the shared server) or need a server without TLS.
sluice_add_service_fixture(mariadb_scratch mariadb 180
  "MARIADB_PORT=${SLUICE_TEST_MARIADB_SCRATCH_PORT}" "MARIADB_TLS=0")
# `mysql_scratch`: a second MySQL (TLS like the shared one), for tests that restart it; restarting
# the shared `mysql` would cut every MySQL test running beside them under `ctest -j`.
sluice_add_service_fixture(mysql_scratch mysql 600 "MYSQL_PORT=${SLUICE_TEST_MYSQL_SCRATCH_PORT}")
# `kafka_scratch`: a second broker for fault tests that kill it and start it again on its data
# (scripts/services/kafka restart); restarting the shared one would break the tests running
# beside. Its users hold RESOURCE_LOCK kafka_scratch.
sluice_add_service_fixture(kafka_scratch kafka 180 "KAFKA_PORT=${SLUICE_TEST_KAFKA_SCRATCH_PORT}")

# sluice_add_gtest(NAME name SOURCES ... LIBS ... LABELS unit|integration|fault
#                  [FIXTURES kafka mariadb mysql] [TIMEOUT seconds] [FILTER gtest-filter])
# One GoogleTest binary, registered as one CTest test: integration cases share their services and
# are cheaper in one process. Every test gets SLUICE_TEST_ENVIRONMENT. FILTER runs only the cases
# it matches (--gtest_filter), for a binary whose other cases sluice_add_gtest_run registers.
function(sluice_add_gtest)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT;FILTER" "SOURCES;LIBS;LABELS;FIXTURES" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest GTest::gtest_main)
  set(filter)
  if(ARG_FILTER)
    set(filter FILTER "${ARG_FILTER}")
  endif()
  set(timeout)
  if(ARG_TIMEOUT)
    set(timeout TIMEOUT ${ARG_TIMEOUT})
  endif()
  sluice_add_gtest_run(NAME ${ARG_NAME} TARGET ${ARG_NAME} LABELS ${ARG_LABELS}
    FIXTURES ${ARG_FIXTURES} ${timeout} ${filter})
endfunction()

# sluice_add_gtest_run(NAME name TARGET binary LABELS ... [FIXTURES ...] [TIMEOUT seconds]
#                      [FILTER gtest-filter])
# One more CTest test running (some of) the cases of a binary sluice_add_gtest built: e.g. a
# suite parameterised over servers, registered once per server with that server's fixtures, so
# each part needs only its own services and CTest reports each part's time.
function(sluice_add_gtest_run)
  cmake_parse_arguments(ARG "" "NAME;TARGET;TIMEOUT;FILTER" "LABELS;FIXTURES" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set(filter)
  if(ARG_FILTER)
    set(filter "--gtest_filter=${ARG_FILTER}")
  endif()
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_TARGET} --gtest_color=no ${filter})
  set_tests_properties(${ARG_NAME} PROPERTIES
    LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${SLUICE_TEST_ENVIRONMENT}")
  if(ARG_FIXTURES)
    set_tests_properties(${ARG_NAME} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
endfunction()
