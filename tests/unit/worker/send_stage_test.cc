// The send stage: jobs in order on its own thread, one at a time, a failure kept for the next
// hand-over.
#include "runtime/worker/send_stage.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace sluice::worker {
namespace {

TEST(SendStage, RunsJobsInTheOrderHandedOnAThreadOfItsOwn) {
  SendStage stage;
  std::vector<int> ran;  // written by the stage's thread only; read after Drain
  std::vector<std::thread::id> threads;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(stage
                    .Hand([&ran, &threads, i] {
                      ran.push_back(i);
                      threads.push_back(std::this_thread::get_id());
                      return absl::OkStatus();
                    })
                    .ok());
  }
  ASSERT_TRUE(stage.Drain().ok());
  ASSERT_EQ(ran.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[i], i);
  for (const std::thread::id& id : threads) {
    EXPECT_NE(id, std::this_thread::get_id());
    EXPECT_EQ(id, threads.front()) << "one thread";
  }
}

TEST(SendStage, HandReturnsOnlyOnceThePreviousJobFinished) {
  SendStage stage;
  absl::Notification release;
  std::atomic<bool> first_done{false};
  ASSERT_TRUE(stage
                  .Hand([&] {
                    release.WaitForNotification();
                    first_done.store(true);
                    return absl::OkStatus();
                  })
                  .ok());
  std::atomic<bool> handed{false};
  std::thread second([&] {
    EXPECT_TRUE(stage.Hand([] { return absl::OkStatus(); }).ok());
    // The first job's batch is free again once the second is handed over.
    EXPECT_TRUE(first_done.load());
    handed.store(true);
  });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(handed.load()) << "handed over while the first job still ran";
  release.Notify();
  second.join();
  EXPECT_TRUE(handed.load());
  EXPECT_TRUE(stage.Drain().ok());
}

TEST(SendStage, AFailureIsReturnedByTheNextHandWhoseJobNeverRuns) {
  SendStage stage;
  ASSERT_TRUE(stage.Hand([] { return absl::UnavailableError("broker gone"); }).ok());
  bool ran = false;
  const absl::Status next = stage.Hand([&ran] {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(next, absl::UnavailableError("broker gone"));
  EXPECT_TRUE(stage.Drain().ok()) << "the failure was handed back once";
  EXPECT_FALSE(ran);
}

TEST(SendStage, DrainWaitsForTheJobAndReturnsItsFailure) {
  SendStage stage;
  std::atomic<bool> done{false};
  ASSERT_TRUE(stage
                  .Hand([&done] {
                    absl::SleepFor(absl::Milliseconds(30));
                    done.store(true);
                    return absl::InvalidArgumentError("record too large");
                  })
                  .ok());
  EXPECT_EQ(stage.Drain(), absl::InvalidArgumentError("record too large"));
  EXPECT_TRUE(done.load());
  EXPECT_TRUE(stage.Drain().ok()) << "nothing runs after a drain";
}

TEST(SendStage, TheDestructorWaitsForTheJobInProgress) {
  std::atomic<bool> done{false};
  {
    SendStage stage;
    ASSERT_TRUE(stage
                    .Hand([&done] {
                      absl::SleepFor(absl::Milliseconds(30));
                      done.store(true);
                      return absl::OkStatus();
                    })
                    .ok());
  }
  EXPECT_TRUE(done.load());
}

}  // namespace
}  // namespace sluice::worker
