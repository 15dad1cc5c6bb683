#include "runtime/kafka/client_stats.h"

#include <map>
#include <mutex>

#include "rapidjson/document.h"

namespace sluice::kafka {
namespace {

std::mutex& Mutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, ProducerStats>& Table() {
  static auto* table = new std::map<std::string, ProducerStats>();
  return *table;
}

int64_t Int(const rapidjson::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  return it != doc.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

}  // namespace

void UpdateClientStats(absl::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("name") ||
      !doc["name"].IsString()) {
    return;
  }
  auto type = doc.FindMember("type");
  if (type == doc.MemberEnd() || !type->value.IsString() ||
      std::string(type->value.GetString()) != "producer") {
    return;
  }
  ProducerStats s;
  s.name = doc["name"].GetString();
  if (auto id = doc.FindMember("client_id"); id != doc.MemberEnd() && id->value.IsString()) {
    s.client_id = id->value.GetString();
  }
  s.messages_sent = Int(doc, "txmsgs");
  s.bytes_sent = Int(doc, "txmsg_bytes");
  s.requests_sent = Int(doc, "tx");
  s.responses = Int(doc, "rx");
  s.queued_messages = Int(doc, "msg_cnt");
  s.queued_bytes = Int(doc, "msg_size");
  std::lock_guard<std::mutex> lock(Mutex());
  Table()[s.name] = std::move(s);
}

void ForgetClientStats(const std::string& name) {
  std::lock_guard<std::mutex> lock(Mutex());
  Table().erase(name);
}

std::vector<ProducerStats> ProducerStatsSnapshot() {
  std::lock_guard<std::mutex> lock(Mutex());
  std::vector<ProducerStats> out;
  for (const auto& [name, stats] : Table()) out.push_back(stats);
  return out;
}

}  // namespace sluice::kafka
