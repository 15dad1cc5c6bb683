#include "runtime/worker/topic_creation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "runtime/config/properties.h"
#include "runtime/plugin/config_validation.h"

namespace sluice::worker {
namespace {

constexpr absl::string_view kPrefix = "topic.creation.";
constexpr absl::string_view kGroupsKey = "topic.creation.groups";
constexpr absl::string_view kDefault = "default";

// Kafka Connect's "-1 or at least 1" for partitions and replication factor, within `max`.
std::optional<int64_t> CountOf(const std::string& key, const std::string& value, int64_t max,
                               KeyErrors* errors) {
  int64_t n = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(value), &n)) {
    errors->emplace_back(key, absl::StrCat("Invalid value ", value, " for configuration ", key,
                                           ": Not a number of type INT"));
    return std::nullopt;
  }
  if ((n != -1 && n < 1) || n > max) {
    errors->emplace_back(key, absl::StrCat("Invalid value ", value, " for configuration ", key,
                                           ": Value must be -1 or at least 1",
                                           n > max ? absl::StrCat(" and at most ", max) : ""));
    return std::nullopt;
  }
  return n;
}

}  // namespace

bool TopicCreationRules::Group::Matches(const std::string& topic) const {
  for (const transform::JavaRegex& pattern : exclude) {
    if (pattern.Matches(topic)) return false;
  }
  for (const transform::JavaRegex& pattern : include) {
    if (pattern.Matches(topic)) return true;
  }
  return false;
}

std::optional<TopicCreationRules> TopicCreationRules::From(const ConfigMap& config,
                                                           bool worker_enabled, KeyErrors* errors,
                                                           KeyErrors* warnings) {
  const size_t errors_before = errors->size();
  bool uses = false;
  for (const auto& [key, value] : config) {
    if (!absl::StartsWith(key, kPrefix)) continue;
    uses = true;
    if (!worker_enabled) {
      errors->emplace_back(
          key, "the worker's topic.creation.enable is false, so it creates no topics and this "
               "setting would be ignored (as Kafka Connect ignores it); set "
               "topic.creation.enable=true on the worker or remove the connector's "
               "topic.creation.* keys");
    }
  }
  if (!uses || !worker_enabled) return std::nullopt;

  // The groups, in order; `default` always exists and is not listed.
  TopicCreationRules rules;
  rules.default_.name = std::string(kDefault);
  std::set<std::string> named = {std::string(kDefault)};
  if (std::optional<std::string> listed = plugin::Lookup(config, std::string(kGroupsKey))) {
    std::vector<std::string> aliases = config::ParseList(*listed);
    if (std::set<std::string>(aliases.begin(), aliases.end()).size() < aliases.size()) {
      errors->emplace_back(kGroupsKey, absl::StrCat("Invalid value ", *listed,
                                                    " for configuration topic.creation.groups: "
                                                    "Duplicate alias provided."));
    }
    for (const std::string& alias : aliases) {
      if (alias == kDefault) {
        warnings->emplace_back(kGroupsKey, "'default' topic creation group always exists and does "
                                           "not need to be listed explicitly");
        continue;
      }
      if (!named.insert(alias).second) continue;
      rules.groups_.push_back(Group{alias, {}, {}, std::nullopt, std::nullopt, {}});
    }
  }

  // Every other key belongs to a listed group (or the default one).
  bool default_partitions = false;
  bool default_replication = false;
  for (const auto& [key, value] : config) {
    absl::string_view rest = key;
    if (!absl::ConsumePrefix(&rest, kPrefix) || key == kGroupsKey) continue;
    const size_t dot = rest.find('.');
    const std::string alias(rest.substr(0, dot));
    const std::string setting(dot == absl::string_view::npos ? "" : rest.substr(dot + 1));
    Group* group = nullptr;
    if (alias == kDefault) {
      group = &rules.default_;
    } else {
      for (Group& g : rules.groups_) {
        if (g.name == alias) group = &g;
      }
    }
    if (group == nullptr || setting.empty()) {
      errors->emplace_back(
          key, setting.empty()
                   ? absl::StrCat("is not a topic creation setting (topic.creation.<group>."
                                  "<setting>); remove it")
                   : absl::StrCat("group `", alias,
                                  "` is not listed in topic.creation.groups, so Kafka Connect "
                                  "would ignore this setting; add it there or remove the key"));
      continue;
    }
    if (setting == "include" || setting == "exclude") {
      if (group == &rules.default_) {
        warnings->emplace_back(key, "accepted without effect: the default group takes every topic "
                                    "no other group matches; Kafka Connect ignores its include "
                                    "and exclude too");
        continue;
      }
      for (const std::string& pattern : config::ParseList(value)) {
        absl::StatusOr<transform::JavaRegex> compiled = transform::JavaRegex::Compile(pattern);
        if (!compiled.ok()) {
          errors->emplace_back(key, absl::StrCat("`", pattern, "`: ", compiled.status().message()));
          continue;
        }
        (setting == "include" ? group->include : group->exclude).push_back(*std::move(compiled));
      }
    } else if (setting == "partitions") {
      std::optional<int64_t> n = CountOf(key, value, INT32_MAX, errors);
      if (n) group->partitions = static_cast<int32_t>(*n);
      default_partitions |= group == &rules.default_;
    } else if (setting == "replication.factor") {
      std::optional<int64_t> n = CountOf(key, value, INT16_MAX, errors);
      if (n) group->replication_factor = static_cast<int16_t>(*n);
      default_replication |= group == &rules.default_;
    } else {
      group->configs[setting] = value;  // a topic config; the broker checks it at creation
    }
  }
  for (auto [present, key] : {std::pair<bool, const char*>{default_replication,
                                                           "topic.creation.default.replication.factor"},
                              {default_partitions, "topic.creation.default.partitions"}}) {
    if (!present) {
      errors->emplace_back(key, absl::StrCat("Missing required configuration \"", key,
                                             "\" which has no default value. It is required once "
                                             "any topic.creation.* key is set"));
    }
  }
  if (errors->size() > errors_before) return std::nullopt;
  return rules;
}

kafka::TopicSpec TopicCreationRules::SpecFor(const std::string& topic) const {
  const Group* chosen = &default_;
  for (const Group& group : groups_) {
    if (group.Matches(topic)) {
      chosen = &group;
      break;
    }
  }
  // A group's missing partitions and replication factor are the default group's (required).
  return kafka::TopicSpec{topic, chosen->partitions.value_or(*default_.partitions),
                          chosen->replication_factor.value_or(*default_.replication_factor),
                          chosen->configs};
}

absl::Status ConnectorTopicCreator::EnsureExists(const std::string& topic) {
  {
    absl::MutexLock lock(&mu_);
    if (known_.contains(topic)) return absl::OkStatus();
  }
  if (absl::Status status = admin_->CreateTopicIfMissing(rules_.SpecFor(topic)); !status.ok()) {
    return status;
  }
  absl::MutexLock lock(&mu_);
  known_.insert(topic);
  return absl::OkStatus();
}

}  // namespace sluice::worker
