#include "runtime/cluster/single_worker_guard.h"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace sluice::cluster {
namespace {

// A member that died (kill -9, a crash) stays in the group until its session expires; a rebalance
// and a description follow within this margin.
constexpr absl::Duration kEvictionMargin = absl::Seconds(3);

// Waits until the group is described (this worker among its members, at most `join_timeout`)
// with no member `unwanted` picks; such members are waited for until the session timeout (and a
// margin) passed since the first description, since a dead one leaves by then. The unwanted
// members of the last description: empty when there are none.
absl::StatusOr<std::vector<std::string>> UnwantedMembers(
    const GroupMembership& membership, absl::Duration join_timeout, LogSink& log,
    const std::function<bool(const std::string&)>& unwanted) {
  const absl::Time join_deadline = absl::Now() + join_timeout;
  std::optional<absl::Time> leave_deadline;
  int64_t generation_seen = -1;
  while (true) {
    const MembershipView view = membership.View();
    if (view.members_generation >= 0 && view.members_generation != generation_seen) {
      generation_seen = view.members_generation;
      std::vector<std::string> found;
      for (const std::string& m : view.members) {
        if (unwanted(m)) found.push_back(m);
      }
      if (found.empty()) return found;
      const absl::Duration patience = membership.options().session_timeout + kEvictionMargin;
      if (!leave_deadline) {
        leave_deadline = absl::Now() + patience;
        log(LogLevel::kWarn, "cluster",
            absl::StrCat("group `", membership.options().group_id, "` has ",
                         absl::StrJoin(found, ", "), "; waiting up to ",
                         absl::FormatDuration(patience),
                         " (session.timeout.ms and a margin) for workers that died to leave it"));
      }
    }
    const absl::Time now = absl::Now();
    if (leave_deadline && now >= *leave_deadline) {
      std::vector<std::string> found;
      for (const std::string& m : membership.View().members) {
        if (unwanted(m)) found.push_back(m);
      }
      return found;
    }
    if (!leave_deadline && now >= join_deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "worker ", membership.worker_id(), " could not join group `",
          membership.options().group_id, "` within ", absl::FormatDuration(join_timeout),
          " to see whether other workers share it; is the broker's group coordinator reachable?"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<GroupMembership>> JoinAsSingleWorker(MembershipOptions options,
                                                                     absl::Duration timeout,
                                                                     LogSink log) {
  options.worker_id = absl::StrCat(kSingleWorkerPrefix, options.worker_id);
  absl::StatusOr<std::unique_ptr<GroupMembership>> membership =
      GroupMembership::Start(std::move(options), log);
  if (!membership.ok()) return membership.status();
  const std::string& self = (*membership)->worker_id();
  absl::StatusOr<std::vector<std::string>> others = UnwantedMembers(
      **membership, timeout, log, [&self](const std::string& m) { return m != self; });
  if (!others.ok()) return others.status();
  if (!others->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "group `", (*membership)->options().group_id, "` already has other workers (",
        absl::StrJoin(*others, ", "),
        "): a single worker (sluice.cluster.enable=false, or connector files on the command line) "
        "would run the same connectors beside them. Give this worker its own group.id and "
        "storage topics, or stop the others, or drop sluice.cluster.enable=false so that the "
        "workers share the connectors as a cluster"));
  }
  return membership;
}

absl::Status RefuseBesideSingleWorker(const GroupMembership& membership, absl::Duration timeout,
                                      LogSink log) {
  absl::StatusOr<std::vector<std::string>> single =
      UnwantedMembers(membership, timeout, log, [](const std::string& m) {
        return absl::StartsWith(m, kSingleWorkerPrefix);
      });
  if (!single.ok()) return single.status();
  if (single->empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "group `", membership.options().group_id, "` has a single worker (", absl::StrJoin(*single, ", "),
      ") that runs its connectors on its own: a cluster worker beside it would run them too. Stop "
      "it and start it without sluice.cluster.enable=false (and without connector files), or "
      "give this worker its own group.id and storage topics"));
}

}  // namespace sluice::cluster
