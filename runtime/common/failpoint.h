// Test-only failpoints: named places in the runtime where a fault test may make the worker die at
// a precise moment (between a record's acknowledgement and its offset's commit, say), which a
// kill -9 from outside hits only by luck. Compiled into every build and inert unless the
// environment variable SLUICE_FAILPOINTS names them when the process starts:
//
//   SLUICE_FAILPOINTS=offset_commit.before_write=kill@3,offset_commit.after_write=kill
//
// Each entry is `name=action[@N]`: the action runs at the N-th time the process passes the
// failpoint (the first when @N is left out), once. Actions:
//   kill       write "failpoint <name> fired" to stderr, then SIGKILL the process (a kill -9 at
//              exactly that point: no destructor, flush or atexit handler runs)
//   sleep:MS   sleep MS milliseconds on the calling thread, then go on (a slow moment made wide)
//   stop       write "failpoint <name> fired" to stderr, then SIGSTOP the process: it is frozen at
//              exactly that point until the test sends SIGCONT (a zombie woken mid-write)
//   fail[:K]   the N-th pass and the K-1 after it (K: 1 when left out) fail: only where the code
//              asks SLUICE_FAILPOINT_FAILS(name), which then returns true and the caller returns an
//              error as if the operation there had failed (a read of a broker that answered
//              nothing); "failpoint <name> failed a pass" goes to stderr each time
// An entry that does not parse is reported on stderr once and ignored.
//
// Adding one: call SLUICE_FAILPOINT("area.moment") where the moment is (or, for `fail`,
// `if (SLUICE_FAILPOINT_FAILS("area.moment")) return <the error>;`), name it in the table in
// docs/fault-suite.md, and arm it from a test through the environment (tests/fault). Cost when
// unarmed: one load and compare of a function-local static per pass; keep them off per-record
// paths anyway.
//
// Thread-safe: the table is parsed once (C++ static initialisation) and only counters change.
#ifndef SLUICE_RUNTIME_COMMON_FAILPOINT_H_
#define SLUICE_RUNTIME_COMMON_FAILPOINT_H_

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sluice::failpoint {

struct Armed {
  std::string name;
  enum class Action { kKill, kSleep, kStop, kFail } action = Action::kKill;
  int64_t sleep_ms = 0;
  int64_t fail_passes = 1;  // kFail: how many passes fail, from fire_at on
  int64_t fire_at = 1;      // the pass that fires (1-based)
  std::atomic<int64_t> passes{0};
};

// Parses SLUICE_FAILPOINTS' syntax; an entry that does not parse is left out and named on stderr.
inline std::vector<std::unique_ptr<Armed>> ParseFailpoints(std::string_view spec) {
  std::vector<std::unique_ptr<Armed>> out;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    std::string_view entry = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    if (entry.empty()) continue;
    auto armed = std::make_unique<Armed>();
    const size_t eq = entry.find('=');
    std::string_view action = eq == std::string_view::npos ? "" : entry.substr(eq + 1);
    armed->name = std::string(entry.substr(0, eq));
    bool ok = !armed->name.empty();
    if (const size_t at = action.find('@'); at != std::string_view::npos) {
      const std::string count(action.substr(at + 1));
      char* end = nullptr;
      armed->fire_at = std::strtoll(count.c_str(), &end, 10);
      ok = ok && !count.empty() && *end == '\0' && armed->fire_at >= 1;
      action = action.substr(0, at);
    }
    if (action == "kill") {
      armed->action = Armed::Action::kKill;
    } else if (action == "stop") {
      armed->action = Armed::Action::kStop;
    } else if (action == "fail" || action.substr(0, 5) == "fail:") {
      armed->action = Armed::Action::kFail;
      if (action.size() > 4) {
        const std::string passes(action.substr(5));
        char* end = nullptr;
        armed->fail_passes = std::strtoll(passes.c_str(), &end, 10);
        ok = ok && !passes.empty() && *end == '\0' && armed->fail_passes >= 1;
      }
    } else if (action.substr(0, 6) == "sleep:") {
      const std::string ms(action.substr(6));
      char* end = nullptr;
      armed->sleep_ms = std::strtoll(ms.c_str(), &end, 10);
      armed->action = Armed::Action::kSleep;
      ok = ok && !ms.empty() && *end == '\0' && armed->sleep_ms >= 0;
    } else {
      ok = false;
    }
    if (!ok) {
      const std::string message = "SLUICE_FAILPOINTS: ignoring `" + std::string(entry) +
                                  "` (expected name=kill[@N], name=stop[@N], name=sleep:MS[@N] or "
                                  "name=fail[:K][@N])\n";
      (void)!write(STDERR_FILENO, message.data(), message.size());
      continue;
    }
    out.push_back(std::move(armed));
  }
  return out;
}

inline const std::vector<std::unique_ptr<Armed>>& ArmedFailpoints() {
  static const std::vector<std::unique_ptr<Armed>> armed = [] {
    const char* spec = std::getenv("SLUICE_FAILPOINTS");
    return ParseFailpoints(spec != nullptr ? spec : "");
  }();
  return armed;
}

// Runs the action of `name` in `table` when it is armed there and this is the pass it fires at.
inline void PassIn(const std::vector<std::unique_ptr<Armed>>& table, std::string_view name) {
  for (const std::unique_ptr<Armed>& armed : table) {
    if (armed->name != name || armed->action == Armed::Action::kFail) continue;
    if (armed->passes.fetch_add(1, std::memory_order_relaxed) + 1 != armed->fire_at) continue;
    if (armed->action == Armed::Action::kSleep) {
      std::this_thread::sleep_for(std::chrono::milliseconds(armed->sleep_ms));
      continue;
    }
    const std::string message = "failpoint " + armed->name + " fired\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    kill(getpid(), armed->action == Armed::Action::kStop ? SIGSTOP : SIGKILL);
  }
}

// Whether this pass of `name` fails (armed `fail` in `table`, and the pass within its count).
inline bool FailsIn(const std::vector<std::unique_ptr<Armed>>& table, std::string_view name) {
  for (const std::unique_ptr<Armed>& armed : table) {
    if (armed->name != name || armed->action != Armed::Action::kFail) continue;
    const int64_t pass = armed->passes.fetch_add(1, std::memory_order_relaxed) + 1;
    if (pass < armed->fire_at || pass >= armed->fire_at + armed->fail_passes) continue;
    const std::string message = "failpoint " + armed->name + " failed a pass\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    return true;
  }
  return false;
}

// The failpoint `name` as SLUICE_FAILPOINTS armed it at start (nothing when unarmed).
inline void Pass(std::string_view name) { PassIn(ArmedFailpoints(), name); }
inline bool Fails(std::string_view name) { return FailsIn(ArmedFailpoints(), name); }

}  // namespace sluice::failpoint

#define SLUICE_FAILPOINT(name) ::sluice::failpoint::Pass(name)
#define SLUICE_FAILPOINT_FAILS(name) ::sluice::failpoint::Fails(name)

#endif  // SLUICE_RUNTIME_COMMON_FAILPOINT_H_
