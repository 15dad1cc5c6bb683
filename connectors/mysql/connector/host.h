#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_HOST_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_HOST_H_

// The host's function table, seen from C++: logging, errors, progress and schema building as
// Status values. One per task; used on the task thread only (the ABI's rule for these functions).

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sluice/connector.h"

namespace sluice::mysql {

inline sluice_str Str(absl::string_view text) { return sluice_str{text.data(), text.size()}; }

// Kafka Connect's SchemaBuilder, as arguments to one host call.
struct SchemaArgs {
  sluice_type type = SLUICE_TYPE_STRING;
  bool optional = false;
  std::string name;
  int version = -1;  // -1: none
  std::string doc;   // empty: none
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::pair<std::string, const sluice_schema*>> fields;
  const sluice_schema* items = nullptr;  // ARRAY: the element schema
  const sluice_datum* default_value = nullptr;
};

// The arguments of a schema without fields: its type, whether it is optional, and its logical
// name and version when it has them.
inline SchemaArgs SchemaOf(sluice_type type, bool optional, std::string name = "",
                           int version = -1) {
  SchemaArgs args;
  args.type = type;
  args.optional = optional;
  args.name = std::move(name);
  args.version = version;
  return args;
}

class Host {
 public:
  Host(const sluice_host_api* api, sluice_ctx* ctx) : api_(api), ctx_(ctx) {}

  const sluice_host_api* api() const { return api_; }
  sluice_ctx* ctx() const { return ctx_; }

  void Log(sluice_log_level level, absl::string_view message) const {
    api_->log(ctx_, level, Str(message));
  }
  // Tells the host what the task is doing (ABI 1.2). An older host's table lacks the call: then
  // nothing is reported. A refused report changes nothing and is the host's to log.
  void ReportProgress(const sluice_task_progress& progress) const {
    if (SLUICE_HAS_MEMBER(api_, sluice_host_api, task_progress_report) &&
        api_->task_progress_report != nullptr) {
      (void)api_->task_progress_report(ctx_, &progress);
    }
  }
  // Marks a transaction boundary after the records appended to `batch` so far (ABI 1.5): with the
  // worker's exactly-once and transaction.boundary=connector, the host commits them (and their
  // offsets) as one Kafka transaction; otherwise it ignores the mark. An older host lacks it.
  void EndTransaction(sluice_batch* batch) const {
    if (SLUICE_HAS_MEMBER(api_, sluice_host_api, transaction_commit) &&
        api_->transaction_commit != nullptr) {
      (void)api_->transaction_commit(batch);
    }
  }
  // Reports `status` as the failing callback's error and returns its code for the ABI.
  sluice_status Fail(const absl::Status& status) const {
    api_->set_error(ctx_, static_cast<sluice_status>(status.code()), Str(status.message()));
    return static_cast<sluice_status>(status.code());
  }

  absl::StatusOr<const sluice_schema*> Schema(const SchemaArgs& args) const {
    std::vector<sluice_str_pair> parameters;
    for (const auto& [name, value] : args.parameters) {
      parameters.push_back(sluice_str_pair{Str(name), Str(value)});
    }
    std::vector<sluice_field_spec> fields;
    for (const auto& [name, schema] : args.fields) {
      fields.push_back(sluice_field_spec{Str(name), schema});
    }
    sluice_schema_spec spec{};
    spec.struct_size = sizeof(spec);
    spec.type = args.type;
    spec.optional = args.optional ? 1 : 0;
    spec.name = Str(args.name);
    spec.has_version = args.version >= 0 ? 1 : 0;
    spec.version = args.version;
    spec.doc = Str(args.doc);
    spec.parameters = parameters.data();
    spec.parameter_count = parameters.size();
    spec.default_value = args.default_value;
    spec.fields = fields.data();
    spec.field_count = fields.size();
    spec.value_schema = args.items;
    const sluice_schema* out = nullptr;
    sluice_status status = api_->schema_create(ctx_, &spec, &out);
    if (status != SLUICE_OK) {
      return absl::Status(static_cast<absl::StatusCode>(status),
                          std::string("building schema ") + args.name + " failed");
    }
    return out;
  }

 private:
  const sluice_host_api* api_;
  sluice_ctx* ctx_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_HOST_H_
