#include "runtime/rest_json/rest_json.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "runtime/offsets/offset_codec.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::rest {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Every connector Sluice runs is a source connector (the ABI has no sinks yet).
constexpr char kConnectorType[] = "source";

void String(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Config(Writer& w, const ConfigMap& config) {
  w.StartObject();
  for (const auto& [key, value] : config) {
    String(w, key);
    String(w, value);
  }
  w.EndObject();
}

// The fields ConnectorState and TaskState share; the trace and the plugin's version (KIP-891)
// only when there is one, as Kafka Connect omits them.
void StateFields(Writer& w, herder::State state, const std::string& worker_id,
                 const std::string& trace, const std::string& version) {
  w.Key("state");
  String(w, herder::StateName(state));
  w.Key("worker_id");
  String(w, worker_id);
  if (!trace.empty()) {
    w.Key("trace");
    String(w, trace);
  }
  if (!version.empty()) {
    w.Key("version");
    String(w, version);
  }
}

void TaskStatus(Writer& w, const herder::TaskStatusInfo& task) {
  w.StartObject();
  w.Key("id");
  w.Int(task.id);
  StateFields(w, task.state, task.worker_id, task.trace, task.version);
  w.EndObject();
}

void ConnectorStatus(Writer& w, const herder::ConnectorStatusInfo& status) {
  w.StartObject();
  w.Key("name");
  String(w, status.name);
  w.Key("connector");
  w.StartObject();
  StateFields(w, status.state, status.worker_id, status.trace, status.version);
  w.EndObject();
  w.Key("tasks");
  w.StartArray();
  for (const herder::TaskStatusInfo& task : status.tasks) TaskStatus(w, task);
  w.EndArray();
  w.Key("type");
  w.String(kConnectorType);
  w.EndObject();
}

void TaskId(Writer& w, const std::string& connector, int task) {
  w.StartObject();
  w.Key("connector");
  String(w, connector);
  w.Key("task");
  w.Int(task);
  w.EndObject();
}

void ConnectorInfo(Writer& w, const herder::ConnectorInfo& info) {
  w.StartObject();
  w.Key("name");
  String(w, info.name);
  w.Key("config");
  Config(w, info.config);
  w.Key("tasks");
  w.StartArray();
  for (int task = 0; task < info.task_count; ++task) TaskId(w, info.name, task);
  w.EndArray();
  w.Key("type");
  w.String(kConnectorType);
  w.EndObject();
}

void StringArray(Writer& w, const std::vector<std::string>& values) {
  w.StartArray();
  for (const std::string& v : values) String(w, v);
  w.EndArray();
}

// ConfigKeyInfo. Sluice's config definitions have no importance, group, width or display name
// yet: importance is MEDIUM (ConfigDef's own default), group null, width NONE, the display name
// the key's name, order_in_group -1 (ConfigDef's "no order").
void Definition(Writer& w, const std::string& name, absl::string_view type, bool required,
                const std::optional<std::string>& default_value, absl::string_view documentation) {
  w.StartObject();
  w.Key("name");
  String(w, name);
  w.Key("type");
  String(w, type);
  w.Key("required");
  w.Bool(required);
  w.Key("default_value");
  if (default_value) {
    String(w, *default_value);
  } else {
    w.Null();
  }
  w.Key("importance");
  w.String("MEDIUM");
  w.Key("documentation");
  String(w, documentation);
  w.Key("group");
  w.Null();
  w.Key("order_in_group");
  w.Int(-1);
  w.Key("width");
  w.String("NONE");
  w.Key("display_name");
  String(w, name);
  w.Key("dependents");
  w.StartArray();
  w.EndArray();
  w.EndObject();
}

// ConfigValueInfo.
void Value(Writer& w, const std::string& name, const std::optional<std::string>& value,
           const std::vector<std::string>& errors) {
  w.StartObject();
  w.Key("name");
  String(w, name);
  w.Key("value");
  if (value) {
    String(w, *value);
  } else {
    w.Null();
  }
  w.Key("recommended_values");
  w.StartArray();
  w.EndArray();
  w.Key("errors");
  StringArray(w, errors);
  w.Key("visible");
  w.Bool(true);
  w.EndObject();
}

template <typename Fn>
std::string Write(Fn fn) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  fn(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// `nulls`: where keys whose value is null go; null = such a key is refused.
absl::StatusOr<ConfigMap> ConfigFrom(const rapidjson::Value& object, absl::string_view what,
                                     std::vector<std::string>* nulls = nullptr) {
  if (!object.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " must be a JSON object of strings"));
  }
  ConfigMap config;
  for (const auto& member : object.GetObject()) {
    std::string key(member.name.GetString(), member.name.GetStringLength());
    const rapidjson::Value& v = member.value;
    if (v.IsString()) {
      config.emplace_back(std::move(key), std::string(v.GetString(), v.GetStringLength()));
    } else if (v.IsBool()) {
      config.emplace_back(std::move(key), v.GetBool() ? "true" : "false");
    } else if (v.IsNumber()) {
      config.emplace_back(std::move(key), Write([&](Writer& w) { v.Accept(w); }));
    } else if (v.IsNull() && nulls != nullptr) {
      nulls->push_back(std::move(key));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": the value of `", key, "` must be a string"));
    }
  }
  return config;
}

