#include "runtime/transform/header_transforms.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace sluice::transform {
namespace {

// Drops every record it is applied to: used with a predicate (Kafka's Filter).
class Filter final : public Transformation {
 public:
  absl::Status Apply(data::SourceRecord&, data::RecordBatch&, Verdict& verdict) override {
    verdict = Verdict::kDrop;
    return absl::OkStatus();
  }
};

// Adds header `name` with a literal string value after the record's headers. Kafka parses
// `value.literal` with Values.parseString, so `42` becomes an int8 and `true` a boolean; here the
// value is always a string, which differs only in the header's schema, not in its bytes under
// the JSON header converter for strings that do not parse as numbers or booleans. Numbers and
// booleans are therefore refused at validate.
class InsertHeader final : public Transformation {
 public:
  InsertHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const size_t n = record.headers.size();
    data::Header* h = batch.arena().AllocateArray<data::Header>(n + 1);
    std::copy(record.headers.begin(), record.headers.end(), h);
    h[n] = data::Header{name_, schema_.get(), data::Value::String(value_)};
    record.headers = std::span<const data::Header>(h, n + 1);
    return absl::OkStatus();
  }

 private:
  const std::string name_;
  const std::string value_;
  const data::SchemaPtr schema_ = data::PrimitiveSchema(data::Type::kString);
};

// Removes every header whose key is one of `names`.
class DropHeaders final : public Transformation {
 public:
  explicit DropHeaders(std::vector<std::string> names) : names_(std::move(names)) {}
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    if (record.headers.empty()) return absl::OkStatus();
    data::Header* h = batch.arena().AllocateArray<data::Header>(record.headers.size());
    size_t n = 0;
    for (const data::Header& header : record.headers) {
      if (std::find(names_.begin(), names_.end(), header.key) == names_.end()) h[n++] = header;
    }
    record.headers = std::span<const data::Header>(h, n);
    return absl::OkStatus();
  }

 private:
  const std::vector<std::string> names_;
};

bool LooksLikeNumberOrBoolean(const std::string& v) {
  if (v == "true" || v == "false") return true;
  if (v.empty()) return false;
  size_t i = v[0] == '-' || v[0] == '+' ? 1 : 0;
  if (i == v.size()) return false;
  bool digit = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digit = true;
    } else if (v[i] != '.' && v[i] != 'e' && v[i] != 'E' && v[i] != '-' && v[i] != '+') {
      return false;
    }
  }
  return digit;
}

}  // namespace

std::unique_ptr<Transformation> MakeFilter(TransformOptions& options) {
  if (options.failed()) return nullptr;
  return std::make_unique<Filter>();
}

std::unique_ptr<Transformation> MakeInsertHeader(TransformOptions& options) {
  std::string name = options.RequiredString("header", "the name of the header to add");
  std::string value = options.RequiredString("value.literal", "the header's value");
  if (LooksLikeNumberOrBoolean(value)) {
    options.Problem("value.literal",
                    "is a number or boolean, which Kafka Connect would add as a typed header; this "
                    "worker adds string literals only");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<InsertHeader>(std::move(name), std::move(value));
}

std::unique_ptr<Transformation> MakeDropHeaders(TransformOptions& options) {
  std::vector<std::string> names = options.List("headers");
  if (names.empty()) {
    options.Problem("headers", "is required by DropHeaders: the header names to remove, "
                               "comma-separated");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<DropHeaders>(std::move(names));
}

}  // namespace sluice::transform
