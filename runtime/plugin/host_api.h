// The host function table (sluice_host_api) handed to every plugin, and the C-handle mapping it
// relies on: sluice_ctx* is a HostContext*, sluice_batch* a data::RecordBatch*, sluice_schema* a
// data::Schema*, sluice_value* a data::CompositeValue*, sluice_task_configs* a
// TaskConfigCollector*.
#ifndef SLUICE_RUNTIME_PLUGIN_HOST_API_H_
#define SLUICE_RUNTIME_PLUGIN_HOST_API_H_

#include <string>
#include <utility>
#include <vector>

#include "runtime/common/config_map.h"
#include "runtime/data/record_batch.h"
#include "runtime/offsets/source_offset.h"
#include "runtime/plugin/host_context.h"
#include "sluice/connector.h"

namespace sluice::plugin {

// An ordered list of config entries, as connectors receive and produce them.

// The table; static, immutable, valid for the life of the process.
const sluice_host_api* HostApi();

// What api->task_config_add fills.
struct TaskConfigCollector {
  size_t max_tasks = 0;
  std::vector<ConfigMap> configs;
};

inline sluice_ctx* ToC(HostContext* ctx) { return reinterpret_cast<sluice_ctx*>(ctx); }
inline sluice_batch* ToC(data::RecordBatch* batch) {
  return reinterpret_cast<sluice_batch*>(batch);
}
inline sluice_task_configs* ToC(TaskConfigCollector* c) {
  return reinterpret_cast<sluice_task_configs*>(c);
}
inline const data::Schema* FromC(const sluice_schema* s) {
  return reinterpret_cast<const data::Schema*>(s);
}

// Owned partitions and offsets (runtime/offsets/source_offset.h) as the ABI's scalar maps, and
// back: what api->offset_get answers with and on_task_acknowledged is told.
//
// Views of `fields`, in their order: each entry points into `fields`, which must outlive the
// entries and not change meanwhile.
std::vector<sluice_scalar_entry> ScalarEntriesOf(const std::vector<offsets::OffsetField>& fields);
// A copy of what a plugin passed, in its order; an entry of an unknown kind becomes null.
// `map.entries` may be NULL only when `map.count` is 0.
std::vector<offsets::OffsetField> OffsetFieldsOf(sluice_scalar_map map);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_HOST_API_H_