absl::StatusOr<rapidjson::Document> Parse(absl::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request body is not JSON: ", rapidjson::GetParseError_En(doc.GetParseError()),
                     " at offset ", doc.GetErrorOffset()));
  }
  return doc;
}

}  // namespace

std::string ServerInfoJson(absl::string_view version, absl::string_view commit,
                           const std::optional<std::string>& kafka_cluster_id) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("version");
    String(w, version);
    w.Key("commit");
    String(w, commit);
    w.Key("kafka_cluster_id");
    if (kafka_cluster_id) {
      String(w, *kafka_cluster_id);
    } else {
      w.Null();
    }
    w.EndObject();
  });
}

std::string ConnectorInfoJson(const herder::ConnectorInfo& info) {
  return Write([&](Writer& w) { ConnectorInfo(w, info); });
}

std::string ConnectorStatusJson(const herder::ConnectorStatusInfo& status) {
  return Write([&](Writer& w) { ConnectorStatus(w, status); });
}

std::string TaskStatusJson(const herder::TaskStatusInfo& task) {
  return Write([&](Writer& w) { TaskStatus(w, task); });
}

std::string TaskInfosJson(const std::string& connector, const std::vector<ConfigMap>& tasks) {
  return Write([&](Writer& w) {
    w.StartArray();
    for (size_t i = 0; i < tasks.size(); ++i) {
      w.StartObject();
      w.Key("id");
      TaskId(w, connector, static_cast<int>(i));
      w.Key("config");
      Config(w, tasks[i]);
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string ActiveTopicsJson(const std::string& connector, const std::vector<std::string>& topics) {
  return Write([&](Writer& w) {
    w.StartObject();
    String(w, connector);
    w.StartObject();
    w.Key("topics");
    StringArray(w, topics);
    w.EndObject();
    w.EndObject();
  });
}

std::string ConfigJson(const ConfigMap& config) {
  return Write([&](Writer& w) { Config(w, config); });
}

std::string ConnectorListJson(const std::vector<herder::ConnectorInfo>& connectors,
                              bool expand_status, bool expand_info) {
  return Write([&](Writer& w) {
    if (!expand_status && !expand_info) {
      w.StartArray();
      for (const herder::ConnectorInfo& info : connectors) String(w, info.name);
      w.EndArray();
      return;
    }
    w.StartObject();
    for (const herder::ConnectorInfo& info : connectors) {
      String(w, info.name);
      w.StartObject();
      if (expand_status) {
        w.Key("status");
        ConnectorStatus(w, info.status);
      }
      if (expand_info) {
        w.Key("info");
        ConnectorInfo(w, info);
      }
      w.EndObject();
    }
    w.EndObject();
  });
}

std::string PluginsJson(const std::vector<PluginSummary>& plugins) {
  return Write([&](Writer& w) {
    w.StartArray();
    for (const PluginSummary& plugin : plugins) {
      w.StartObject();
      w.Key("class");
      String(w, plugin.class_name);
      w.Key("type");
      w.String(kConnectorType);
      w.Key("version");
      String(w, plugin.version);
      w.EndObject();
    }
    w.EndArray();
  });
}

std::string PluginsJson(const std::vector<std::shared_ptr<const plugin::Plugin>>& plugins) {
  std::vector<PluginSummary> summaries;
  for (const auto& plugin : plugins) summaries.push_back({plugin->name(), plugin->version()});
  return PluginsJson(summaries);
}

std::string ConfigInfosJson(const plugin::ConfigValidation& validation,
                            const plugin::Plugin* plugin, const ConfigMap& given) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("name");
    String(w, validation.plugin);
    w.Key("error_count");
    w.Int(validation.error_count);
    w.Key("groups");
    w.StartArray();
    w.EndArray();
    w.Key("configs");
    w.StartArray();
    auto verdict = [&](const std::string& name) -> const plugin::KeyValidation* {
      for (const plugin::KeyValidation& key : validation.keys) {
        if (key.name == name) return &key;
      }
      return nullptr;
    };
    std::set<std::string> declared;
    if (plugin != nullptr) {
      for (const plugin::ConfigDef& def : plugin->config_defs()) {
        declared.insert(def.name);
        const plugin::KeyValidation* checked = verdict(def.name);
        const bool set = plugin::Lookup(given, def.name).has_value();
        w.StartObject();
        w.Key("definition");
        Definition(w, def.name, herder::ConfigTypeName(def.type), def.required, def.default_value,
                   def.doc);
        w.Key("value");
        Value(w, def.name,
              set && checked != nullptr ? std::optional(checked->value) : def.default_value,
              checked != nullptr ? checked->errors : std::vector<std::string>{});
        w.EndObject();
      }
    }
    for (const plugin::KeyValidation& key : validation.keys) {
      if (declared.contains(key.name)) continue;
      w.StartObject();
      w.Key("definition");
      Definition(w, key.name, "STRING", false, std::nullopt, "");
      w.Key("value");
      Value(w, key.name, key.value, key.errors);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

std::string PluginConfigJson(const plugin::Plugin& plugin) {
  return Write([&](Writer& w) {
    w.StartArray();
    for (const plugin::ConfigDef& def : plugin.config_defs()) {
      Definition(w, def.name, herder::ConfigTypeName(def.type), def.required, def.default_value,
                 def.doc);
    }
    w.EndArray();
  });
}

std::string ConnectorOffsetsJson(const std::vector<herder::PartitionOffset>& offsets) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("offsets");
    w.StartArray();
    for (const herder::PartitionOffset& po : offsets) {
      if (!po.offset) continue;
      // The offsets topic's own spelling of each map (its fields in the connector's order).
      absl::StatusOr<std::string> partition = offsets::EncodeSourcePartition(po.partition);
      absl::StatusOr<std::string> offset = offsets::EncodeOffsetValue(*po.offset);
      if (!partition.ok() || !offset.ok()) continue;  // a NaN: never committed, never shown
      w.StartObject();
      w.Key("partition");
      w.RawValue(partition->data(), partition->size(), rapidjson::kObjectType);
      w.Key("offset");
      w.RawValue(offset->data(), offset->size(), rapidjson::kObjectType);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

std::string HealthJson(absl::string_view status, absl::string_view message) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("status");
    String(w, status);
    w.Key("message");
    String(w, message);
    w.EndObject();
  });
}

namespace {

void WriteLoggerLevel(Writer& w, const logging::LoggerLevel& level) {
  w.StartObject();
  w.Key("level");
  String(w, level.level);
  w.Key("last_modified");
  if (level.last_modified_ms) {
    w.Int64(*level.last_modified_ms);
  } else {
    w.Null();
  }
  w.EndObject();
}

}  // namespace

std::string LoggerLevelsJson(const std::map<std::string, logging::LoggerLevel>& levels) {
  return Write([&](Writer& w) {
    w.StartObject();
    for (const auto& [name, level] : levels) {
      String(w, name);
      WriteLoggerLevel(w, level);
    }
    w.EndObject();
  });
}

std::string LoggerLevelJson(const logging::LoggerLevel& level) {
  return Write([&](Writer& w) { WriteLoggerLevel(w, level); });
}

std::string StringsJson(const std::vector<std::string>& strings) {
  return Write([&](Writer& w) {
    w.StartArray();
    for (const std::string& s : strings) String(w, s);
    w.EndArray();
  });
}

std::string MessageJson(absl::string_view message) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("message");
    String(w, message);
    w.EndObject();
  });
}

