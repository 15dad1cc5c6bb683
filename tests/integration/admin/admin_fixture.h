#ifndef SLUICE_TESTS_INTEGRATION_ADMIN_ADMIN_FIXTURE_H_
#define SLUICE_TESTS_INTEGRATION_ADMIN_ADMIN_FIXTURE_H_

// A worker as `sluice worker` runs it (herder + admin server), in process, on the test broker,
// with its own topics, a gRPC client, and every log line kept for assertions.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "runtime/admin/admin_server.h"
#include "runtime/herder/herder.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::testing {

namespace pb = ::sluice::admin::v1;

// Polls `done` every 100 ms until it holds or `timeout` passes.
template <typename Predicate>
bool Eventually(Predicate done, absl::Duration timeout = absl::Seconds(60)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

// Calls `call` (returning grpc::Status) again while the worker answers ABORTED, the admin API's
// "retry in a moment" (in a cluster, e.g. a stopped connector's tasks still committing), for at
// most 30 s, as the CLI does; returns the last answer.
template <typename Call>
grpc::Status UntilNotAborted(Call call) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  grpc::Status status = call();
  while (status.error_code() == grpc::StatusCode::ABORTED && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    status = call();
  }
  return status;
}

// The request naming connector `name`, as most Admin RPCs take it.
inline pb::ConnectorRef Ref(const std::string& name) {
  pb::ConnectorRef ref;
  ref.set_name(name);
  return ref;
}

// A worker.properties for `sluice worker` on `bootstrap` with topics named after `prefix`,
// serving the admin API on `address`.
std::string WorkerProperties(const std::string& prefix, const std::string& bootstrap,
                             const std::string& address);

class CapturedLog {
 public:
  LogSink Sink();
  std::string Text() const;

 private:
  mutable absl::Mutex mu_;
  std::string text_;
};

class AdminFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts (or restarts) the worker on the same topics; `extra` adds worker properties.
  void StartWorker(const std::map<std::string, std::string>& extra = {});
  void StopWorker();

  std::unique_ptr<grpc::ClientContext> Ctx() const;
  // A generator connector's config writing to `topic`.
  std::map<std::string, std::string> GeneratorConfig(const std::string& topic, double rate = 200,
                                                     int64_t max_records = -1) const;
  grpc::Status Create(const std::string& name, const std::map<std::string, std::string>& config,
                      pb::TargetState initial = pb::TARGET_STATE_STARTED,
                      pb::Connector* out = nullptr);
  pb::ConnectorStatus Status(const std::string& name);
  // Waits until the connector and all its tasks are in `state` (by Kafka Connect's name).
  bool WaitForState(const std::string& name, const std::string& state,
                    absl::Duration timeout = absl::Seconds(60));
  // The `seq` of each generator record in `topic`.
  std::vector<int64_t> Seqs(const std::string& topic) const;
  std::string Address() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  bool with_secrets_dir_ = true;  // sluice.secrets.dir set
  std::string prefix_;            // unique per test: topics, connector names
  std::string directory_;         // scratch files
  std::string plugin_dir_;
  CapturedLog log_;
  std::unique_ptr<herder::Herder> herder_;
  std::unique_ptr<admin::AdminServer> server_;
  std::unique_ptr<pb::Admin::Stub> stub_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_ADMIN_ADMIN_FIXTURE_H_
