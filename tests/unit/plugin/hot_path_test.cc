// The record path allocates nothing from the heap once warm: the generator (a real plugin, through
// the C ABI) fills a reused batch, and the JSON converter writes every key and value into its
// reused buffer. Counted by replacing the global operator new in this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "runtime/convert/json_converter.h"
#include "runtime/plugin/host_api.h"
#include "runtime/plugin/host_context.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_calls.h"
#include "tests/support/test_files.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// This operator new gets its memory from malloc, so free is the matching release; GCC cannot see
// that through the replacement and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace sluice::plugin {
namespace {

TEST(HotPath, PollAndConvertAllocateNothingOnceWarm) {
  testing::TempDir dir;
  testing::CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  auto plugin = LoadPlugin(dir.File("generator.so"));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  auto task = TaskInstance::Start(*plugin, "gen", 0,
                                  {{"topic", "t"},
                                   {"batch.size", "500"},
                                   {"task.id", "0"},
                                   {"task.count", "1"},
                                   {"payload.bytes", "64"}},
                                  {}, nullptr);
  ASSERT_TRUE(task.ok()) << task.status();
  data::RecordBatch batch;
  convert::JsonConverter keys({.schemas_enable = true});
  convert::JsonConverter values({.schemas_enable = true});
  size_t bytes = 0;
  auto round = [&] {
    batch.Reset();
    absl::Status st = (*task)->Poll(batch, 10);
    if (!st.ok()) return st;
    for (const data::SourceRecord& r : batch.records()) {
      auto k = keys.FromConnectData(r.key_schema, r.key);
      auto v = values.FromConnectData(r.value_schema, r.value);
      if (!k.ok()) return k.status();
      if (!v.ok()) return v.status();
      bytes += (*k)->size() + (*v)->size();
    }
    return absl::OkStatus();
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(round().ok());  // warm: arena blocks, buffers, caches
  long before = g_allocations.load();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(round().ok());
  long during = g_allocations.load() - before;
  EXPECT_EQ(batch.size(), 500u);
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(during, 0) << "heap allocations while polling and converting 10000 records";
}

// api->task_progress_report promises to be cheap enough for every poll: it copies into buffers the
// host reserved when the task started. (The generator above reports after every poll too.)
TEST(HotPath, AProgressReportAllocatesNothing) {
  HostContext ctx(HostContext::Kind::kTask, "orders", 0, nullptr);
  const std::string table(200, 't');
  const std::string position(SLUICE_TASK_PROGRESS_MAX_TEXT, 'p');
  const std::string too_long(3 * SLUICE_TASK_PROGRESS_MAX_TEXT, 'g');  // cut, still no allocation
  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) {
    sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
    p.table = sluice_str{table.data(), table.size() - static_cast<size_t>(i % 7)};
    p.table_rows_done = i;
    const std::string& where = i % 2 == 0 ? position : too_long;
    p.position = sluice_str{where.data(), where.size()};
    ASSERT_EQ(HostApi()->task_progress_report(ToC(&ctx), &p), SLUICE_OK);
  }
  EXPECT_EQ(g_allocations.load() - before, 0) << "heap allocations in 1000 progress reports";
}

}  // namespace
}  // namespace sluice::plugin
