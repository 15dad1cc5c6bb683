#include "connectors/mysql/connector/source_block.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace sluice::mysql {
namespace {

constexpr char kVersion[] = "3.0.0.Final-sluice";

// Source block fields, in Debezium's order.
enum SourceField : uint32_t {
  kSrcVersion,
  kSrcConnector,
  kSrcName,
  kSrcTsMs,
  kSrcSnapshot,
  kSrcDb,
  kSrcSequence,
  kSrcTsUs,
  kSrcTsNs,
  kSrcTable,
  kSrcServerId,
  kSrcGtid,
  kSrcFile,
  kSrcPos,
  kSrcRow,
  kSrcThread,
  kSrcQuery
};

}  // namespace

SourceBlock::SourceBlock(const Host& host, const ConnectorConfig& config)
    : host_(host),
      api_(host.api()),
      config_(config),
      can_copy_structs_(SLUICE_HAS_MEMBER(api_, sluice_host_api, struct_copy) &&
                        api_->struct_copy != nullptr) {}

absl::Status SourceBlock::EnsureSchemas() {
  if (source_schema_ != nullptr) return absl::OkStatus();
  const sluice_datum snapshot_default = sluice_datum_string("false", 5);
  SchemaArgs snapshot = SchemaOf(SLUICE_TYPE_STRING, true, "io.debezium.data.Enum", 1);
  snapshot.parameters = {{"allowed",
                          "true,first,first_in_data_collection,last_in_data_collection,last,false,"
                          "incremental"}};
  snapshot.default_value = &snapshot_default;
  std::vector<std::pair<std::string, SchemaArgs>> specs = {
      {"version", SchemaOf(SLUICE_TYPE_STRING, false)},
      {"connector", SchemaOf(SLUICE_TYPE_STRING, false)},
      {"name", SchemaOf(SLUICE_TYPE_STRING, false)},
      {"ts_ms", SchemaOf(SLUICE_TYPE_INT64, false)},
      {"snapshot", snapshot},
      {"db", SchemaOf(SLUICE_TYPE_STRING, false)},
      {"sequence", SchemaOf(SLUICE_TYPE_STRING, true)},
      {"ts_us", SchemaOf(SLUICE_TYPE_INT64, true)},
      {"ts_ns", SchemaOf(SLUICE_TYPE_INT64, true)},
      {"table", SchemaOf(SLUICE_TYPE_STRING, true)},
      {"server_id", SchemaOf(SLUICE_TYPE_INT64, false)},
      {"gtid", SchemaOf(SLUICE_TYPE_STRING, true)},
      {"file", SchemaOf(SLUICE_TYPE_STRING, false)},
      {"pos", SchemaOf(SLUICE_TYPE_INT64, false)},
      {"row", SchemaOf(SLUICE_TYPE_INT32, false)},
      {"thread", SchemaOf(SLUICE_TYPE_INT64, true)},
      {"query", SchemaOf(SLUICE_TYPE_STRING, true)},
  };
  // Version 1 as Debezium 3.6.1's MySQL connector declares it; its MariaDB connector (3.0.0)
  // declares none (tests/reference/debezium).
  SchemaArgs source =
      SchemaOf(SLUICE_TYPE_STRUCT, false,
               absl::StrCat("io.debezium.connector.", config_.flavor, ".Source"),
               config_.flavor == "mysql" ? 1 : -1);
  for (const auto& [name, spec] : specs) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(spec);
    if (!field.ok()) return field.status();
    source.fields.emplace_back(name, *field);
  }
  absl::StatusOr<const sluice_schema*> built = host_.Schema(source);
  if (!built.ok()) return built.status();

  SchemaArgs transaction = SchemaOf(SLUICE_TYPE_STRUCT, true, "event.block", 1);
  for (auto [name, type] : {std::pair<const char*, sluice_type>{"id", SLUICE_TYPE_STRING},
                            {"total_order", SLUICE_TYPE_INT64},
                            {"data_collection_order", SLUICE_TYPE_INT64}}) {
    absl::StatusOr<const sluice_schema*> field = host_.Schema(SchemaOf(type, false));
    if (!field.ok()) return field.status();
    transaction.fields.emplace_back(name, *field);
  }
  absl::StatusOr<const sluice_schema*> transaction_built = host_.Schema(transaction);
  if (!transaction_built.ok()) return transaction_built.status();
  source_schema_ = *built;
  transaction_schema_ = *transaction_built;
  return absl::OkStatus();
}

sluice_value* SourceBlock::Build(sluice_batch* batch, const std::string& db,
                                 const std::string* table, const SourcePosition& source) {
  if (last_.Matches(batch, db, table, source)) {
    sluice_value* copy = api_->struct_copy(last_.value);
    if (copy == nullptr) return nullptr;
    const sluice_datum row = sluice_datum_int(source.row);
    api_->struct_set(copy, kSrcRow, &row);
    return copy;
  }
  sluice_value* value = api_->struct_new(batch, source_schema_);
  if (value == nullptr) return nullptr;
  auto set = [&](uint32_t field, sluice_datum datum) { api_->struct_set(value, field, &datum); };
  auto text = [](absl::string_view s) { return sluice_datum_string(s.data(), s.size()); };
  set(kSrcVersion, text(kVersion));
  set(kSrcConnector, text(config_.flavor));
  set(kSrcName, text(config_.topic_prefix));
  set(kSrcTsMs, sluice_datum_int(source.ts_sec * 1000));
  set(kSrcSnapshot, source.snapshot != nullptr ? text(source.snapshot) : text("false"));
  set(kSrcDb, text(db));
  set(kSrcTsUs, sluice_datum_int(source.ts_sec * 1000000));
  set(kSrcTsNs, sluice_datum_int(source.ts_sec * 1000000000));
  if (table != nullptr) set(kSrcTable, text(*table));
  set(kSrcServerId, sluice_datum_int(source.server_id));
  if (!source.gtid.empty()) set(kSrcGtid, text(source.gtid));
  set(kSrcFile, text(source.file));
  set(kSrcPos, sluice_datum_int(source.pos));
  set(kSrcRow, sluice_datum_int(source.row));
  if (source.thread >= 0) set(kSrcThread, sluice_datum_int(source.thread));
  if (source.query != nullptr) set(kSrcQuery, text(*source.query));
  if (can_copy_structs_) {
    last_.value = value;
    last_.batch = batch;
    last_.db = db;
    last_.has_table = table != nullptr;
    if (table != nullptr) last_.table = *table;
    last_.file = source.file;
    last_.pos = source.pos;
    last_.ts_sec = source.ts_sec;
    last_.server_id = source.server_id;
    last_.gtid = source.gtid;
    last_.thread = source.thread;
    last_.snapshot = source.snapshot;
    last_.query = source.query;
  }
  return value;
}

}  // namespace sluice::mysql
