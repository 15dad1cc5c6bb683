#include "runtime/cli/client_files.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/writer.h"

namespace sluice::cli {
namespace {

// RapidJSON's output stream, appending straight to a string.
struct JsonOutput {
  using Ch = char;
  std::string* text;
  void Put(char c) { text->push_back(c); }
  void Flush() {}
};

// A parsed value as compact JSON text.
std::string JsonText(const rapidjson::Value& value) {
  std::string text;
  JsonOutput output{&text};
  rapidjson::Writer<JsonOutput> writer(output);
  value.Accept(writer);
  return text;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  std::optional<std::string> text = ReadWholeFile(path);
  if (!text) return absl::InvalidArgumentError(absl::StrCat("cannot read `", path, "`"));
  return *std::move(text);
}

}  // namespace

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<ConnectorFile> ReadConnectorFile(const std::string& path, bool name_required) {
  absl::StatusOr<std::string> text = ReadInput(path);
  if (!text.ok()) return text.status();
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat("`", path, "` is not a JSON object"));
  }
  ConnectorFile file;
  const rapidjson::Value* object = &doc;
  if (auto c = doc.FindMember("config"); c != doc.MemberEnd()) {
    if (!c->value.IsObject()) {
      return absl::InvalidArgumentError(absl::StrCat("`", path, "`: \"config\" must be an object"));
    }
    object = &c->value;
    if (auto n = doc.FindMember("name"); n != doc.MemberEnd() && n->value.IsString()) {
      file.name = n->value.GetString();
    }
  }
  for (auto m = object->MemberBegin(); m != object->MemberEnd(); ++m) {
    if (m->value.IsNull()) continue;
    file.config[m->name.GetString()] =
        m->value.IsString() ? std::string(m->value.GetString(), m->value.GetStringLength())
                            : JsonText(m->value);
  }
  if (file.name.empty()) {
    if (auto it = file.config.find("name"); it != file.config.end()) file.name = it->second;
  }
  if (name_required && file.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "`", path, "` names no connector: expected {\"name\": ..., \"config\": {...}}"));
  }
  return file;
}

absl::StatusOr<std::vector<::sluice::admin::v1::PartitionOffset>> ReadOffsetsFile(
    const std::string& path) {
  const absl::Status shape = absl::InvalidArgumentError(absl::StrCat(
      "`", path, "`: expected {\"offsets\":[{\"partition\":{...},\"offset\":{...}}]}"));
  absl::StatusOr<std::string> text = ReadInput(path);
  if (!text.ok()) return text.status();
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  auto offsets = doc.IsObject() ? doc.FindMember("offsets") : doc.MemberEnd();
  if (doc.HasParseError() || !doc.IsObject() || offsets == doc.MemberEnd() ||
      !offsets->value.IsArray()) {
    return shape;
  }
  std::vector<::sluice::admin::v1::PartitionOffset> out;
  for (const rapidjson::Value& entry : offsets->value.GetArray()) {
    auto partition = entry.IsObject() ? entry.FindMember("partition") : entry.MemberEnd();
    if (!entry.IsObject() || partition == entry.MemberEnd() || !partition->value.IsObject()) {
      return absl::InvalidArgumentError(
          absl::StrCat("`", path, "`: every entry needs a \"partition\" object"));
    }
    ::sluice::admin::v1::PartitionOffset& po = out.emplace_back();
    po.set_partition_json(JsonText(partition->value));
    if (auto offset = entry.FindMember("offset");
        offset != entry.MemberEnd() && offset->value.IsObject()) {
      po.set_offset_json(JsonText(offset->value));
    }
  }
  return out;
}

}  // namespace sluice::cli
