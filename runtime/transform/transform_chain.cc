#include "runtime/transform/transform_chain.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/transform_registry.h"

namespace sluice::transform {

namespace {

constexpr std::string_view kTransforms = "transforms";
constexpr std::string_view kPredicates = "predicates";

std::optional<std::string> Lookup(const ConfigMap& config, std::string_view key) {
  std::optional<std::string> found;
  for (const auto& [k, v] : config) {
    if (k == key) found = v;
  }
  return found;
}

// The aliases listed under `key` (trimmed, empty items dropped), a duplicate refused.
std::vector<std::string> Aliases(const ConfigMap& config, std::string_view key,
                                 std::vector<ConfigProblem>& problems) {
  std::vector<std::string> aliases;
  const std::optional<std::string> list = Lookup(config, key);
  if (!list.has_value()) return aliases;
  for (absl::string_view item : absl::StrSplit(*list, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty()) continue;
    if (std::find(aliases.begin(), aliases.end(), item) != aliases.end()) {
      problems.push_back({std::string(key), StrCat("lists `", item,
                                                   "` twice (Kafka Connect: \"Duplicate alias "
                                                   "provided.\"); list each alias once")});
      continue;
    }
    aliases.emplace_back(item);
  }
  return aliases;
}

// The keys under `<kind>.<alias>.`, prefix stripped, in the config's order.
ConfigMap Under(const ConfigMap& config, const std::string& prefix) {
  ConfigMap under;
  for (const auto& [k, v] : config) {
    if (absl::StartsWith(k, prefix)) under.emplace_back(k.substr(prefix.size()), v);
  }
  return under;
}

// Keys `<kind>.<x>.*` whose alias x the list does not name.
void RefuseUnlisted(const ConfigMap& config, std::string_view kind,
                    const std::vector<std::string>& aliases,
                    std::vector<ConfigProblem>& problems) {
  const std::string prefix = StrCat(kind, ".");
  std::set<std::string> reported;
  for (const auto& [k, v] : config) {
    if (!absl::StartsWith(k, prefix)) continue;
    const std::string rest = k.substr(prefix.size());
    bool listed = false;
    for (const std::string& alias : aliases) {
      if (absl::StartsWith(rest, StrCat(alias, "."))) listed = true;
    }
    if (listed || !reported.insert(k).second) continue;
    const size_t dot = rest.find('.');
    const std::string alias = dot == std::string::npos ? rest : rest.substr(0, dot);
    problems.push_back({k, StrCat("configures `", alias, "`, which `", kind,
                                  "` does not list, so it would have no effect; add `", alias,
                                  "` to `", kind, "` or remove the key")});
  }
}

std::string Listing(const std::vector<std::string>& names) { return absl::StrJoin(names, ", "); }

}  // namespace

std::unique_ptr<TransformChain> BuildChain(const ConfigMap& config,
                                           std::vector<ConfigProblem>& problems) {
  auto chain = std::make_unique<TransformChain>();
  const size_t problems_before = problems.size();
  const std::vector<std::string> transforms = Aliases(config, kTransforms, problems);
  const std::vector<std::string> predicates = Aliases(config, kPredicates, problems);
  RefuseUnlisted(config, kTransforms, transforms, problems);
  RefuseUnlisted(config, kPredicates, predicates, problems);

  std::map<std::string, Predicate*> by_alias;
  for (const std::string& alias : predicates) {
    const std::string prefix = StrCat(kPredicates, ".", alias, ".");
    ConfigMap options = Under(config, prefix);
    const std::optional<std::string> type = Lookup(options, "type");
    const std::string cls(absl::StripAsciiWhitespace(type.value_or("")));
    options.erase(std::remove_if(options.begin(), options.end(),
                                 [](const auto& kv) { return kv.first == "type"; }),
                  options.end());
    if (cls.empty()) {
      problems.push_back({StrCat(prefix, "type"),
                          StrCat("is required: the class of predicate `", alias, "`, one of ",
                                 Listing(PredicateClasses()))});
      continue;
    }
    MakePredicate make = FindPredicate(cls);
    if (make == nullptr) {
      problems.push_back({StrCat(prefix, "type"),
                          StrCat("`", cls, "` is not a predicate this worker has; it has ",
                                 Listing(PredicateClasses()), " (docs/transforms.md)")});
      continue;
    }
    TransformOptions reader(prefix, cls, std::move(options), &problems);
    std::unique_ptr<Predicate> predicate = make(reader);
    reader.Finish();
    if (predicate == nullptr) continue;
    by_alias[alias] = predicate.get();
    chain->predicates_.push_back(std::move(predicate));
  }

  for (const std::string& alias : transforms) {
    const std::string prefix = StrCat(kTransforms, ".", alias, ".");
    ConfigMap options = Under(config, prefix);
    const std::optional<std::string> type = Lookup(options, "type");
    const std::optional<std::string> predicate = Lookup(options, "predicate");
    const std::optional<std::string> negate = Lookup(options, "negate");
    // The stage's own keys are Kafka Connect's, not the transform's (they mask any of its own).
    options.erase(std::remove_if(options.begin(), options.end(),
                                 [](const auto& kv) {
                                   return kv.first == "type" || kv.first == "predicate" ||
                                          kv.first == "negate";
                                 }),
                  options.end());
    TransformChain::Stage stage;
    stage.alias = alias;
    bool ok = true;
    if (predicate.has_value()) {
      const std::string p(absl::StripAsciiWhitespace(*predicate));
      if (std::find(predicates.begin(), predicates.end(), p) == predicates.end()) {
        problems.push_back(
            {StrCat(prefix, "predicate"),
             StrCat("names `", p, "`, which `predicates` does not list; add it there with its ",
                    "`predicates.", p, ".type`")});
        ok = false;
      } else if (auto it = by_alias.find(p); it != by_alias.end()) {
        stage.predicate = it->second;
        stage.predicate_alias = p;
      } else {
        ok = false;  // the predicate itself was refused above
      }
    }
    if (negate.has_value()) {
      const std::string n = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*negate));
      if (!predicate.has_value()) {
        problems.push_back({StrCat(prefix, "negate"),
                            StrCat("was provided but there is no `", prefix,
                                   "predicate` defining a predicate to be negated; set one or "
                                   "remove `negate`")});
        ok = false;
      } else if (n != "true" && n != "false") {
        problems.push_back(
            {StrCat(prefix, "negate"), StrCat("must be true or false, not `", *negate, "`")});
        ok = false;
      }
      stage.negate = n == "true";
    }
    stage.class_name = std::string(absl::StripAsciiWhitespace(type.value_or("")));
    if (stage.class_name.empty()) {
      problems.push_back({StrCat(prefix, "type"),
                          StrCat("is required: the class of transform `", alias, "`, one of ",
                                 Listing(TransformationClasses()))});
      continue;
    }
    MakeTransformation make = FindTransformation(stage.class_name);
    if (make == nullptr) {
      problems.push_back(
          {StrCat(prefix, "type"),
           StrCat("`", stage.class_name, "` is not a transform this worker has; it has ",
                  Listing(TransformationClasses()), " (docs/transforms.md)")});
      continue;
    }
    TransformOptions reader(prefix, stage.class_name, std::move(options), &problems);
    stage.transformation = make(reader);
    reader.Finish();
    if (stage.transformation == nullptr || !ok) continue;
    chain->stages_.push_back(std::move(stage));
  }
  if (problems.size() != problems_before) return nullptr;
  return chain;
}

