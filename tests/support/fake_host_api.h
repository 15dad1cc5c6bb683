// A connector host's function table (sluice_host_api) for unit tests of connector code run
// without the worker: log lines are dropped, each schema made is a distinct address that is never
// freed, and progress reports are kept for the test to read. Every other entry is null.
// Header-only, so unit tests use it without linking the integration tests' support library.
//
// Thread: the test's (the table keeps what it is given without a lock).
#ifndef SLUICE_TESTS_SUPPORT_FAKE_HOST_API_H_
#define SLUICE_TESTS_SUPPORT_FAKE_HOST_API_H_

#include <memory>
#include <string>
#include <vector>

#include "sluice/connector.h"

namespace sluice::testing {

// The `position` of every task_progress_report made through FakeHostApi(), oldest first.
inline std::vector<std::string>& ReportedProgressPositions() {
  static std::vector<std::string> positions;
  return positions;
}

// The table, built once and kept for the process (hosts borrow it).
inline const sluice_host_api* FakeHostApi() {
  static const sluice_host_api api = [] {
    sluice_host_api table{};
    table.struct_size = sizeof table;
    table.log = [](sluice_ctx*, sluice_log_level, sluice_str) {};
    table.schema_create = [](sluice_ctx*, const sluice_schema_spec*,
                             const sluice_schema** out) -> sluice_status {
      static std::vector<std::unique_ptr<char>> schemas;
      schemas.push_back(std::make_unique<char>());
      *out = reinterpret_cast<const sluice_schema*>(schemas.back().get());
      return SLUICE_OK;
    };
    table.task_progress_report = [](sluice_ctx*,
                                    const sluice_task_progress* progress) -> sluice_status {
      ReportedProgressPositions().emplace_back(progress->position.ptr, progress->position.len);
      return SLUICE_OK;
    };
    return table;
  }();
  return &api;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_FAKE_HOST_API_H_
