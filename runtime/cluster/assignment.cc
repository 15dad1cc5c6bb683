#include "runtime/cluster/assignment.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::cluster {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, absl::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string StringOf(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

int64_t IntOf(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return 0;
  return it->value.GetInt64();
}

void Encode(Writer& w, const std::string& owner) { String(w, owner); }
void Encode(Writer& w, const PendingMove& move) {
  w.StartObject();
  w.Key("from");
  String(w, move.from);
  w.Key("to");
  String(w, move.to);
  w.Key("since");
  w.Int64(move.since);
  w.EndObject();
}
void Encode(Writer& w, const LostUnit& lost) {
  w.StartObject();
  w.Key("owner");
  String(w, lost.owner);
  w.Key("since_ms");
  w.Int64(lost.since_ms);
  w.EndObject();
}

bool Decode(const rapidjson::Value& v, std::string* owner) {
  if (!v.IsString()) return false;
  *owner = std::string(v.GetString(), v.GetStringLength());
  return true;
}
bool Decode(const rapidjson::Value& v, PendingMove* move) {
  if (!v.IsObject()) return false;
  *move = PendingMove{StringOf(v, "from"), StringOf(v, "to"), IntOf(v, "since")};
  return true;
}
bool Decode(const rapidjson::Value& v, LostUnit* lost) {
  if (!v.IsObject()) return false;
  *lost = LostUnit{StringOf(v, "owner"), IntOf(v, "since_ms")};
  return true;
}

// One map of units as two members: `key` {connector: value} for connector instances, and
// `task_<key>` {connector: {"<task id>": value}} for tasks (a connector's name may hold '-', so
// Kafka Connect's "name-i" would be ambiguous as a key).
template <typename V>
void EncodeUnits(Writer& w, const char* key, const std::map<WorkUnit, V>& units) {
  w.Key(key);
  w.StartObject();
  for (const auto& [unit, value] : units) {
    if (unit.is_task()) continue;
    String(w, unit.connector);
    Encode(w, value);
  }
  w.EndObject();
  w.Key(absl::StrCat("task_", key).c_str());
  w.StartObject();
  const std::string* open = nullptr;  // the connector whose task object is open
  for (const auto& [unit, value] : units) {
    if (!unit.is_task()) continue;
    if (open == nullptr || *open != unit.connector) {
      if (open != nullptr) w.EndObject();
      String(w, unit.connector);
      w.StartObject();
      open = &unit.connector;
    }
    String(w, absl::StrCat(unit.task));
    Encode(w, value);
  }
  if (open != nullptr) w.EndObject();
  w.EndObject();
}

template <typename V>
void DecodeUnits(const rapidjson::Document& doc, const char* key, std::map<WorkUnit, V>* units) {
  V value;
  if (auto it = doc.FindMember(key); it != doc.MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject()) {
      if (Decode(m.value, &value)) (*units)[WorkUnit::Connector(m.name.GetString())] = value;
    }
  }
  const std::string task_key = absl::StrCat("task_", key);
  auto it = doc.FindMember(task_key.c_str());
  if (it == doc.MemberEnd() || !it->value.IsObject()) return;
  for (const auto& connector : it->value.GetObject()) {
    if (!connector.value.IsObject()) continue;
    for (const auto& task : connector.value.GetObject()) {
      int id = 0;
      if (!absl::SimpleAtoi(task.name.GetString(), &id) || id < 0) continue;
      if (Decode(task.value, &value)) {
        (*units)[WorkUnit::Task(connector.name.GetString(), id)] = value;
      }
    }
  }
}

// Connector instances and tasks are balanced apart, as Kafka Connect counts them.
enum Kind { kConnectors = 0, kTasks = 1 };
Kind KindOf(const WorkUnit& unit) { return unit.is_task() ? kTasks : kConnectors; }
using Loads = std::map<std::string, int>;  // member -> units of one kind it holds or receives

