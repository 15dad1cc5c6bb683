#include "runtime/herder/connect_records.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::herder {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

absl::StatusOr<rapidjson::Document> Parse(absl::string_view value, absl::string_view what) {
  rapidjson::Document doc;
  doc.Parse(value.data(), value.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not a JSON object"));
  }
  return doc;
}

// "<name>-<i>" split at the last '-', as Kafka Connect's ConnectorTaskId keys are parsed.
bool SplitTaskId(absl::string_view rest, std::string* connector, int* task) {
  const size_t dash = rest.rfind('-');
  if (dash == absl::string_view::npos || dash == 0) return false;
  if (!absl::SimpleAtoi(rest.substr(dash + 1), task) || *task < 0) return false;
  *connector = std::string(rest.substr(0, dash));
  return true;
}

}  // namespace

absl::string_view TargetStateName(TargetState state) {
  switch (state) {
    case TargetState::kStarted:
      return "STARTED";
    case TargetState::kPaused:
      return "PAUSED";
    case TargetState::kStopped:
      return "STOPPED";
  }
  return "STARTED";
}

absl::StatusOr<TargetState> ParseTargetState(absl::string_view name) {
  if (name == "STARTED") return TargetState::kStarted;
  if (name == "PAUSED") return TargetState::kPaused;
  if (name == "STOPPED") return TargetState::kStopped;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown target state `", name, "` (STARTED, PAUSED, STOPPED)"));
}

absl::string_view StateName(State state) {
  switch (state) {
    case State::kUnassigned:
      return "UNASSIGNED";
    case State::kRunning:
      return "RUNNING";
    case State::kPaused:
      return "PAUSED";
    case State::kStopped:
      return "STOPPED";
    case State::kFailed:
      return "FAILED";
    case State::kRestarting:
      return "RESTARTING";
  }
  return "UNASSIGNED";
}

absl::StatusOr<State> ParseState(absl::string_view name) {
  for (State s : {State::kUnassigned, State::kRunning, State::kPaused, State::kStopped,
                  State::kFailed, State::kRestarting}) {
    if (StateName(s) == name) return s;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown state `", name, "`"));
}

std::string ConnectorConfigKey(absl::string_view connector) {
  return absl::StrCat("connector-", connector);
}
std::string TaskConfigKey(absl::string_view connector, int task) {
  return absl::StrCat("task-", connector, "-", task);
}
std::string CommitKey(absl::string_view connector) { return absl::StrCat("commit-", connector); }
std::string TargetStateKey(absl::string_view connector) {
  return absl::StrCat("target-state-", connector);
}
std::string TaskCountKey(absl::string_view connector) {
  return absl::StrCat("tasks-fencing-", connector);
}
std::string RestartRequestKey(absl::string_view connector) {
  return absl::StrCat("restart-connector-", connector);
}

ConfigTopicKey ParseConfigTopicKey(absl::string_view key) {
  ConfigTopicKey out;
  absl::string_view rest = key;
  // "target-state-" before anything else: no other prefix is a prefix of it.
  if (absl::ConsumePrefix(&rest, "target-state-")) {
    out.kind = ConfigTopicKey::Kind::kTargetState;
    out.connector = std::string(rest);
  } else if (rest = key; absl::ConsumePrefix(&rest, "restart-connector-")) {
    out.kind = ConfigTopicKey::Kind::kRestart;
    out.connector = std::string(rest);
  } else if (rest = key; absl::ConsumePrefix(&rest, "tasks-fencing-")) {
    out.kind = ConfigTopicKey::Kind::kTaskCount;
    out.connector = std::string(rest);
  } else if (rest = key; absl::ConsumePrefix(&rest, "connector-")) {
    out.kind = ConfigTopicKey::Kind::kConnector;
    out.connector = std::string(rest);
  } else if (rest = key; absl::ConsumePrefix(&rest, "commit-")) {
    out.kind = ConfigTopicKey::Kind::kCommit;
    out.connector = std::string(rest);
  } else if (rest = key;
             absl::ConsumePrefix(&rest, "task-") && SplitTaskId(rest, &out.connector, &out.task)) {
    out.kind = ConfigTopicKey::Kind::kTask;
  }
  if (out.kind != ConfigTopicKey::Kind::kTask && out.kind != ConfigTopicKey::Kind::kUnknown &&
      out.connector.empty()) {
    out.kind = ConfigTopicKey::Kind::kUnknown;
  }
  return out;
}

std::string EncodeProperties(const ConfigMap& properties) {
  // Last duplicate wins, first position kept: the order a user wrote stays readable.
  ConfigMap unique;
  for (const auto& [k, v] : properties) {
    bool replaced = false;
    for (auto& [uk, uv] : unique) {
      if (uk == k) {
        uv = v;
        replaced = true;
      }
    }
    if (!replaced) unique.emplace_back(k, v);
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  String(w, "properties");
  w.StartObject();
  for (const auto& [k, v] : unique) {
    String(w, k);
    String(w, v);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<ConfigMap> DecodeProperties(absl::string_view value) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, "config record");
  if (!doc.ok()) return doc.status();
  auto it = doc->FindMember("properties");
  if (it == doc->MemberEnd() || !it->value.IsObject()) {
    return absl::InvalidArgumentError("config record: no `properties` object");
  }
  ConfigMap out;
  for (auto m = it->value.MemberBegin(); m != it->value.MemberEnd(); ++m) {
    // Kafka Connect's schema allows a null property value; it means "unset".
    if (m->value.IsNull()) continue;
    if (!m->value.IsString()) {
      return absl::InvalidArgumentError(
          absl::StrCat("config record: property `", m->name.GetString(), "` is not a string"));
    }
    out.emplace_back(std::string(m->name.GetString(), m->name.GetStringLength()),
                     std::string(m->value.GetString(), m->value.GetStringLength()));
  }
  return out;
}

namespace {

// The count in a `{"<field>":N}` value (`what` names the record in errors).
absl::StatusOr<int> DecodeCount(absl::string_view value, absl::string_view what,
                                const char* field) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, what);
  if (!doc.ok()) return doc.status();
  auto it = doc->FindMember(field);
  if (it == doc->MemberEnd() || !it->value.IsInt() || it->value.GetInt() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": `", field, "` is not a count"));
  }
  return it->value.GetInt();
}

}  // namespace