std::vector<ConfigProblem> CheckTransforms(const ConfigMap& config) {
  std::vector<ConfigProblem> problems;
  (void)BuildChain(config, problems);
  return problems;
}

absl::StatusOr<std::unique_ptr<TransformChain>> TransformChain::Create(const ConfigMap& config,
                                                                       std::string_view subject) {
  std::vector<ConfigProblem> problems;
  std::unique_ptr<TransformChain> chain = BuildChain(config, problems);
  if (chain != nullptr) return chain;
  std::vector<std::string> lines;
  for (const ConfigProblem& p : problems) lines.push_back(StrCat("`", p.key, "`: ", p.message));
  return absl::InvalidArgumentError(StrCat(subject, ": ", absl::StrJoin(lines, "; ")));
}

TransformChain::~TransformChain() = default;

absl::Status TransformChain::Apply(data::SourceRecord& record, data::RecordBatch& batch,
                                   Verdict& verdict) {
  verdict = Verdict::kKeep;
  for (Stage& stage : stages_) {
    if (stage.predicate != nullptr) {
      absl::StatusOr<bool> holds = stage.predicate->Test(record);
      if (!holds.ok()) {
        return absl::Status(holds.status().code(),
                            StrCat("predicate `", stage.predicate_alias, "` of transform `",
                                   stage.alias, "`: ", holds.status().message()));
      }
      if (stage.negate == *holds) continue;
    }
    absl::Status status = stage.transformation->Apply(record, batch, verdict);
    if (!status.ok()) {
      return absl::Status(status.code(), StrCat("transform `", stage.alias, "` (",
                                                stage.class_name, "): ", status.message()));
    }
    if (verdict == Verdict::kDrop) return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace sluice::transform