std::string ErrorJson(int code, absl::string_view message) {
  return Write([&](Writer& w) {
    w.StartObject();
    w.Key("error_code");
    w.Int(code);
    w.Key("message");
    String(w, message);
    w.EndObject();
  });
}

absl::StatusOr<ConfigMap> ParseConfigObject(absl::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = Parse(body);
  if (!doc.ok()) return doc.status();
  return ConfigFrom(*doc, "the connector config");
}

absl::StatusOr<ConfigPatch> ParseConfigPatch(absl::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = Parse(body);
  if (!doc.ok()) return doc.status();
  ConfigPatch patch;
  absl::StatusOr<ConfigMap> set = ConfigFrom(*doc, "the config patch", &patch.remove);
  if (!set.ok()) return set.status();
  patch.set = *std::move(set);
  return patch;
}

absl::StatusOr<std::vector<herder::PartitionOffset>> ParseConnectorOffsets(
    absl::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = Parse(body);
  if (!doc.ok()) return doc.status();
  constexpr absl::string_view kShape =
      R"({"offsets": [{"partition": {...}, "offset": {...} or null}, ...]})";
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat("the request body must be ", kShape));
  }
  for (const auto& member : doc->GetObject()) {
    if (absl::string_view(member.name.GetString()) != "offsets") {
      return absl::InvalidArgumentError(absl::StrCat("unknown field `", member.name.GetString(),
                                                     "`: the request body must be ", kShape));
    }
  }
  std::vector<herder::PartitionOffset> out;
  auto list = doc->FindMember("offsets");
  if (list == doc->MemberEnd() || list->value.IsNull()) return out;
  if (!list->value.IsArray()) {
    return absl::InvalidArgumentError(absl::StrCat("`offsets` must be a list: ", kShape));
  }
  for (const rapidjson::Value& entry : list->value.GetArray()) {
    auto partition = entry.IsObject() ? entry.FindMember("partition") : entry.MemberEnd();
    if (!entry.IsObject() || partition == entry.MemberEnd() || !partition->value.IsObject()) {
      return absl::InvalidArgumentError(
          absl::StrCat("each of `offsets` needs a `partition` object: ", kShape));
    }
    // Back to text, fields in the order given, for the offsets topic's own decoder.
    absl::StatusOr<offsets::SourcePartition> parsed = offsets::DecodeSourcePartition(
        Write([&](Writer& w) { partition->value.Accept(w); }));
    if (!parsed.ok()) return absl::InvalidArgumentError(parsed.status().message());
    herder::PartitionOffset po{*std::move(parsed), std::nullopt};
    auto offset = entry.FindMember("offset");
    if (offset != entry.MemberEnd() && !offset->value.IsNull()) {
      absl::StatusOr<offsets::SourceOffset> value =
          offsets::DecodeOffsetValue(Write([&](Writer& w) { offset->value.Accept(w); }));
      if (!value.ok()) return absl::InvalidArgumentError(value.status().message());
      po.offset = *std::move(value);
    }
    out.push_back(std::move(po));
  }
  return out;
}