std::string EncodeCommit(int tasks) { return absl::StrCat("{\"tasks\":", tasks, "}"); }

absl::StatusOr<int> DecodeCommit(absl::string_view value) {
  return DecodeCount(value, "commit record", "tasks");
}

std::string EncodeTaskCount(int tasks) { return absl::StrCat("{\"task-count\":", tasks, "}"); }

absl::StatusOr<int> DecodeTaskCount(absl::string_view value) {
  return DecodeCount(value, "task-count record", "task-count");
}

std::vector<kafka::KeyedRecord> TaskConfigRecords(absl::string_view connector,
                                                  const std::vector<ConfigMap>& tasks) {
  std::vector<kafka::KeyedRecord> records;
  for (size_t i = 0; i < tasks.size(); ++i) {
    records.push_back({TaskConfigKey(connector, static_cast<int>(i)), EncodeProperties(tasks[i])});
  }
  records.push_back({CommitKey(connector), EncodeCommit(static_cast<int>(tasks.size()))});
  return records;
}

std::string EncodeTargetState(TargetState state) {
  const absl::string_view v1 = state == TargetState::kStopped ? "PAUSED" : TargetStateName(state);
  return absl::StrCat("{\"state\":\"", v1, "\",\"state.v2\":\"", TargetStateName(state), "\"}");
}

std::string EncodeRestartRequest(const RestartRequest& request) {
  return absl::StrCat("{\"include-tasks\":", request.include_tasks ? "true" : "false",
                      ",\"only-failed\":", request.only_failed ? "true" : "false", "}");
}

absl::StatusOr<RestartRequest> DecodeRestartRequest(absl::string_view value) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, "restart request record");
  if (!doc.ok()) return doc.status();
  RestartRequest out;
  auto flag = [&](const char* field) {
    auto it = doc->FindMember(field);
    return it != doc->MemberEnd() && it->value.IsBool() && it->value.GetBool();
  };
  out.include_tasks = flag("include-tasks");
  out.only_failed = flag("only-failed");
  return out;
}

absl::StatusOr<TargetState> DecodeTargetState(absl::string_view value) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, "target state record");
  if (!doc.ok()) return doc.status();
  for (const char* field : {"state.v2", "state"}) {
    auto it = doc->FindMember(field);
    if (it != doc->MemberEnd() && it->value.IsString()) {
      return ParseTargetState(
          absl::string_view(it->value.GetString(), it->value.GetStringLength()));
    }
  }
  return absl::InvalidArgumentError("target state record: no `state`");
}

