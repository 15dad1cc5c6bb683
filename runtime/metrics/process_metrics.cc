#include "runtime/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace sluice::metrics {
namespace {

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Seconds since the epoch the machine booted (/proc/stat's btime), 0 when unknown.
double BootTime() {
  std::istringstream stat(ReadFile("/proc/stat"));
  std::string line;
  while (std::getline(stat, line)) {
    double t = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtod(line.substr(6), &t)) return t;
  }
  return 0;
}

}  // namespace

void AppendProcessMetrics(PrometheusText& out) {
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  // /proc/self/stat: the fields after the command's closing parenthesis, starting at field 3.
  const std::string stat = ReadFile("/proc/self/stat");
  const size_t close = stat.rfind(')');
  if (close != std::string::npos && ticks > 0) {
    std::vector<std::string> f = absl::StrSplit(stat.substr(close + 2), ' ');
    double utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
    // Field n of stat(5) is f[n - 3].
    if (f.size() > 21 && absl::SimpleAtod(f[11], &utime) && absl::SimpleAtod(f[12], &stime) &&
        absl::SimpleAtod(f[19], &start) && absl::SimpleAtod(f[20], &vsize) &&
        absl::SimpleAtod(f[21], &rss)) {
      out.Single("process_cpu_seconds_total", "counter",
                 "User and system CPU time the worker process has spent, in seconds.",
                 (utime + stime) / ticks);
      out.Single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                 rss * page);
      out.Single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", vsize);
      if (const double boot = BootTime(); boot > 0) {
        out.Single("process_start_time_seconds", "gauge",
                   "When the worker process started, in seconds since the epoch.",
                   boot + start / ticks);
      }
    }
  }
  if (DIR* dir = ::opendir("/proc/self/fd"); dir != nullptr) {
    int fds = 0;
    while (const dirent* e = ::readdir(dir)) {
      if (e->d_name[0] != '.') ++fds;
    }
    ::closedir(dir);
    out.Single("process_open_fds", "gauge", "Open file descriptors.", fds - 1);  // less opendir's
  }
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.Single("process_max_fds", "gauge", "The most file descriptors the process may open.",
               static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace sluice::metrics
