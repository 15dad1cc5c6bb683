// Waiting in a test for something another thread makes true.
#ifndef SLUICE_TESTS_SUPPORT_EVENTUALLY_H_
#define SLUICE_TESTS_SUPPORT_EVENTUALLY_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sluice::testing {

// Polls `done` every `interval` until it holds (true) or `timeout` passes (false). Header-only, so
// unit tests use it without linking the integration tests' support library.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(10),
                absl::Duration interval = absl::Milliseconds(5)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(interval);
  }
  return true;
}

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_EVENTUALLY_H_
