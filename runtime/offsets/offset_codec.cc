#include "runtime/offsets/offset_codec.h"

#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::offsets {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

template <typename Tag>
absl::Status WriteObject(const FieldMap<Tag>& map, JsonWriter& w) {
  w.StartObject();
  for (const OffsetField& f : map.fields()) {
    w.Key(f.name.data(), static_cast<rapidjson::SizeType>(f.name.size()));
    const OffsetValue& v = f.value;
    if (std::holds_alternative<std::monostate>(v)) {
      w.Null();
    } else if (const bool* b = std::get_if<bool>(&v)) {
      w.Bool(*b);
    } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
      w.Int64(*i);
    } else if (const double* d = std::get_if<double>(&v)) {
      if (!std::isfinite(*d)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "offset field `", f.name, "` is ", *d, "; JSON offsets cannot hold NaN or infinity"));
      }
      w.Double(*d);
    } else {
      const std::string& s = std::get<std::string>(v);
      w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    }
  }
  w.EndObject();
  return absl::OkStatus();
}

template <typename Tag>
absl::StatusOr<FieldMap<Tag>> ReadObject(const rapidjson::Value& obj, absl::string_view what) {
  FieldMap<Tag> out;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    OffsetField field;
    field.name.assign(it->name.GetString(), it->name.GetStringLength());
    const rapidjson::Value& v = it->value;
    if (v.IsNull()) {
      field.value = std::monostate{};
    } else if (v.IsBool()) {
      field.value = v.GetBool();
    } else if (v.IsInt64()) {
      field.value = v.GetInt64();
    } else if (v.IsNumber() && !v.IsUint64()) {
      field.value = v.GetDouble();
    } else if (v.IsString()) {
      field.value = std::string(v.GetString(), v.GetStringLength());
    } else {
      return absl::DataLossError(
          absl::StrCat(what, " field `", field.name,
                       "` is not a primitive (or an integer beyond int64); offsets hold "
                       "only null, booleans, numbers and strings"));
    }
    out.mutable_fields().push_back(std::move(field));
  }
  return out;
}

absl::StatusOr<rapidjson::Document> Parse(absl::string_view bytes, absl::string_view what) {
  rapidjson::Document doc;
  doc.Parse(bytes.data(), bytes.size());
  if (doc.HasParseError()) {
    return absl::DataLossError(
        absl::StrCat(what, " is not JSON (", rapidjson::GetParseError_En(doc.GetParseError()),
                     " at byte ", doc.GetErrorOffset(), "): ", bytes.substr(0, 200)));
  }
  return doc;
}

template <typename Tag>
absl::StatusOr<std::string> EncodeObject(const FieldMap<Tag>& map) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  if (absl::Status s = WriteObject(map, w); !s.ok()) return s;
  return std::string(buffer.GetString(), buffer.GetSize());
}

// `what`: the bytes as a whole (in errors about them); `fields`: what their fields belong to.
template <typename Tag>
absl::StatusOr<FieldMap<Tag>> DecodeObject(absl::string_view bytes, absl::string_view what,
                                           absl::string_view fields) {
  absl::StatusOr<rapidjson::Document> doc = Parse(bytes, what);
  if (!doc.ok()) return doc.status();
  if (!doc->IsObject()) {
    return absl::DataLossError(absl::StrCat(what, " is not a JSON object: ", bytes.substr(0, 200)));
  }
  return ReadObject<Tag>(*doc, fields);
}

}  // namespace

absl::StatusOr<std::string> EncodeOffsetKey(absl::string_view connector,
                                            const SourcePartition& partition) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  w.String(connector.data(), static_cast<rapidjson::SizeType>(connector.size()));
  if (absl::Status s = WriteObject(partition, w); !s.ok()) return s;
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<std::string> EncodeOffsetValue(const SourceOffset& offset) {
  return EncodeObject(offset);
}

absl::StatusOr<std::string> EncodeSourcePartition(const SourcePartition& partition) {
  return EncodeObject(partition);
}

absl::StatusOr<DecodedOffsetKey> DecodeOffsetKey(absl::string_view bytes) {
  absl::StatusOr<rapidjson::Document> doc = Parse(bytes, "offsets topic key");
  if (!doc.ok()) return doc.status();
  if (!doc->IsArray() || doc->Size() != 2 || !(*doc)[0].IsString() || !(*doc)[1].IsObject()) {
    return absl::DataLossError(absl::StrCat(
        "offsets topic key is not [\"<connector>\",{<partition>}]: ", bytes.substr(0, 200)));
  }
  DecodedOffsetKey out;
  out.connector.assign((*doc)[0].GetString(), (*doc)[0].GetStringLength());
  absl::StatusOr<SourcePartition> partition =
      ReadObject<SourcePartitionTag>((*doc)[1], "source partition");
  if (!partition.ok()) return partition.status();
  out.partition = *std::move(partition);
  return out;
}

absl::StatusOr<SourceOffset> DecodeOffsetValue(absl::string_view bytes) {
  return DecodeObject<SourceOffsetTag>(bytes, "offsets topic value", "source offset");
}

absl::StatusOr<SourcePartition> DecodeSourcePartition(absl::string_view bytes) {
  return DecodeObject<SourcePartitionTag>(bytes, "source partition", "source partition");
}

}  // namespace sluice::offsets
