#include "runtime/cluster/cluster_coordinator.h"

#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/cluster/cluster_records.h"
#include "runtime/common/failpoint.h"

namespace sluice::cluster {
namespace {

constexpr char kWho[] = "cluster";
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(30);
// Short: the herder thread waits for it, and nothing here starts until it succeeds anyway.
constexpr absl::Duration kLeaseCatchUpTimeout = absl::Seconds(5);
constexpr absl::Duration kLeaderWriteTimeout = absl::Seconds(30);

}  // namespace

ClusterCoordinator::ClusterCoordinator(ClusterOptions options, LogSink log)
    : options_(std::move(options)),
      log_(std::move(log)),
      catch_up_([this]() -> absl::StatusOr<std::vector<kafka::KeyedRecord>> {
        // A test fails the new leader's read (the tail consumed nothing, as a read that got no
        // answer): the leader must start nothing and say so until a read succeeds.
        if (SLUICE_FAILPOINT_FAILS("cluster.leader_catch_up.read")) {
          return absl::UnavailableError(
              "the config topic's end was not reached (failpoint cluster.leader_catch_up.read)");
        }
        return tail_->CatchUp(kCatchUpTimeout);
      }),
      lease_catch_up_([this] { return tail_->CatchUp(kLeaseCatchUpTimeout); }) {}

absl::StatusOr<std::unique_ptr<ClusterCoordinator>> ClusterCoordinator::Start(
    ClusterOptions options, LogSink log) {
  std::unique_ptr<ClusterCoordinator> c(new ClusterCoordinator(std::move(options), std::move(log)));
  const MembershipOptions& m = c->options_.membership;
  absl::StatusOr<std::unique_ptr<TopicTail>> tail =
      TopicTail::Create(m.bootstrap_servers, m.topic, m.consumer_overrides,
                         absl::StrCat("sluice-config-tail-", m.worker_id));
  if (!tail.ok()) return tail.status();
  c->tail_ = *std::move(tail);
  absl::StatusOr<std::unique_ptr<TopicTail>> status_tail =
      TopicTail::Create(m.bootstrap_servers, c->options_.status_topic, m.consumer_overrides,
                        absl::StrCat("sluice-status-tail-", m.worker_id));
  if (!status_tail.ok()) return status_tail.status();
  c->status_tail_ = *std::move(status_tail);
  absl::StatusOr<std::unique_ptr<GroupMembership>> membership =
      GroupMembership::Start(c->options_.membership, c->log_);
  if (!membership.ok()) return membership.status();
  c->membership_ = *std::move(membership);
  return c;
}

absl::StatusOr<std::vector<kafka::KeyedRecord>> ClusterCoordinator::ReadAll(
    absl::Duration timeout) {
  absl::StatusOr<std::vector<kafka::KeyedRecord>> records = tail_->CatchUp(timeout);
  if (records.ok()) {
    for (const kafka::KeyedRecord& r : *records) Apply(r);
  }
  return records;
}

std::vector<kafka::KeyedRecord> ClusterCoordinator::Follow() {
  const MembershipView view = membership_->View();
  // A new leader computes and admits writes only from everything the previous one wrote.
  uint64_t term = view.leader ? view.leader_term : 0;
  if (term != 0 && writer_term_ != term) {
    // Its writer's init first fences the previous leader's and resolves a transaction that one
    // left open (a leader frozen mid-write), so the read to the end is final. Only with a valid
    // lease: a worker that wakes from a freeze still believing it leads must not fence the
    // leader that replaced it.
    leader_writer_.reset();
    if (view.lease_valid) {
      const MembershipOptions& m = options_.membership;
      absl::StatusOr<std::unique_ptr<LeaderWriter>> writer = LeaderWriter::Create(
          {m.bootstrap_servers, m.group_id, m.topic, m.worker_id, options_.producer_overrides});
      if (writer.ok()) {
        leader_writer_ = *std::move(writer);
        writer_term_ = term;
      } else {
        log_(LogLevel::kWarn, kWho, std::string(writer.status().message()));
      }
    }
  }
  if (writer_term_ != term) term = 0;  // no read to the end before the writer's init
  std::optional<std::vector<kafka::KeyedRecord>> caught_up = catch_up_.Step(term);
  std::vector<kafka::KeyedRecord> records;
  if (caught_up) {
    if (catch_up_.failures() > 0) {
      log_(LogLevel::kInfo, kWho,
           absl::StrCat("new leader read the config topic to its end after ",
                        catch_up_.failures(), " failed attempt(s)"));
    }
    records = *std::move(caught_up);
  } else {
    if (!catch_up_.CaughtUp(term) && term != 0 && catch_up_.failures() == 1) {
      log_(LogLevel::kWarn, kWho,
           absl::StrCat("new leader reading the config topic to its end: ",
                        catch_up_.last_failure(),
                        "; writes answer retry until a read succeeds (retried every tick)"));
    }
    // Still following meanwhile; what the failed read consumed comes first.
    records = tail_->Poll(absl::ZeroDuration());
  }
  // After each take of the lease, this worker's share starts only from a read to the end that
  // began within it (lease_catch_up.h): `view` was taken before this read.
  const bool lease_read_due = lease_catch_up_.Due(view);
  if (std::optional<std::vector<kafka::KeyedRecord>> read = lease_catch_up_.Step(view)) {
    if (lease_catch_up_.failures() > 0) {
      log_(LogLevel::kInfo, kWho,
           absl::StrCat("read the config topic to its end in the new lease after ",
                        lease_catch_up_.failures(), " failed attempt(s)"));
    }
    records.insert(records.end(), std::make_move_iterator(read->begin()),
                   std::make_move_iterator(read->end()));
  } else if (lease_read_due && lease_catch_up_.failures() == 1) {
    log_(LogLevel::kWarn, kWho,
         absl::StrCat("reading the config topic to its end in the new lease: ",
                      lease_catch_up_.last_failure(),
                      "; nothing starts here until a read succeeds (retried every tick)"));
  }
  const int64_t epoch = assignment_.epoch;
  for (const kafka::KeyedRecord& r : records) Apply(r);
  if (assignment_.epoch != epoch) {
    // When a new owner learnt of its work (docs/cluster.md, "Timings").
    log_(LogLevel::kDebug, kWho,
         absl::StrCat("assignment epoch ", assignment_.epoch, " of leader ", assignment_.leader,
                      " read"));
  }
  return records;
}

absl::StatusOr<std::vector<kafka::KeyedRecord>> ClusterCoordinator::ReadAllStatuses(
    absl::Duration timeout) {
  return status_tail_->CatchUp(timeout);
}

std::vector<kafka::KeyedRecord> ClusterCoordinator::FollowStatuses() {
  return status_tail_->Poll(absl::ZeroDuration());
}

absl::Status ClusterCoordinator::CheckServing() const {
  if (absl::Status lease = membership_->CheckLease(); !lease.ok()) {
    return absl::AbortedError(absl::StrCat("a rebalance is under way (", lease.message(),
                                           "); retry in a moment"));
  }
  return absl::OkStatus();
}

bool ClusterCoordinator::NoTaskRuns(const std::string& connector) const {
  auto of_connector = [&](const auto& units) {
    auto it = units.lower_bound(WorkUnit::Task(connector, 0));
    return it != units.end() && it->first.connector == connector;
  };
  if (of_connector(assignment_.owners) || of_connector(assignment_.pending) ||
      of_connector(assignment_.lost)) {
    return false;
  }
  const MembershipView view = membership_->View();
  if (view.members.empty()) return false;  // not described yet since the last rebalance
  for (const std::string& member : LiveMembers(view)) {
    auto it = applied_.find(member);
    if (it == applied_.end() || it->second < assignment_.epoch) return false;
  }
  return true;
}

void ClusterCoordinator::Wrote(const std::vector<kafka::KeyedRecord>& records) {
  for (const kafka::KeyedRecord& r : records) Apply(r);
}

void ClusterCoordinator::OnChange(const std::function<void()>& changed) {
  membership_->OnChange(changed);
  tail_->OnArrival(changed);
}

kafka::KeyedRecord ClusterCoordinator::Farewell() const {
  return {absl::StrCat(kWorkerKeyPrefix, worker_id()), std::nullopt};
}

std::vector<std::string> ClusterCoordinator::LiveMembers(const MembershipView& view) const {
  std::vector<std::string> live;
  for (const std::string& member : view.members) {
    if (plugins_.contains(member)) live.push_back(member);
  }
  return live;
}

void ClusterCoordinator::Apply(const kafka::KeyedRecord& record) {
  const absl::string_view key = record.key;
  if (key == kAssignmentKey) {
    if (!record.value) return;
    absl::StatusOr<Assignment> a = DecodeAssignment(*record.value);
    if (!a.ok()) {
      log_(LogLevel::kWarn, kWho, std::string(a.status().message()));
      return;
    }
    if (a->epoch >= assignment_.epoch) assignment_ = *std::move(a);
  } else if (absl::StartsWith(key, kWorkerKeyPrefix)) {
    const std::string id(key.substr(kWorkerKeyPrefix.size()));
    if (!record.value) {
      plugins_.erase(id);
    } else if (auto plugins = DecodeWorkerPlugins(*record.value)) {
      plugins_[id] = *std::move(plugins);
    }
  } else if (absl::StartsWith(key, kAppliedKeyPrefix)) {
    const std::string id(key.substr(kAppliedKeyPrefix.size()));
    if (record.value) {
      if (auto epoch = DecodeAppliedEpoch(*record.value)) applied_[id] = *epoch;
    }
  }
}

std::optional<LeaderWrite> ClusterCoordinator::LeaderStep(
    const std::map<std::string, ConnectorWork>& connectors) {
  const MembershipView view = membership_->View();
  if (!view.leader || !catch_up_.CaughtUp(view.leader_term) || leader_writer_ == nullptr ||
      writer_term_ != view.leader_term || !view.lease_valid ||
      view.members_generation != view.generation) {
    return std::nullopt;
  }
  AssignmentInputs in;
  in.members = LiveMembers(view);
  in.plugins = plugins_;
  in.applied = applied_;
  in.connectors = connectors;
  in.now_ms = absl::ToUnixMillis(absl::Now());
  in.max_delay = options_.max_delay;
  Assignment next = NextAssignment(assignment_, in, worker_id());
  if (next.epoch == assignment_.epoch) return std::nullopt;
  std::vector<std::string> spread;
  for (const std::string& member : in.members) {
    spread.push_back(absl::StrCat(member, "=", next.ConnectorsOf(member).size(), "c/",
                                  next.TasksOf(member).size(), "t"));
  }
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("assignment epoch ", next.epoch, ": ", absl::StrJoin(spread, " "),
                    next.pending.empty() ? "" : absl::StrCat(", ", next.pending.size(), " moving"),
                    next.lost.empty() ? "" : absl::StrCat(", ", next.lost.size(), " held for lost workers")));
  return LeaderWrite{view.leader_term, {{std::string(kAssignmentKey), EncodeAssignment(next)}}};
}

