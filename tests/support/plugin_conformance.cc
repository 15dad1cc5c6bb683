#include "tests/support/plugin_conformance.h"

#include <atomic>
#include <thread>

#include "runtime/common/string_view_compat.h"
#include "runtime/data/record_batch.h"
#include "runtime/offsets/record_offsets.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/plugin_calls.h"

namespace sluice::plugin {
namespace {

absl::Status Fail(const Plugin& plugin, std::string_view check, const absl::Status& cause) {
  return absl::FailedPreconditionError(StrCat("conformance of `", plugin.name(), "` ",
                                              plugin.version(), " (", plugin.path(), "): ", check,
                                              ": ", ToStd(cause.message())));
}

absl::Status Fail(const Plugin& plugin, std::string_view check, std::string_view why) {
  return Fail(plugin, check, absl::UnknownError(ToAbsl(why)));
}

}  // namespace

absl::Status CheckConformance(std::shared_ptr<const Plugin> plugin,
                              const ConformanceOptions& options, LogSink log,
                              ConformanceResult* result) {
  const Plugin& p = *plugin;
  auto pass = [&](std::string line) { result->passed.push_back(std::move(line)); };

  if (absl::Status s =
          ValidateConfig(options.connector_config, p).ToStatus("connector `conformance`");
      !s.ok()) {
    return Fail(p, "config validation", s);
  }
  pass("config validates against the declared definition");

  auto connector = ConnectorInstance::Start(plugin, "conformance", options.connector_config, log);
  if (!connector.ok()) return Fail(p, "connector start", connector.status());
  pass("connector starts");

  auto task_configs = (*connector)->TaskConfigs(options.max_tasks);
  if (!task_configs.ok()) return Fail(p, "task configs", task_configs.status());
  if (task_configs->empty() || task_configs->size() > options.max_tasks) {
    return Fail(p, "task configs",
                StrCat("produced ", task_configs->size(), " configs for max ", options.max_tasks));
  }
  pass(StrCat("produces ", task_configs->size(),
              " task config(s) for tasks.max=", options.max_tasks));

  {
    auto task = TaskInstance::Start(plugin, "conformance", 0, (*task_configs)[0], {}, log);
    if (!task.ok()) return Fail(p, "task start", task.status());
    pass("task starts without committed offsets");

    data::RecordBatch batch;
    for (int i = 0; i < options.polls; ++i) {
      batch.Reset();
      auto started = std::chrono::steady_clock::now();
      absl::Status s = (*task)->Poll(batch, options.poll_timeout_ms);
      auto took = std::chrono::steady_clock::now() - started;
      if (!s.ok()) return Fail(p, StrCat("poll ", i + 1), s);
      if (took > std::chrono::milliseconds(options.poll_timeout_ms) + options.grace) {
        return Fail(
            p, StrCat("poll ", i + 1),
            StrCat("took ", std::chrono::duration_cast<std::chrono::milliseconds>(took).count(),
                   " ms for a timeout of ", options.poll_timeout_ms, " ms"));
      }
      result->records += batch.size();
      // As a worker whose offset commit followed each poll: the poll's last record acknowledged
      // and committed (a source may hold records back until its position is committed).
      if (batch.size() > 0) {
        const data::SourceRecord& last = batch.records().back();
        (*task)->Acknowledged(offsets::SourcePartitionOf(last), offsets::SourceOffsetOf(last),
                              /*committed=*/true);
      }
    }
    pass(StrCat(options.polls, " polls return within their timeout, ", result->records,
                " valid records"));

    // Stop from another thread must end a long poll promptly.
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      (*task)->Stop();
      stopped = true;
    });
    batch.Reset();
    auto started = std::chrono::steady_clock::now();
    absl::Status s = (*task)->Poll(batch, 60'000);
    auto took = std::chrono::steady_clock::now() - started;
    stopper.join();  // no Stop() may outlive the task
    if (!s.ok() && s.code() != absl::StatusCode::kCancelled) return Fail(p, "poll during stop", s);
    if (took > options.stop_bound + std::chrono::milliseconds(50)) {
      return Fail(p, "stop",
                  StrCat("a poll kept running ",
                         std::chrono::duration_cast<std::chrono::milliseconds>(took).count(),
                         " ms after on_task_stop"));
    }
    pass("on_task_stop from another thread ends a poll promptly");
  }  // task destroyed here
  pass("task destroys");
  connector->reset();
  pass("connector stops and destroys");
  return absl::OkStatus();
}

}  // namespace sluice::plugin
