#include "runtime/cluster/assignment.h"

#include <algorithm>
#include <limits>

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

// The work each member holds or is about to receive: owned connectors, plus pending ones
// counted for the member they move to (so a move in flight is not planned twice).
std::map<std::string, int> Loads(const Assignment& a, const std::set<std::string>& members) {
  std::map<std::string, int> load;
  for (const std::string& m : members) load[m] = 0;
  for (const auto& [connector, owner] : a.owners) ++load[owner];
  for (const auto& [connector, move] : a.pending) {
    if (members.contains(move.to)) ++load[move.to];
  }
  return load;
}

}  // namespace

std::vector<std::string> Assignment::ConnectorsOf(const std::string& worker) const {
  std::vector<std::string> out;
  for (const auto& [connector, owner] : owners) {
    if (owner == worker) out.push_back(connector);
  }
  return out;
}

std::string EncodeAssignment(const Assignment& a) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("epoch");
  w.Int64(a.epoch);
  w.Key("leader");
  String(w, a.leader);
  w.Key("owners");
  w.StartObject();
  for (const auto& [connector, owner] : a.owners) {
    String(w, connector);
    String(w, owner);
  }
  w.EndObject();
  w.Key("pending");
  w.StartObject();
  for (const auto& [connector, move] : a.pending) {
    String(w, connector);
    w.StartObject();
    w.Key("from");
    String(w, move.from);
    w.Key("to");
    String(w, move.to);
    w.Key("since");
    w.Int64(move.since);
    w.EndObject();
  }
  w.EndObject();
  w.Key("lost");
  w.StartObject();
  for (const auto& [connector, lost] : a.lost) {
    String(w, connector);
    w.StartObject();
    w.Key("owner");
    String(w, lost.owner);
    w.Key("since_ms");
    w.Int64(lost.since_ms);
    w.EndObject();
  }
  w.EndObject();
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
  if (auto it = doc.FindMember("owners"); it != doc.MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsString()) continue;
      a.owners[m.name.GetString()] = m.value.GetString();
    }
  }
  if (auto it = doc.FindMember("pending"); it != doc.MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsObject()) continue;
      a.pending[m.name.GetString()] =
          PendingMove{StringOf(m.value, "from"), StringOf(m.value, "to"), IntOf(m.value, "since")};
    }
  }
  if (auto it = doc.FindMember("lost"); it != doc.MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsObject()) continue;
      a.lost[m.name.GetString()] =
          LostConnector{StringOf(m.value, "owner"), IntOf(m.value, "since_ms")};
    }
  }
  return a;
}

Assignment NextAssignment(const Assignment& previous, const AssignmentInputs& in,
                          const std::string& leader) {
  const std::set<std::string> members(in.members.begin(), in.members.end());
  const int64_t epoch = previous.epoch + 1;
  const int64_t delay_ms = absl::ToInt64Milliseconds(in.max_delay);
  auto can_run = [&](const std::string& worker, const std::string& connector) {
    auto plugins = in.plugins.find(worker);
    return members.contains(worker) && plugins != in.plugins.end() &&
           plugins->second.contains(in.connectors.at(connector));
  };
  auto applied = [&](const std::string& worker) {
    auto it = in.applied.find(worker);
    return it == in.applied.end() ? int64_t{0} : it->second;
  };

  Assignment next;
  std::vector<std::string> free;   // to place, in name order (the map's)
  std::map<std::string, std::string> preferred;  // free connector -> the member it moves to
  for (const auto& [connector, cls] : in.connectors) {
    if (auto owner = previous.owners.find(connector); owner != previous.owners.end()) {
      const std::string& w = owner->second;
      if (can_run(w, connector)) {
        next.owners[connector] = w;
      } else if (members.contains(w)) {
        next.pending[connector] = PendingMove{w, "", epoch};  // it lost the plugin: revoke first
      } else if (delay_ms > 0) {
        next.lost[connector] = LostConnector{w, in.now_ms};
      } else {
        free.push_back(connector);
      }
      continue;
    }
    if (auto move = previous.pending.find(connector); move != previous.pending.end()) {
      const PendingMove& m = move->second;
      if (members.contains(m.from) && applied(m.from) < m.since) {
        next.pending[connector] = m;  // the old owner may still run it
        continue;
      }
      if (!m.to.empty()) preferred[connector] = m.to;
      free.push_back(connector);
      continue;
    }
    if (auto lost = previous.lost.find(connector); lost != previous.lost.end()) {
      const LostConnector& l = lost->second;
      if (can_run(l.owner, connector)) {
        next.owners[connector] = l.owner;  // it came back in time
        continue;
      }
      if (!members.contains(l.owner) && in.now_ms - l.since_ms < delay_ms) {
        next.lost[connector] = l;
        continue;
      }
    }
    free.push_back(connector);
  }

  // Free connectors: to the member they were moving to when it can still take them, else to the
  // least loaded member with the plugin (ties: the lower id).
  std::map<std::string, int> load = Loads(next, members);
  for (const std::string& connector : free) {
    std::string chosen;
    if (auto p = preferred.find(connector); p != preferred.end() && can_run(p->second, connector)) {
      chosen = p->second;
    } else {
      int best = std::numeric_limits<int>::max();
      for (const auto& [worker, n] : load) {
        if (n < best && can_run(worker, connector)) {
          best = n;
          chosen = worker;
        }
      }
    }
    if (chosen.empty()) continue;  // no member has its plugin: unassigned
    next.owners[connector] = chosen;
    ++load[chosen];
  }

  // Balance: revoke from the most loaded for the least loaded, one connector per step, while the
  // two differ by more than one and some connector of the first can run on the second.
  while (!load.empty()) {
    auto most = std::max_element(load.begin(), load.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    auto least = std::min_element(load.begin(), load.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    if (most->second - least->second <= 1) break;
    std::string victim;
    for (const auto& [connector, owner] : next.owners) {
      if (owner == most->first && can_run(least->first, connector)) victim = connector;
    }
    if (victim.empty()) break;
    next.owners.erase(victim);
    next.pending[victim] = PendingMove{most->first, least->first, epoch};
    --most->second;
    ++least->second;
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
  for (const auto& [connector, lost] : assignment.lost) {
    const int64_t deadline = lost.since_ms + absl::ToInt64Milliseconds(max_delay);
    if (earliest < 0 || deadline < earliest) earliest = deadline;
  }
  return earliest;
}

}  // namespace sluice::cluster