absl::Status ClusterCoordinator::WriteAsLeader(const LeaderWrite& write) {
  if (leader_writer_ == nullptr || write.term != writer_term_ || !catch_up_.CaughtUp(write.term)) {
    return absl::FailedPreconditionError("this worker no longer leads the cluster");
  }
  absl::Status s = membership_->AsLeader(write.term, [&] {
    return leader_writer_->Write(write.records, kLeaderWriteTimeout);
  });
  if (s.ok()) {
    Wrote(write.records);
    return s;
  }
  leader_writer_.reset();
  if (s.code() != absl::StatusCode::kFailedPrecondition) {
    // Aborted or failed, still leading: a new writer and a new read to the end at the next tick.
    // Fenced or no longer leading: a newer leader writes now, and no new writer is made in this
    // term (its init would fence that leader's).
    writer_term_ = 0;
    catch_up_.Forget();
  }
  return s;
}

std::set<std::string> ClusterCoordinator::MyConnectors() const {
  if (!lease_catch_up_.Current(membership_->View())) return {};
  std::vector<std::string> mine = assignment_.ConnectorsOf(worker_id());
  return std::set<std::string>(mine.begin(), mine.end());
}

std::set<WorkUnit> ClusterCoordinator::MyTasks() const {
  if (!lease_catch_up_.Current(membership_->View())) return {};
  std::vector<WorkUnit> mine = assignment_.TasksOf(worker_id());
  return std::set<WorkUnit>(mine.begin(), mine.end());
}

std::optional<kafka::KeyedRecord> ClusterCoordinator::AckIfNew() {
  if (assignment_.epoch == 0) return std::nullopt;
  if (auto it = applied_.find(worker_id()); it != applied_.end() && it->second == assignment_.epoch) {
    return std::nullopt;
  }
  if (!membership_->CheckLease().ok()) return std::nullopt;
  return AppliedRecord(worker_id(), assignment_.epoch);
}

}  // namespace sluice::cluster
