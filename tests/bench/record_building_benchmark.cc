// The host side of building one change record through the C ABI, as the MySQL connector calls it
// for each row of scripts/bench's backlog (bench_change_event.h's schemas): the key struct, the
// after-image (six columns, every one new), the source block copied from the row before with its
// row number set, the envelope (op, ts_ms, ts_us, ts_ns) and record_append with the source
// partition and a binlog offset of six entries. The batch is reset every 1,000 records, as a poll
// hands it over. What the connector itself spends (decoding the row, its datums) is not in it.
// Prints records/s on one core.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/plugin/host_api.h"
#include "tests/bench/bench_change_event.h"

namespace {

using sluice::bench::ChangeEvent;

const sluice_schema* C(const sluice::data::SchemaPtr& schema) {
  return reinterpret_cast<const sluice_schema*>(schema.get());
}

void BM_BacklogRecordThroughTheAbi(benchmark::State& state) {
  ChangeEvent event;
  sluice::bench::Build(event);  // for its schemas
  sluice::data::SchemaPtr key_schema =
      *sluice::data::SchemaBuilder::Struct()
           .Name("bench.bench.orders.Key")
           .AddField("id", sluice::data::PrimitiveSchema(sluice::data::Type::kInt64))
           .Build();
  const sluice_host_api* api = sluice::plugin::HostApi();
  sluice::data::RecordBatch batch;
  sluice_batch* b = sluice::plugin::ToC(&batch);
  std::vector<std::string> items, notes;
  for (int id = 0; id < 1000; ++id) {
    char text[61];
    std::snprintf(text, sizeof text, "item-%054d", id);
    items.emplace_back(text);
    std::snprintf(text, sizeof text, "note-%054d", id * 7);
    notes.emplace_back(text);
  }
  const std::string topic = "bench.bench.orders", server = "bench", file = "mariadb-bin.000001";
  sluice_value* last_source = nullptr;
  int64_t id = 0;
  for (auto _ : state) {
    if (id % 1000 == 0) {
      batch.Reset();
      last_source = nullptr;
    }
    ++id;
    const size_t row = static_cast<size_t>(id % 1000);
    auto set = [&](sluice_value* v, uint32_t field, sluice_datum d) { api->struct_set(v, field, &d); };
    sluice_value* key = api->struct_new(b, C(key_schema));
    set(key, 0, sluice_datum_int(id));
    sluice_value* after = api->struct_new(b, C(event.row));
    set(after, 0, sluice_datum_int(id));
    set(after, 1, sluice_datum_int(id % 9973));
    set(after, 2, sluice_datum_string(items[row].data(), items[row].size()));
    set(after, 3, sluice_datum_string(notes[row].data(), notes[row].size()));
    const uint8_t amount[3] = {0x01, 0x86, 0xa0};
    set(after, 4, sluice_datum_bytes(amount, sizeof amount));
    set(after, 5, sluice_datum_int(1795700000123456 + id));
    sluice_value* source;
    if (last_source != nullptr) {
      source = api->struct_copy(last_source);
    } else {
      source = api->struct_new(b, C(event.source));
      for (uint32_t f : {0u, 1u, 2u, 4u, 5u, 7u, 9u, 10u}) {
        set(source, f, sluice_datum_string(server.data(), server.size()));
      }
      set(source, 3, sluice_datum_int(1795700000000));
      set(source, 8, sluice_datum_int(1));
      set(source, 11, sluice_datum_int(123456789));
      last_source = source;
    }
    set(source, 12, sluice_datum_int(static_cast<int64_t>(row)));
    sluice_value* envelope = api->struct_new(b, C(event.envelope));
    set(envelope, 1, sluice_datum_value(after));
    set(envelope, 2, sluice_datum_value(source));
    set(envelope, 3, sluice_datum_string("c", 1));
    set(envelope, 4, sluice_datum_int(1795700000001 + id));

    sluice_scalar_entry partition{};
    partition.key = sluice_str_of("server");
    partition.kind = SLUICE_SCALAR_STRING;
    partition.u.str = sluice_str{server.data(), server.size()};
    sluice_scalar_entry offset[6]{};
    const char* int_keys[] = {"ts_sec", "pos", "row", "server_id", "event"};
    for (int i = 0; i < 5; ++i) {
      offset[i].key = sluice_str_of(int_keys[i]);
      offset[i].kind = SLUICE_SCALAR_INT;
      offset[i].u.i = id + i;
    }
    offset[5].key = sluice_str_of("file");
    offset[5].kind = SLUICE_SCALAR_STRING;
    offset[5].u.str = sluice_str{file.data(), file.size()};
    sluice_record_spec spec{};
    spec.struct_size = sizeof spec;
    spec.topic = sluice_str{topic.data(), topic.size()};
    spec.partition = -1;
    spec.key_schema = C(key_schema);
    spec.key = sluice_datum_value(key);
    spec.value_schema = C(event.envelope);
    spec.value = sluice_datum_value(envelope);
    spec.timestamp_ms = -1;
    spec.source_partition = sluice_scalar_map{&partition, 1};
    spec.source_offset = sluice_scalar_map{offset, 6};
    spec.source_timestamp_ms = 1795700000000;
    if (api->record_append(b, &spec) != SLUICE_OK) std::abort();
  }
  if (!batch.error().ok()) std::abort();
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BacklogRecordThroughTheAbi);

}  // namespace

BENCHMARK_MAIN();
