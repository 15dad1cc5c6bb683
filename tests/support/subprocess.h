#ifndef SLUICE_TESTS_SUPPORT_SUBPROCESS_H_
#define SLUICE_TESTS_SUPPORT_SUBPROCESS_H_

// A child process for tests that must kill or signal what they run (a worker under kill -9).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace sluice::testing {

class Subprocess {
 public:
  // Starts `argv` with stdout and stderr appended to `log_path`.
  Subprocess(const std::vector<std::string>& argv, const std::string& log_path);
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // Kills the child (SIGKILL) if it still runs, and reaps it.
  ~Subprocess();

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  void Signal(int signal_number);
  // The exit code, or 128 + signal for a child killed by a signal; nullopt when it did not end
  // within `timeout`.
  std::optional<int> Wait(absl::Duration timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// The whole file, for a failure message.
std::string ReadFileForMessage(const std::string& path);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_SUBPROCESS_H_