std::string ConnectorStatusKey(absl::string_view connector) {
  return absl::StrCat("status-connector-", connector);
}
std::string TaskStatusKey(absl::string_view connector, int task) {
  return absl::StrCat("status-task-", connector, "-", task);
}
std::string TopicStatusKey(absl::string_view topic, absl::string_view connector) {
  return absl::StrCat("status-topic-", topic, ":connector-", connector);
}

StatusTopicKey ParseStatusTopicKey(absl::string_view key) {
  StatusTopicKey out;
  absl::string_view rest = key;
  if (absl::ConsumePrefix(&rest, "status-connector-")) {
    if (!rest.empty()) {
      out.kind = StatusTopicKey::Kind::kConnector;
      out.connector = std::string(rest);
    }
  } else if (rest = key; absl::ConsumePrefix(&rest, "status-task-")) {
    if (SplitTaskId(rest, &out.connector, &out.task)) out.kind = StatusTopicKey::Kind::kTask;
  } else if (rest = key; absl::ConsumePrefix(&rest, "status-topic-")) {
    // Topic names cannot contain ':', so the first ":connector-" separates the two names.
    const size_t sep = rest.find(":connector-");
    if (sep != absl::string_view::npos && sep > 0) {
      out.kind = StatusTopicKey::Kind::kTopic;
      out.topic = std::string(rest.substr(0, sep));
      out.connector = std::string(rest.substr(sep + 11));
    }
  }
  return out;
}

std::string EncodeStatus(const StatusValue& status) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  String(w, "state");
  String(w, StateName(status.state));
  String(w, "trace");
  if (status.trace) {
    String(w, *status.trace);
  } else {
    w.Null();
  }
  String(w, "worker_id");
  String(w, status.worker_id);
  String(w, "generation");
  w.Int(status.generation);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<StatusValue> DecodeStatus(absl::string_view value) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, "status record");
  if (!doc.ok()) return doc.status();
  StatusValue out;
  auto state = doc->FindMember("state");
  if (state == doc->MemberEnd() || !state->value.IsString()) {
    return absl::InvalidArgumentError("status record: no `state`");
  }
  absl::StatusOr<State> parsed = ParseState(state->value.GetString());
  if (!parsed.ok()) return parsed.status();
  out.state = *parsed;
  if (auto t = doc->FindMember("trace"); t != doc->MemberEnd() && t->value.IsString()) {
    out.trace.emplace(t->value.GetString(), t->value.GetStringLength());
  }
  if (auto w = doc->FindMember("worker_id"); w != doc->MemberEnd() && w->value.IsString()) {
    out.worker_id.assign(w->value.GetString(), w->value.GetStringLength());
  }
  if (auto g = doc->FindMember("generation"); g != doc->MemberEnd() && g->value.IsInt()) {
    out.generation = g->value.GetInt();
  }
  return out;
}

std::string EncodeTopicStatus(const TopicStatusValue& status) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  String(w, "topic");
  w.StartObject();
  String(w, "name");
  String(w, status.topic);
  String(w, "connector");
  String(w, status.connector);
  String(w, "task");
  w.Int(status.task);
  String(w, "discoverTimestamp");
  w.Int64(status.discover_timestamp_ms);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<TopicStatusValue> DecodeTopicStatus(absl::string_view value) {
  absl::StatusOr<rapidjson::Document> doc = Parse(value, "topic status record");
  if (!doc.ok()) return doc.status();
  auto topic = doc->FindMember("topic");
  if (topic == doc->MemberEnd() || !topic->value.IsObject()) {
    return absl::InvalidArgumentError("topic status record: no `topic` object");
  }
  const rapidjson::Value& t = topic->value;
  TopicStatusValue out;
  auto name = t.FindMember("name");
  auto connector = t.FindMember("connector");
  if (name == t.MemberEnd() || !name->value.IsString() || connector == t.MemberEnd() ||
      !connector->value.IsString()) {
    return absl::InvalidArgumentError("topic status record: `name` and `connector` are required");
  }
  out.topic = name->value.GetString();
  out.connector = connector->value.GetString();
  if (auto task = t.FindMember("task"); task != t.MemberEnd() && task->value.IsInt())
    out.task = task->value.GetInt();
  if (auto ts = t.FindMember("discoverTimestamp"); ts != t.MemberEnd() && ts->value.IsInt64()) {
    out.discover_timestamp_ms = ts->value.GetInt64();
  }
  return out;
}

}  // namespace sluice::herder