// The work each member holds or is about to receive, per kind: owned units, plus pending ones
// counted for the member they move to (so a move in flight is not planned twice).
std::array<Loads, 2> LoadsOf(const Assignment& a, const std::set<std::string>& members) {
  std::array<Loads, 2> load;
  for (const std::string& m : members) load[kConnectors][m] = load[kTasks][m] = 0;
  for (const auto& [unit, owner] : a.owners) ++load[KindOf(unit)][owner];
  for (const auto& [unit, move] : a.pending) {
    if (members.contains(move.to)) ++load[KindOf(unit)][move.to];
  }
  return load;
}

// Every unit the config topic holds: each connector's instance and its committed tasks.
std::vector<WorkUnit> UnitsOf(const std::map<std::string, ConnectorWork>& connectors) {
  std::vector<WorkUnit> units;
  for (const auto& [name, work] : connectors) {
    units.push_back(WorkUnit::Connector(name));
    for (int i = 0; i < work.tasks; ++i) units.push_back(WorkUnit::Task(name, i));
  }
  return units;
}

}  // namespace

std::string WorkUnit::Name() const {
  return is_task() ? absl::StrCat(connector, "-", task) : connector;
}

std::vector<std::string> Assignment::ConnectorsOf(const std::string& worker) const {
  std::vector<std::string> out;
  for (const auto& [unit, owner] : owners) {
    if (owner == worker && !unit.is_task()) out.push_back(unit.connector);
  }
  return out;
}

std::vector<WorkUnit> Assignment::TasksOf(const std::string& worker) const {
  std::vector<WorkUnit> out;
  for (const auto& [unit, owner] : owners) {
    if (owner == worker && unit.is_task()) out.push_back(unit);
  }
  return out;
}

std::string Assignment::OwnerOf(const WorkUnit& unit) const {
  auto it = owners.find(unit);
  return it == owners.end() ? "" : it->second;
}

std::string EncodeAssignment(const Assignment& a) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("epoch");
  w.Int64(a.epoch);
  w.Key("leader");
  String(w, a.leader);
  EncodeUnits(w, "owners", a.owners);
  EncodeUnits(w, "pending", a.pending);
  EncodeUnits(w, "lost", a.lost);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<Assignment> DecodeAssignment(absl::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return absl::InvalidArgumentError("sluice-assignment: not a JSON object");
  }
  Assignment a;
  a.epoch = IntOf(doc, "epoch");
  a.leader = StringOf(doc, "leader");
  DecodeUnits(doc, "owners", &a.owners);
  DecodeUnits(doc, "pending", &a.pending);
  DecodeUnits(doc, "lost", &a.lost);
  return a;
}

