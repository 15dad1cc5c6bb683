#ifndef SLUICE_TESTS_BENCH_PROCESS_USAGE_H_
#define SLUICE_TESTS_BENCH_PROCESS_USAGE_H_

// What a benchmark program reports about its own process (CPU time, its threads', and memory), and
// about the machine around it over its timed part: other processes' CPU time (the broker's, the
// database's) and the whole machine's busy CPU time, so that "the machine was full" is a figure.

#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

// The CPU time so far, user + system, in seconds, of the process or thread whose stat file is at
// `path` (/proc/<pid>/stat: all its threads; /proc/<pid>/task/<tid>/stat: one); -1 if it is gone or
// unreadable. `name`, if given, receives its name. Clock ticks: 10 ms resolution.
inline double StatCpuSeconds(const std::string& path, std::string* name = nullptr) {
  std::ifstream stat_file(path);
  std::string line;
  if (!std::getline(stat_file, line)) return -1;
  // The name (field 2, in parentheses) may hold spaces; utime and stime are the 12th and 13th
  // fields after its closing parenthesis.
  const size_t open = line.find('('), close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return -1;
  if (name != nullptr) *name = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  double ticks = 0;
  for (int i = 1; i <= 13 && rest >> field; ++i) {
    if (i >= 12) {
      double value = 0;
      if (!absl::SimpleAtod(field, &value)) return -1;
      ticks += value;
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline double ProcessCpuSeconds(pid_t pid) {
  return StatCpuSeconds(absl::StrCat("/proc/", pid, "/stat"));
}

// This process's threads: tid -> (name, CPU seconds so far).
inline std::map<long, std::pair<std::string, double>> OwnThreadsCpuSeconds() {
  std::map<long, std::pair<std::string, double>> threads;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", error)) {
    long tid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &tid)) continue;
    std::string name;
    const double seconds = StatCpuSeconds(entry.path().string() + "/stat", &name);
    if (seconds >= 0) threads[tid] = {name, seconds};  // else it ended since the listing
  }
  return threads;
}

// The machine's CPU time so far from /proc/stat's first line, summed over all cores, in seconds:
// busy (user, nice, system, irq, softirq, steal) and all (busy + idle + iowait).
struct MachineCpu {
  double busy_seconds = 0;
  double all_seconds = 0;
};
inline MachineCpu MachineCpuSeconds() {
  std::ifstream stat_file("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat_file >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double busy = user + nice + system + irq + softirq + steal;
  return {busy / ticks, (busy + idle + iowait) / ticks};
}

// Other processes' CPU time, this process's threads' and the machine's over one timed window:
// Start() before it, Stop() after, then Json(). Not thread-safe; one window per object.
class MachineWindow {
 public:
  // `spec` is NAME=PID (a command line's --observe value); false if it is not.
  bool Observe(absl::string_view spec) {
    const size_t equals = spec.find('=');
    int pid = 0;
    if (equals == absl::string_view::npos || equals == 0 ||
        !absl::SimpleAtoi(spec.substr(equals + 1), &pid) || pid <= 0) {
      return false;
    }
    observed_.push_back({std::string(spec.substr(0, equals)), pid, 0, 0});
    return true;
  }

  void Start() {
    threads_start_ = OwnThreadsCpuSeconds();
    for (Observed& o : observed_) o.start = ProcessCpuSeconds(o.pid);
    start_ = MachineCpuSeconds();
  }

  void Stop() {
    stop_ = MachineCpuSeconds();
    for (Observed& o : observed_) o.stop = ProcessCpuSeconds(o.pid);
    threads_stop_ = OwnThreadsCpuSeconds();
  }

  // The window's figures as JSON members to append inside an object (a leading comma):
  // "observed_cpu_seconds":{NAME:seconds,...} (-1 for a process gone or unreadable),
  // "machine_busy_cpu_seconds" and "machine_cpu_seconds" (all cores' time, busy or not), and
  // "own_threads":[{"tid","name","cpu_seconds"}...] (this process's threads alive at the end; one
  // started in the window counts from zero), so that its busiest thread's pace is a figure.
  std::string Json() const {
    std::string json = ",\"observed_cpu_seconds\":{";
    for (const Observed& o : observed_) {
      const double seconds = o.start < 0 || o.stop < 0 ? -1 : o.stop - o.start;
      absl::StrAppend(&json, &o == &observed_.front() ? "" : ",", "\"", o.name, "\":", seconds);
    }
    absl::StrAppend(
        &json, "},\"machine_busy_cpu_seconds\":", stop_.busy_seconds - start_.busy_seconds,
        ",\"machine_cpu_seconds\":", stop_.all_seconds - start_.all_seconds, ",\"own_threads\":[");
    for (const auto& [tid, stopped] : threads_stop_) {
      const auto started = threads_start_.find(tid);
      const double seconds =
          stopped.second - (started == threads_start_.end() ? 0 : started->second.second);
      absl::StrAppend(&json, tid == threads_stop_.begin()->first ? "" : ",", "{\"tid\":", tid,
                      ",\"name\":\"", stopped.first, "\",\"cpu_seconds\":", seconds, "}");
    }
    absl::StrAppend(&json, "]");
    return json;
  }

 private:
  struct Observed {
    std::string name;
    pid_t pid;
    double start;
    double stop;
  };
  std::vector<Observed> observed_;
  MachineCpu start_;
  MachineCpu stop_;
  std::map<long, std::pair<std::string, double>> threads_start_;
  std::map<long, std::pair<std::string, double>> threads_stop_;
};

}  // namespace sluice::bench

#endif  // SLUICE_TESTS_BENCH_PROCESS_USAGE_H_
