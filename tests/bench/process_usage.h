#ifndef SLUICE_TESTS_BENCH_PROCESS_USAGE_H_
#define SLUICE_TESTS_BENCH_PROCESS_USAGE_H_

// What a benchmark program reports about its own process: CPU time and memory.

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace sluice::bench {

// This process's CPU time so far, user + system, in seconds.
inline double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A field of /proc/self/status in kB, e.g. "VmRSS:" (now) or "VmHWM:" (the peak); 0 if absent.
// The peak is VmHWM, not getrusage's ru_maxrss, which on Linux carries the peak of the process that
// exec'd this one (a Python driver's).
inline long StatusKb(absl::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, field)) {
      return std::strtol(line.c_str() + field.size(), nullptr, 10);
    }
  }
  return 0;
}

}  // namespace sluice::bench

#endif  // SLUICE_TESTS_BENCH_PROCESS_USAGE_H_
