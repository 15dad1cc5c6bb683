// A worker's id without a REST API (docs/cluster.md): its admin listener's address with the port
// bound, so two workers whose `sluice.admin.listener` asks for port 0 join as two members.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"

namespace sluice::testing {
namespace {

// The text of `log` between `before` and the next `after`; "" when it has none.
std::string Between(const std::string& log, const std::string& before, const std::string& after) {
  const size_t start = log.find(before);
  if (start == std::string::npos) return "";
  const size_t from = start + before.size();
  const size_t end = log.find(after, from);
  return end == std::string::npos ? "" : log.substr(from, end - from);
}

TEST(ClusterWorkerId, WorkersOnAdminPortZeroWithoutARestApiJoinWithTheirBoundPorts) {
  ClusterRun run("id-port-zero");
  const std::string no_rest = "sluice.admin.listener=127.0.0.1:0\nlisteners=\n";
  run.StartWorker(0, "", no_rest);
  run.StartWorker(1, "", no_rest);
  ASSERT_TRUE(Eventually(
      [&] {
        return run.log(0).find("cluster lease taken") != std::string::npos &&
               run.log(1).find("cluster lease taken") != std::string::npos;
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << run.log(0) << run.log(1);
  std::string ids[2];
  for (size_t i = 0; i < 2; ++i) {
    const std::string log = run.log(i);
    // "admin API on 127.0.0.1:0 (plaintext), port N; ..." and "joining the cluster `g` as ID (...".
    const std::string port = Between(log, "), port ", ";");
    ASSERT_FALSE(port.empty()) << log;
    EXPECT_NE(port, "0");
    ids[i] = Between(log, "` as ", " (session.timeout.ms");
    EXPECT_EQ(ids[i], absl::StrCat("127.0.0.1:", port)) << log;
  }
  EXPECT_NE(ids[0], ids[1]) << run.log(0) << run.log(1);
  run.StopWorker(0);
  run.StopWorker(1);
}

}  // namespace
}  // namespace sluice::testing
