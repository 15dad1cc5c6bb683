#include "tests/fault/checker.h"

#include <cstdlib>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "rapidjson/document.h"

namespace sluice::testing {
namespace {

// A change as the checker matches it: key, whether it is a delete, the version of its image.
// Inserts and updates are not told apart: a snapshot's read ('r') of a row names the same version.
using Identity = std::tuple<int, bool, int64_t>;

Identity IdentityOf(const ChangeId& c) { return {c.key, c.op == 'd', c.version}; }

std::string Spell(const Identity& id) {
  return absl::StrCat("key ", std::get<0>(id), std::get<1>(id) ? " delete of version " : " version ",
                      std::get<2>(id));
}

// The identity a change record carries; nullopt for a tombstone or a record of another shape.
std::optional<Identity> RecordIdentity(const ConsumedRecord& record) {
  if (!record.value.has_value()) return std::nullopt;
  rapidjson::Document value;
  value.Parse(record.value->c_str());
  if (!value.IsObject()) return std::nullopt;
  const rapidjson::Value* envelope = &value;
  if (value.HasMember("payload") && value.HasMember("schema")) envelope = &value["payload"];
  if (!envelope->IsObject() || !envelope->HasMember("op")) return std::nullopt;
  const bool is_delete = std::string((*envelope)["op"].GetString()) == "d";
  const rapidjson::Value& image = (*envelope)[is_delete ? "before" : "after"];
  if (!image.IsObject() || !image.HasMember("id") || !image.HasMember("ver")) return std::nullopt;
  return Identity{image["id"].GetInt(), is_delete, image["ver"].GetInt64()};
}

struct Truth {
  std::map<Identity, const WrittenTransaction*> committed, unknown, rolled_back;
  std::map<int, std::vector<Identity>> per_key;  // committed and unknown, in the order made
};

Truth TruthOf(const std::vector<WrittenTransaction>& transactions) {
  Truth truth;
  for (const WrittenTransaction& t : transactions) {
    for (const ChangeId& c : t.changes) {
      const Identity id = IdentityOf(c);
      switch (t.outcome) {
        case Outcome::kCommitted:
          truth.committed[id] = &t;
          truth.per_key[c.key].push_back(id);
          break;
        case Outcome::kUnknown:
          truth.unknown[id] = &t;
          truth.per_key[c.key].push_back(id);
          break;
        case Outcome::kRolledBack:
          truth.rolled_back[id] = &t;
          break;
      }
    }
  }
  return truth;
}

size_t Missing(const std::vector<ConsumedRecord>& records, const Truth& truth) {
  std::set<Identity> seen;
  for (const ConsumedRecord& r : records) {
    if (std::optional<Identity> id = RecordIdentity(r)) seen.insert(*id);
  }
  size_t missing = 0;
  for (const auto& [id, t] : truth.committed) missing += seen.contains(id) ? 0 : 1;
  return missing;
}

void AddProblem(std::vector<std::string>& problems, std::string problem) {
  constexpr size_t kKept = 20;  // the rest are counted
  if (problems.size() < kKept) {
    problems.push_back(std::move(problem));
  } else if (problems.size() == kKept) {
    problems.push_back("(more problems left out)");
  }
}

// "mysql-bin.000012" against "mysql-bin.000003": the numbered suffixes have the same width.
bool AtOrBefore(const std::string& file, uint64_t pos, const std::string& offset_file,
                uint64_t offset_pos) {
  return std::tie(file, pos) <= std::tie(offset_file, offset_pos);
}

}  // namespace

bool CheckOptions::ExactlyOnceAsked() {
  const char* value = std::getenv("SLUICE_FAULT_EXACTLY_ONCE");
  return value != nullptr && std::string(value) == "1";
}

std::string CheckReport::Summary() const {
  std::string out = absl::StrCat(records, " change records for ", expected,
                                 " committed changes, ", duplicates, " repeated");
  if (problems.empty()) return absl::StrCat(out, "; every promise held");
  absl::StrAppend(&out, "; problems:");
  for (const std::string& p : problems) absl::StrAppend(&out, "\n  ", p);
  return out;
}

CheckReport CheckRecords(const std::vector<ConsumedRecord>& records,
                         const std::vector<WrittenTransaction>& transactions,
                         const CheckOptions& options) {
  const Truth truth = TruthOf(transactions);
  CheckReport report;
  report.expected = truth.committed.size();
  std::map<Identity, size_t> first;  // identity -> index of its first record
  std::map<Identity, size_t> count;
  for (const ConsumedRecord& record : records) {
    std::optional<Identity> id = RecordIdentity(record);
    if (!id.has_value()) continue;
    const size_t index = report.records++;
    if (++count[*id] > 1) {
      ++report.duplicates;
      continue;
    }
    first[*id] = index;
    if (truth.committed.contains(*id) || truth.unknown.contains(*id)) continue;
    if (auto r = truth.rolled_back.find(*id); r != truth.rolled_back.end()) {
      AddProblem(report.problems, absl::StrCat("phantom: ", Spell(*id), " of transaction ",
                                               r->second->id, ", which rolled back"));
    } else {
      AddProblem(report.problems, absl::StrCat("phantom: ", Spell(*id), ", a change never made"));
    }
  }
  for (const auto& [id, t] : truth.committed) {
    if (!first.contains(id)) {
      AddProblem(report.problems, absl::StrCat("missing: ", Spell(id), " of committed transaction ",
                                               t->id, " (ended at ", t->end_file, ":", t->end_pos,
                                               ")"));
    }
  }
  // A transaction whose COMMIT answer was lost: whole or absent.
  std::map<const WrittenTransaction*, std::pair<size_t, size_t>> unknown_seen;  // seen, total
  for (const auto& [id, t] : truth.unknown) {
    auto& [seen, total] = unknown_seen[t];
    ++total;
    seen += first.contains(id) ? 1 : 0;
  }
  for (const auto& [t, counts] : unknown_seen) {
    if (counts.first != 0 && counts.first != counts.second) {
      AddProblem(report.problems,
                 absl::StrCat("torn: transaction ", t->id, " (its COMMIT's answer was lost) has ",
                              counts.first, " of its ", counts.second, " changes in the topic"));
    }
  }
  for (const auto& [key, made] : truth.per_key) {
    std::optional<std::pair<Identity, size_t>> previous;
    for (const Identity& id : made) {
      auto at = first.find(id);
      if (at == first.end()) continue;
      if (previous.has_value() && at->second < previous->second) {
        AddProblem(report.problems, absl::StrCat("order: ", Spell(id), " first arrived before ",
                                                 Spell(previous->first), ", made earlier"));
      }
      previous = std::make_pair(id, at->second);
    }
  }
  if (options.exactly_once) {
    for (const auto& [id, n] : count) {
      if (n > 1) {
        AddProblem(report.problems, absl::StrCat("duplicate under exactly-once: ", Spell(id), " ",
                                                 n, " times"));
      }
    }
  }
  return report;
}

CheckReport CheckTopic(const std::string& bootstrap, const std::string& topic,
                       const Workload& workload, const CheckOptions& options) {
  const std::vector<WrittenTransaction> transactions = workload.Transactions();
  const Truth truth = TruthOf(transactions);
  const absl::Time deadline = absl::Now() + options.liveness;
  std::vector<ConsumedRecord> records;
  size_t missing = truth.committed.size();
  while (true) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(bootstrap, topic, absl::Seconds(30));
    if (read.ok()) {
      records = *std::move(read);
      missing = Missing(records, truth);
    }
    if (missing == 0 || absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  CheckReport report = CheckRecords(records, transactions, options);
  if (missing != 0) {
    report.problems.insert(report.problems.begin(),
                           absl::StrCat("liveness: ", missing, " committed changes still missing ",
                                        absl::FormatDuration(options.liveness),
                                        " after the fault"));
  }
  return report;
}

std::vector<std::string> CheckOffsetNotAhead(const std::optional<std::string>& offset,
                                             const std::vector<ConsumedRecord>& records,
                                             const std::vector<WrittenTransaction>& truth) {
  std::vector<std::string> problems;
  if (!offset.has_value()) return problems;
  rapidjson::Document value;
  value.Parse(offset->c_str());
  if (!value.IsObject() || !value.HasMember("file") || !value["file"].IsString() ||
      !value.HasMember("pos") || !value["pos"].IsInt64()) {
    if (value.IsObject() && value.HasMember("snapshot")) return problems;  // no position yet
    problems.push_back(absl::StrCat("the committed offset has no binlog file and pos: ", *offset));
    return problems;
  }
  const std::string file = value["file"].GetString();
  const uint64_t pos = static_cast<uint64_t>(value["pos"].GetInt64());
  std::set<Identity> seen;
  for (const ConsumedRecord& r : records) {
    if (std::optional<Identity> id = RecordIdentity(r)) seen.insert(*id);
  }
  for (const WrittenTransaction& t : truth) {
    if (t.outcome != Outcome::kCommitted || t.end_file.empty()) continue;
    if (!AtOrBefore(t.end_file, t.end_pos, file, pos)) continue;
    for (const ChangeId& c : t.changes) {
      if (seen.contains(IdentityOf(c))) continue;
      AddProblem(problems, absl::StrCat("offset ahead of the data: the committed offset ", *offset,
                                        " is past transaction ", t.id, " (ended at ", t.end_file,
                                        ":", t.end_pos, "), whose ", Spell(IdentityOf(c)),
                                        " is not in the topic"));
    }
  }
  return problems;
}

}  // namespace sluice::testing
