// Sluice's transform chain against Kafka Connect 4.x's and Debezium 3.6's own Java transforms
// (tests/reference/transforms/run, jars from Maven Central): the same records through the same
// chains must come out byte-identical: topic, key and value as JsonConverter writes them with
// schemas, headers as the worker writes them.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/transform/transform_chain.h"
#include "tests/unit/transform/change_events.h"

namespace sluice::transform {
namespace {

using testing::Events;
using testing::Json;
using testing::Row;
using testing::Table;

struct Case {
  std::string name;
  ConfigMap chain;
};

// What Sluice's chain makes of `record`, in the reference program's output format.
std::string Ours(TransformChain& chain, Events& events, data::SourceRecord record) {
  Verdict verdict;
  absl::Status status = chain.Apply(record, events.batch(), verdict);
  if (!status.ok()) return "ERROR";
  if (verdict == Verdict::kDrop) return "DROPPED";
  std::vector<std::string> headers;
  for (const data::Header& h : record.headers) {
    headers.push_back(absl::StrCat(std::string(h.key), "=", Json(h.schema, h.value, false)));
  }
  auto field = [](std::string text) { return text == "<null>" ? std::string("null") : text; };
  return absl::StrCat(std::string(record.topic), "\t",
                      field(Json(record.key_schema, record.key, true)), "\t",
                      field(Json(record.value_schema, record.value, true)), "\t",
                      absl::StrJoin(headers, ","));
}

std::vector<std::string> Theirs(const ConfigMap& chain, const std::vector<std::string>& input,
                                const std::string& name) {
  const std::string dir = ::testing::TempDir();
  const std::string chain_path = absl::StrCat(dir, "/", name, ".properties");
  const std::string input_path = absl::StrCat(dir, "/", name, ".tsv");
  {
    std::ofstream out(chain_path);
    for (const auto& [k, v] : chain) {
      std::string escaped;
      for (char c : v) {
        if (c == '\\') escaped += '\\';
        escaped += c;
      }
      out << k << "=" << escaped << "\n";
    }
    std::ofstream in(input_path);
    for (const std::string& line : input) in << line << "\n";
  }
  const std::string command = absl::StrCat(SLUICE_SOURCE_DIR, "/tests/reference/transforms/run ",
                                           chain_path, " ", input_path);
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  std::vector<std::string> lines = absl::StrSplit(output, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string Line(const data::SourceRecord& r) {
  auto field = [](std::string text) { return text == "<null>" ? std::string("null") : text; };
  return absl::StrCat(std::string(r.topic), "\t", field(Json(r.key_schema, r.key, true)), "\t",
                      field(Json(r.value_schema, r.value, true)), "\t",
                      r.timestamp_ms < 0 ? std::string("null") : absl::StrCat(r.timestamp_ms));
}

constexpr char kUnwrap[] = "io.debezium.transforms.ExtractNewRecordState";

TEST(JavaReference, EveryChainMatchesKafkaConnectAndDebeziumByteForByte) {
  const std::vector<Case> cases = {
      {"unwrap_default", {{"transforms", "u"}, {"transforms.u.type", kUnwrap}}},
      {"unwrap_rewrite",
       {{"transforms", "u"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite"},
        {"transforms.u.add.fields", "op,table,source.ts_ms,version:V,id"},
        {"transforms.u.add.headers", "op,db"}}},
      {"unwrap_rewrite_with_tombstone",
       {{"transforms", "u"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite-with-tombstone"},
        {"transforms.u.replace.null.with.default", "false"},
        {"transforms.u.add.headers", "op"}}},
      {"unwrap_delete_to_tombstone",
       {{"transforms", "u"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "delete-to-tombstone"}}},
      {"unwrap_drop",
       {{"transforms", "u"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "drop"},
        {"transforms.u.add.fields", "ts_ms"},
        {"transforms.u.add.fields.prefix", "meta_"}}},
      {"unwrap_route_by_field",
       {{"transforms", "u"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.route.by.field", "note"}}},
      {"regex_router_predicate",
       {{"transforms", "u,r"},
        {"transforms.u.type", kUnwrap},
        {"transforms.r.type", "org.apache.kafka.connect.transforms.RegexRouter"},
        {"transforms.r.regex", "([^.]+)\\.([^.]+)\\.([^.]+)"},
        {"transforms.r.replacement", "$1_$3"},
        {"transforms.r.predicate", "tomb"},
        {"transforms.r.negate", "true"},
        {"predicates", "tomb"},
        {"predicates.tomb.type", "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone"}}},
      {"by_logical_table",
       {{"transforms", "m"},
        {"transforms.m.type", "io.debezium.transforms.ByLogicalTableRouter"},
        {"transforms.m.topic.regex", "ref\\.shop\\.(.*)"},
        {"transforms.m.topic.replacement", "ref.all.$1"},
        {"transforms.m.key.field.regex", "ref\\.(.*)\\.orders"},
        {"transforms.m.key.field.replacement", "db_$1"}}},
      {"filter_and_headers",
       {{"transforms", "u,f,i,d"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite-with-tombstone"},
        {"transforms.u.add.headers", "op,table"},
        {"transforms.f.type", "org.apache.kafka.connect.transforms.Filter"},
        {"transforms.f.predicate", "hasTable"},
        {"transforms.f.negate", "true"},
        {"transforms.i.type", "org.apache.kafka.connect.transforms.InsertHeader"},
        {"transforms.i.header", "origin"},
        {"transforms.i.value.literal", "eu-west"},
        {"transforms.d.type", "org.apache.kafka.connect.transforms.DropHeaders"},
        {"transforms.d.headers", "__table"},
        {"predicates", "hasTable"},
        {"predicates.hasTable.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey"},
        {"predicates.hasTable.name", "__table"}}},
      {"replace_field",
       {{"transforms", "u,v,k"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite"},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.ReplaceField$Value"},
        {"transforms.v.exclude", "__deleted"},
        {"transforms.v.renames", "id:order_id,note:remark"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.ReplaceField$Key"},
        {"transforms.k.renames", "id:key_id"}}},
      {"replace_field_include_without_defaults",
       {{"transforms", "u,v"},
        {"transforms.u.type", kUnwrap},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.ReplaceField$Value"},
        {"transforms.v.include", "qty,note"},
        {"transforms.v.replace.null.with.default", "false"}}},
      {"insert_field",
       {{"transforms", "u,i"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite"},
        {"transforms.i.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
        {"transforms.i.topic.field", "topic!"},
        {"transforms.i.partition.field", "part"},
        {"transforms.i.timestamp.field", "ts"},
        {"transforms.i.static.field", "origin"},
        {"transforms.i.static.value", "eu"}}},
      {"value_to_key_then_extract",
       {{"transforms", "u,v,e"},
        {"transforms.u.type", kUnwrap},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.ValueToKey"},
        {"transforms.v.fields", "qty,id"},
        {"transforms.e.type", "org.apache.kafka.connect.transforms.ExtractField$Key"},
        {"transforms.e.field", "qty"}}},
      {"extract_after_and_set_schema_metadata",
       {{"transforms", "e,s,k"},
        {"transforms.e.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
        {"transforms.e.field", "after"},
        {"transforms.s.type", "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value"},
        {"transforms.s.schema.name", "shop.Order"},
        {"transforms.s.schema.version", "3"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key"},
        {"transforms.k.schema.name", "shop.OrderKey"}}},
      {"mask_field",
       {{"transforms", "u,m,k"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite-with-tombstone"},
        {"transforms.m.type", "org.apache.kafka.connect.transforms.MaskField$Value"},
        {"transforms.m.fields", "qty,note,__deleted"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.MaskField$Key"},
        {"transforms.k.fields", "id"},
        {"transforms.k.replacement", "99"}}},
      {"header_from",
       {{"transforms", "u,h,k"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite"},
        {"transforms.h.type", "org.apache.kafka.connect.transforms.HeaderFrom$Value"},
        {"transforms.h.fields", "qty,__deleted"},
        {"transforms.h.headers", "h_qty,deleted"},
        {"transforms.h.operation", "move"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.HeaderFrom$Key"},
        {"transforms.k.fields", "id"},
        {"transforms.k.headers", "key_id"},
        {"transforms.k.operation", "copy"}}},
      {"flatten_envelope",
       {{"transforms", "f,k"},
        {"transforms.f.type", "org.apache.kafka.connect.transforms.Flatten$Value"},
        {"transforms.f.delimiter", "_"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.Flatten$Key"}}},
      {"timestamp_router",
       {{"transforms", "t"},
        {"transforms.t.type", "org.apache.kafka.connect.transforms.TimestampRouter"},
        {"transforms.t.topic.format", "${topic}_${timestamp}.${topic}"},
        {"transforms.t.timestamp.format", "yy-M-d'T'HH'h' MMM MMMM mm:ss.SSS S ''y yyyyy"}}},
      {"cast_fields",
       {{"transforms", "u,v,k"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.delete.tombstone.handling.mode", "rewrite"},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.Cast$Value"},
        {"transforms.v.spec", "qty:string, id:float32,__deleted:boolean"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.Cast$Key"},
        {"transforms.k.spec", "id:int8"}}},
      {"cast_fields_without_defaults",
       {{"transforms", "u,v"},
        {"transforms.u.type", kUnwrap},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.Cast$Value"},
        {"transforms.v.spec", "qty:float64,note:string,id:boolean"},
        {"transforms.v.replace.null.with.default", "false"}}},
      {"cast_envelope_numbers",
       {{"transforms", "v"},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.Cast$Value"},
        {"transforms.v.spec", "ts_ms:float64"}}},
      {"cast_whole_key_and_value",
       {{"transforms", "k,c,a,q,v"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.ExtractField$Key"},
        {"transforms.k.field", "id"},
        {"transforms.c.type", "org.apache.kafka.connect.transforms.Cast$Key"},
        {"transforms.c.spec", "STRING"},
        {"transforms.a.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
        {"transforms.a.field", "after"},
        {"transforms.q.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
        {"transforms.q.field", "qty"},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.Cast$Value"},
        {"transforms.v.spec", "float32"}}},
      {"timestamp_converter_fields",
       {{"transforms", "v,k"},
        {"transforms.v.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.v.field", "ts_ms"},
        {"transforms.v.target.type", "string"},
        {"transforms.v.format", "yyyy-MM-dd'T'HH:mm:ss.SSS MMM"},
        {"transforms.k.type", "org.apache.kafka.connect.transforms.TimestampConverter$Key"},
        {"transforms.k.field", "id"},
        {"transforms.k.target.type", "Date"}}},
      {"timestamp_converter_unwrapped",
       {{"transforms", "u,t,s,i"},
        {"transforms.u.type", kUnwrap},
        {"transforms.u.add.fields", "source.ts_ms"},
        {"transforms.t.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.t.field", "__source_ts_ms"},
        {"transforms.t.target.type", "Timestamp"},
        {"transforms.s.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.s.field", "__source_ts_ms"},
        {"transforms.s.target.type", "unix"},
        {"transforms.s.unix.precision", "seconds"},
        {"transforms.i.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.i.field", "id"},
        {"transforms.i.target.type", "Time"}}},
      {"timestamp_converter_whole_value",
       {{"transforms", "e,s,p"},
        {"transforms.e.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
        {"transforms.e.field", "ts_ms"},
        {"transforms.s.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.s.target.type", "string"},
        {"transforms.s.format", "yy-MM-dd HH:mm:ss"},
        {"transforms.p.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
        {"transforms.p.target.type", "unix"},
        {"transforms.p.format", "yy-MM-dd HH:mm:ss"},
        {"transforms.p.unix.precision", "microseconds"}}},
      {"timestamp_router_defaults",
       {{"transforms", "t"},
        {"transforms.t.type", "org.apache.kafka.connect.transforms.TimestampRouter"}}},
  };
  Table orders("ref.shop.orders");
  Table noted("ref.shop.orders", /*with_note=*/true);  // after ALTER TABLE ... ADD note
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Events a(orders);
    Events b(noted);
    std::vector<data::SourceRecord> records = {
        a.Change('r', {}, Row{1, 10}),
        a.Change('c', {}, Row{2, std::nullopt}),
        a.Change('u', Row{2, 3}, Row{2, 4}),
        a.Change('d', Row{2, 4}, {}),
        a.Tombstone(2),
        a.Change('t', {}, {}),
        a.SchemaChange(),
        b.Change('c', {}, Row{3, 5, "archive"}),
        b.Change('d', Row{3, 5, "archive"}, {}),
    };
    // Timestamps across midnight of a new year; the last record has none.
    for (size_t i = 0; i + 1 < records.size(); ++i) {
      records[i].timestamp_ms = 1704067199123 - 3 * 3600 * 1000 + static_cast<int64_t>(i) * 3600 * 1000;
    }
    std::vector<std::string> input;
    for (const data::SourceRecord& r : records) input.push_back(Line(r));
    const std::vector<std::string> theirs = Theirs(c.chain, input, c.name);
    ASSERT_EQ(theirs.size(), records.size());
    auto chain = TransformChain::Create(c.chain, c.name);
    ASSERT_TRUE(chain.ok()) << chain.status();
    size_t converted = 0;  // records neither side failed on: a chain must not agree by failing only
    for (size_t i = 0; i < records.size(); ++i) {
      Events& events = i < 7 ? a : b;
      const std::string ours = Ours(**chain, events, records[i]);
      EXPECT_EQ(ours, theirs[i]) << "record " << i << ": " << input[i];
      if (ours != "ERROR" && theirs[i] != "ERROR") ++converted;
      if (getenv("SLUICE_SHOW_REFERENCE") != nullptr) std::cerr << c.name << " " << i << ": " << ours << "\n";
    }
    EXPECT_GE(converted, records.size() / 2);
  }
}

}  // namespace
}  // namespace sluice::transform