Assignment NextAssignment(const Assignment& previous, const AssignmentInputs& in,
                          const std::string& leader) {
  const std::set<std::string> members(in.members.begin(), in.members.end());
  const int64_t epoch = previous.epoch + 1;
  const int64_t delay_ms = absl::ToInt64Milliseconds(in.max_delay);
  auto can_run = [&](const std::string& worker, const WorkUnit& unit) {
    auto plugins = in.plugins.find(worker);
    return members.contains(worker) && plugins != in.plugins.end() &&
           plugins->second.contains(in.connectors.at(unit.connector).connector_class);
  };
  auto applied = [&](const std::string& worker) {
    auto it = in.applied.find(worker);
    return it == in.applied.end() ? int64_t{0} : it->second;
  };

  Assignment next;
  std::vector<WorkUnit> free;                 // to place, connector first, then its tasks
  std::map<WorkUnit, std::string> preferred;  // free unit -> the member it moves to
  for (const WorkUnit& unit : UnitsOf(in.connectors)) {
    if (auto owner = previous.owners.find(unit); owner != previous.owners.end()) {
      const std::string& w = owner->second;
      if (can_run(w, unit)) {
        next.owners[unit] = w;
      } else if (members.contains(w)) {
        next.pending[unit] = PendingMove{w, "", epoch};  // it lost the plugin: revoke first
      } else if (delay_ms > 0) {
        next.lost[unit] = LostUnit{w, in.now_ms};
      } else {
        free.push_back(unit);
      }
      continue;
    }
    if (auto move = previous.pending.find(unit); move != previous.pending.end()) {
      const PendingMove& m = move->second;
      if (members.contains(m.from) && applied(m.from) < m.since) {
        next.pending[unit] = m;  // the old owner may still run it
        continue;
      }
      if (!m.to.empty()) preferred[unit] = m.to;
      free.push_back(unit);
      continue;
    }
    if (auto lost = previous.lost.find(unit); lost != previous.lost.end()) {
      const LostUnit& l = lost->second;
      if (can_run(l.owner, unit)) {
        next.owners[unit] = l.owner;  // it came back in time
        continue;
      }
      if (!members.contains(l.owner) && in.now_ms - l.since_ms < delay_ms) {
        next.lost[unit] = l;
        continue;
      }
    }
    free.push_back(unit);
  }

  // Free units: to the member they were moving to when it can still take them, else to the
  // least loaded member of their kind with the plugin (ties: for a task, the member running its
  // connector; else the lower id).
  std::array<Loads, 2> load = LoadsOf(next, members);
  for (const WorkUnit& unit : free) {
    std::string chosen;
    if (auto p = preferred.find(unit); p != preferred.end() && can_run(p->second, unit)) {
      chosen = p->second;
    } else {
      const std::string host =
          unit.is_task() ? next.OwnerOf(WorkUnit::Connector(unit.connector)) : "";
      int best = std::numeric_limits<int>::max();
      for (const auto& [worker, n] : load[KindOf(unit)]) {
        if (!can_run(worker, unit)) continue;
        if (n < best || (n == best && worker == host)) {
          best = n;
          chosen = worker;
        }
      }
    }
    if (chosen.empty()) continue;  // no member has its plugin: unassigned
    next.owners[unit] = chosen;
    ++load[KindOf(unit)][chosen];
  }

  // Balance, each kind apart: revoke from the most loaded for the least loaded, one unit per
  // step, while the two differ by more than one and some unit of the first can run on the second
  // (a task whose connector runs on the second first).
  for (Kind kind : {kConnectors, kTasks}) {
    Loads& loads = load[kind];
    while (!loads.empty()) {
      auto by_load = [](const auto& a, const auto& b) { return a.second < b.second; };
      auto most = std::max_element(loads.begin(), loads.end(), by_load);
      auto least = std::min_element(loads.begin(), loads.end(), by_load);
      if (most->second - least->second <= 1) break;
      std::optional<WorkUnit> victim;
      bool victim_joins_its_connector = false;
      for (const auto& [unit, owner] : next.owners) {
        if (KindOf(unit) != kind || owner != most->first || !can_run(least->first, unit)) continue;
        const bool joins = unit.is_task() &&
                           next.OwnerOf(WorkUnit::Connector(unit.connector)) == least->first;
        if (!victim || joins >= victim_joins_its_connector) {  // among equals, the last
          victim = unit;
          victim_joins_its_connector = joins;
        }
      }
      if (!victim) break;
      next.owners.erase(*victim);
      next.pending[*victim] = PendingMove{most->first, least->first, epoch};
      --most->second;
      ++least->second;
    }
  }

  // A new leader publishes itself even when the work stays: followers forward writes to the
  // assignment's leader (docs/cluster.md).
  if (next.SameWork(previous) && previous.leader == leader) return previous;
  next.epoch = epoch;
  next.leader = leader;
  return next;
}

int64_t NextLostDeadlineMs(const Assignment& assignment, absl::Duration max_delay) {
  int64_t earliest = -1;
  for (const auto& [unit, lost] : assignment.lost) {
    const int64_t deadline = lost.since_ms + absl::ToInt64Milliseconds(max_delay);
    if (earliest < 0 || deadline < earliest) earliest = deadline;
  }
  return earliest;
}

}  // namespace sluice::cluster
