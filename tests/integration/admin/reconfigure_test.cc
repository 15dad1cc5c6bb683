// A connector that asks the host to reconfigure its tasks (api->request_reconfiguration) gets its
// task configs generated again; changed ones are stored in the config topic with a new commit
// record, and its tasks run with them.
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

TEST_F(AdminFixture, AReconfigurationRequestStoresNewTaskConfigsAndRestartsTheTasks) {
  StartWorker({{"plugin.path", plugin_dir_ + "," + SLUICE_TEST_PLUGIN_DIR}});
  const std::string name = prefix_ + "-reconf";
  ASSERT_TRUE(Create(name, {{"connector.class", "reconfiguring"}}).ok());
  // The connector asks after half a second; its task config goes from generation 1 to 2.
  const std::string task_key = "task-" + name + "-0";
  bool second_generation = false;
  int commits = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  // The new task configs are written before their commit record (readers apply task configs
  // only once it follows, as Kafka Connect's do), so a read may see the first without the second:
  // read again until both are there.
  while (!(second_generation && commits >= 2) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(300));
    absl::StatusOr<std::vector<ConsumedRecord>> records =
        ReadWholeTopic(KafkaBootstrap(), prefix_ + ".configs");
    if (!records.ok()) continue;
    commits = 0;
    second_generation = false;
    for (const ConsumedRecord& record : *records) {
      if (record.key == "commit-" + name) ++commits;
      if (record.key == task_key && record.value.has_value() &&
          absl::StrContains(*record.value, "\"generation\":\"2\"")) {
        second_generation = true;
      }
    }
  }
  EXPECT_TRUE(second_generation) << "the regenerated task config never reached the config topic";
  EXPECT_EQ(commits, 2) << "one commit record for the first task configs, one for the new ones";
  EXPECT_TRUE(WaitForState(name, "RUNNING"));
}

}  // namespace
}  // namespace sluice::testing
