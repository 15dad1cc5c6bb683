// Drop-in: a plugin copied into a watched directory becomes usable without a restart, but never
// while it is still being written, nor before it stopped changing; a truncated one is refused with
// the reason and the watcher goes on.
#include "runtime/plugin/plugin_watcher.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class PluginWatcherTest : public ::testing::Test {
 protected:
  static constexpr std::chrono::milliseconds kSettle{400};

  void SetUp() override {
    auto w = PluginWatcher::Start(
        &registry_, {dir_.path()},
        [this](const absl::StatusOr<std::shared_ptr<const Plugin>>& r) {
          std::lock_guard<std::mutex> lock(mu_);
          reports_.push_back(r.status());
        },
        kSettle);
    ASSERT_TRUE(w.ok()) << w.status();
    watcher_ = std::move(*w);
  }

  std::vector<absl::Status> Reports() {
    std::lock_guard<std::mutex> lock(mu_);
    return reports_;
  }

  testing::TempDir dir_;
  PluginRegistry registry_;
  std::mutex mu_;
  std::vector<absl::Status> reports_;
  std::unique_ptr<PluginWatcher> watcher_;
};

TEST_F(PluginWatcherTest, LoadsACopiedPluginOnlyOnceItIsComplete) {
  std::string bytes = testing::ReadFile(SLUICE_GENERATOR_PATH);
  std::string path = dir_.File("generator.so");
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  ASSERT_GE(fd, 0);
  size_t half = bytes.size() / 2;
  ASSERT_EQ(write(fd, bytes.data(), half), static_cast<ssize_t>(half));
  // Half-written: nothing may be loaded (nor even attempted).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(registry_.Find("generator"), nullptr);
  EXPECT_TRUE(Reports().empty());
  ASSERT_EQ(write(fd, bytes.data() + half, bytes.size() - half),
            static_cast<ssize_t>(bytes.size() - half));
  ASSERT_EQ(close(fd), 0);
  ASSERT_TRUE(
      WaitFor([&] { return registry_.Find("generator") != nullptr; }, std::chrono::seconds(5)));
  EXPECT_EQ(registry_.Find("generator")->path(), path);
  ASSERT_EQ(Reports().size(), 1u);
  EXPECT_TRUE(Reports()[0].ok());
}

TEST_F(PluginWatcherTest, ReportsARefusalForAFileMovedInAndKeepsWatching) {
  testing::TempDir staging;
  testing::WriteFile(staging.File("junk.so"), "not a library", 0755);
  ASSERT_EQ(std::rename(staging.File("junk.so").c_str(), dir_.File("junk.so").c_str()), 0);
  ASSERT_TRUE(WaitFor([&] { return !Reports().empty(); }, std::chrono::seconds(5)));
  EXPECT_THAT(std::string(Reports()[0].message()), HasSubstr(dir_.File("junk.so")));
  EXPECT_THAT(std::string(Reports()[0].message()), HasSubstr("not a shared object"));

  testing::CopyFile(SLUICE_GENERATOR_PATH, staging.File("generator.so"));
  ASSERT_EQ(std::rename(staging.File("generator.so").c_str(), dir_.File("generator.so").c_str()),
            0);
  EXPECT_TRUE(
      WaitFor([&] { return registry_.Find("generator") != nullptr; }, std::chrono::seconds(5)));
}

// Writes `bytes` to `path` in one open-write-close.
void WriteWhole(const std::string& path, const std::string& bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(close(fd), 0);
}

TEST_F(PluginWatcherTest, AFileWrittenInTwoPassesIsLoadedOnceAfterItStopsChanging) {
  // A deploy script that writes, closes, and writes again: the first close is not the end.
  std::string bytes = testing::ReadFile(SLUICE_GENERATOR_PATH);
  WriteWhole(dir_.File("generator.so"), bytes.substr(0, 32 * 1024));
  std::this_thread::sleep_for(kSettle / 4);
  WriteWhole(dir_.File("generator.so"), bytes);
  ASSERT_TRUE(
      WaitFor([&] { return registry_.Find("generator") != nullptr; }, std::chrono::seconds(5)));
  std::this_thread::sleep_for(kSettle * 2);
  ASSERT_EQ(Reports().size(), 1u) << "the half-written first pass was tried";
  EXPECT_TRUE(Reports()[0].ok()) << Reports()[0];
}

TEST_F(PluginWatcherTest, ATruncatedDropInIsRefusedWithTheReasonAndTheWatcherGoesOn) {
  std::string bytes = testing::ReadFile(SLUICE_GENERATOR_PATH);
  WriteWhole(dir_.File("cut.so"), bytes.substr(0, 32 * 1024));
  ASSERT_TRUE(WaitFor([&] { return !Reports().empty(); }, std::chrono::seconds(5)));
  EXPECT_THAT(std::string(Reports()[0].message()),
              AllOf(HasSubstr(dir_.File("cut.so")), HasSubstr("truncated")));
  WriteWhole(dir_.File("generator.so"), bytes);
  EXPECT_TRUE(
      WaitFor([&] { return registry_.Find("generator") != nullptr; }, std::chrono::seconds(5)));
}

TEST_F(PluginWatcherTest, IgnoresFilesThatAreNotSharedObjects) {
  testing::WriteFile(dir_.File("README.txt"), "hello", 0755);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(Reports().empty());
}

TEST(PluginWatcher, RefusesToWatchAMissingDirectory) {
  PluginRegistry registry;
  auto w = PluginWatcher::Start(&registry, {"/nonexistent/sluice"}, nullptr);
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(std::string(w.status().message()), HasSubstr("/nonexistent/sluice"));
}

}  // namespace
}  // namespace sluice::plugin
