#include "runtime/cluster/cluster_records.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::cluster {

bool IsClusterKey(absl::string_view key) { return absl::StartsWith(key, "sluice-"); }

kafka::KeyedRecord WorkerRecord(const std::string& worker_id, const std::set<std::string>& plugins,
                                const std::string& admin_address) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("plugins");
  w.StartArray();
  for (const std::string& p : plugins) w.String(p.data(), static_cast<rapidjson::SizeType>(p.size()));
  w.EndArray();
  if (!admin_address.empty()) {
    w.Key("admin");
    w.String(admin_address.data(), static_cast<rapidjson::SizeType>(admin_address.size()));
  }
  w.EndObject();
  return {absl::StrCat(kWorkerKeyPrefix, worker_id), std::string(buffer.GetString(), buffer.GetSize())};
}

std::optional<std::set<std::string>> DecodeWorkerPlugins(absl::string_view value) {
  rapidjson::Document doc;
  doc.Parse(value.data(), value.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto it = doc.FindMember("plugins");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return std::nullopt;
  std::set<std::string> out;
  for (const auto& p : it->value.GetArray()) {
    if (p.IsString()) out.emplace(p.GetString(), p.GetStringLength());
  }
  return out;
}

std::string DecodeWorkerAdmin(absl::string_view value) {
  rapidjson::Document doc;
  doc.Parse(value.data(), value.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto it = doc.FindMember("admin");
  if (it == doc.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

kafka::KeyedRecord RestartTaskRecord(const std::string& connector, int task) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("connector");
  w.String(connector.data(), static_cast<rapidjson::SizeType>(connector.size()));
  w.Key("task");
  w.Int(task);
  w.EndObject();
  return {absl::StrCat(kRestartTaskKeyPrefix, connector, "-", task),
          std::string(buffer.GetString(), buffer.GetSize())};
}

std::optional<TaskRestart> DecodeRestartTask(const kafka::KeyedRecord& record) {
  if (!absl::StartsWith(record.key, kRestartTaskKeyPrefix) || !record.value) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse(record.value->data(), record.value->size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto connector = doc.FindMember("connector");
  auto task = doc.FindMember("task");
  if (connector == doc.MemberEnd() || !connector->value.IsString() || task == doc.MemberEnd() ||
      !task->value.IsInt()) {
    return std::nullopt;
  }
  return TaskRestart{std::string(connector->value.GetString(), connector->value.GetStringLength()),
                     task->value.GetInt()};
}

kafka::KeyedRecord AppliedRecord(const std::string& worker_id, int64_t epoch) {
  return {absl::StrCat(kAppliedKeyPrefix, worker_id), absl::StrCat("{\"epoch\":", epoch, "}")};
}

std::optional<int64_t> DecodeAppliedEpoch(absl::string_view value) {
  rapidjson::Document doc;
  doc.Parse(value.data(), value.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto it = doc.FindMember("epoch");
  if (it == doc.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

}  // namespace sluice::cluster
