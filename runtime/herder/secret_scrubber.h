// Replaces every secret value the worker has resolved with "********" in text bound for logs and
// statuses, so a plugin that echoes its password in an error still does not leak it.
//
// Threads: any; Add and Scrub take a lock.
#ifndef SLUICE_RUNTIME_HERDER_SECRET_SCRUBBER_H_
#define SLUICE_RUNTIME_HERDER_SECRET_SCRUBBER_H_

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/plugin/host_context.h"

namespace sluice::herder {

class SecretScrubber {
 public:
  // Values shorter than 4 bytes are not scrubbed: they would mangle ordinary text.
  void Add(const std::string& secret) {
    if (secret.size() < 4) return;
    absl::MutexLock lock(&mu_);
    secrets_.insert(secret);
  }
  std::string Scrub(absl::string_view text) const {
    absl::MutexLock lock(&mu_);
    std::string out(text);
    for (const std::string& s : secrets_) {
      if (out.find(s) != std::string::npos) out = absl::StrReplaceAll(out, {{s, "********"}});
    }
    return out;
  }

 private:
  mutable absl::Mutex mu_;
  std::set<std::string> secrets_ ABSL_GUARDED_BY(mu_);
};

// `log` with every message scrubbed by `scrubber` first: what the herder and its worker log to.
inline LogSink ScrubbingLogSink(std::shared_ptr<const SecretScrubber> scrubber,
                                        LogSink log) {
  return [scrubber = std::move(scrubber), log = std::move(log)](
             LogLevel level, std::string_view who, std::string_view message) {
    log(level, who, scrubber->Scrub(ToAbsl(message)));
  };
}

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_SECRET_SCRUBBER_H_