absl::StatusOr<CreateRequest> ParseCreateRequest(absl::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = Parse(body);
  if (!doc.ok()) return doc.status();
  if (!doc->IsObject()) {
    return absl::InvalidArgumentError(
        "the request body must be a JSON object: {\"name\": ..., \"config\": {...}}");
  }
  CreateRequest out;
  if (auto name = doc->FindMember("name"); name != doc->MemberEnd() && name->value.IsString()) {
    out.name.assign(name->value.GetString(), name->value.GetStringLength());
  }
  auto config = doc->FindMember("config");
  if (config == doc->MemberEnd() || config->value.IsNull()) {
    return absl::InvalidArgumentError("the request body has no `config` object");
  }
  absl::StatusOr<ConfigMap> parsed = ConfigFrom(config->value, "`config`");
  if (!parsed.ok()) return parsed.status();
  out.config = *std::move(parsed);
  if (auto state = doc->FindMember("initial_state");
      state != doc->MemberEnd() && !state->value.IsNull()) {
    const std::string s = state->value.IsString() ? state->value.GetString() : "";
    if (s == "RUNNING") {
      out.initial_state = herder::TargetState::kStarted;
    } else if (s == "PAUSED") {
      out.initial_state = herder::TargetState::kPaused;
    } else if (s == "STOPPED") {
      out.initial_state = herder::TargetState::kStopped;
    } else {
      return absl::InvalidArgumentError(
          "`initial_state` must be one of RUNNING, PAUSED, STOPPED");
    }
  }
  return out;
}

}  // namespace sluice::rest
