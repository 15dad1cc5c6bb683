#include "runtime/cluster/group_membership.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"

namespace sluice::cluster {
namespace {

constexpr char kWho[] = "cluster";
// A describe right after SyncGroup may still find the group rebalancing; the leader computes
// nothing until one succeeds, so it is tried again soon.
constexpr absl::Duration kDescribeRetry = absl::Milliseconds(100);

std::string Millis(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); }

}  // namespace

absl::StatusOr<std::unique_ptr<GroupMembership>> GroupMembership::Start(MembershipOptions options,
                                                                        LogSink log) {
  if (options.group_id.empty() || options.worker_id.empty() || options.topic.empty()) {
    return absl::InvalidArgumentError("cluster membership needs group.id, a worker id and a topic");
  }
  if (options.heartbeat_interval >= options.session_timeout) {
    return absl::InvalidArgumentError(
        "worker config: `heartbeat.interval.ms` must be lower than `session.timeout.ms`");
  }
  std::unique_ptr<GroupMembership> m(new GroupMembership(std::move(options), std::move(log)));
  const MembershipOptions& o = m->options_;
  absl::StatusOr<kafka::ConfHandle> conf =
      kafka::BuildConf({{"bootstrap.servers", o.bootstrap_servers},
                        {"group.id", o.group_id},
                        {"client.id", o.worker_id},
                        {"partition.assignment.strategy", "range"},
                        {"session.timeout.ms", Millis(o.session_timeout)},
                        {"heartbeat.interval.ms", Millis(o.heartbeat_interval)},
                        {"max.poll.interval.ms", Millis(o.rebalance_timeout)},
                        {"enable.auto.commit", "false"},
                        {"enable.auto.offset.store", "false"},
                        {"auto.offset.reset", "latest"}},
                       o.consumer_overrides, "consumer.");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_rebalance_cb(conf->get(), &GroupMembership::OnRebalance);
  rd_kafka_conf_set_opaque(conf->get(), m.get());
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cluster membership: ", errstr));
  }
  conf->release();
  m->consumer_.reset(rk);
  rd_kafka_poll_set_consumer(rk);
  kafka::TopicPartitionListHandle topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), o.topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return kafka::KafkaStatus(err, absl::StrCat("joining group `", o.group_id, "`"));
  }
  m->log_(LogLevel::kInfo, kWho,
          absl::StrCat("joining the cluster `", o.group_id, "` as ", o.worker_id,
                       " (session.timeout.ms=", Millis(o.session_timeout),
                       ", heartbeat.interval.ms=", Millis(o.heartbeat_interval),
                       ", rebalance.timeout.ms=", Millis(o.rebalance_timeout), ")"));
  m->thread_ = std::thread([p = m.get()] { p->Run(); });
  return m;
}

GroupMembership::~GroupMembership() {
  stopping_.store(true);
  if (thread_.joinable()) thread_.join();
  if (consumer_ != nullptr) {
    // LeaveGroup: the others rebalance at once instead of waiting for the session to expire.
    rd_kafka_consumer_close(consumer_.get());
    log_(LogLevel::kInfo, kWho, absl::StrCat(options_.worker_id, " left the cluster"));
  }
}

MembershipView GroupMembership::View() const {
  absl::MutexLock lock(&mu_);
  MembershipView view = view_;
  view.lease_valid = absl::Now() < lease_until_;
  view.lease_takes = lease_takes_;
  return view;
}

absl::Status GroupMembership::CheckLease() const {
  absl::MutexLock lock(&mu_);
  const absl::Time now = absl::Now();
  if (now < lease_until_) return absl::OkStatus();
  if (lease_until_ == absl::InfinitePast()) {
    return absl::FailedPreconditionError(
        absl::StrCat("worker ", options_.worker_id, " has not joined the cluster yet"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "worker ", options_.worker_id, " lost its cluster membership ",
      absl::FormatDuration(absl::Trunc(now - lease_until_, absl::Milliseconds(1))),
      " ago (no renewal within session.timeout.ms); its work may run elsewhere now"));
}

absl::Status GroupMembership::AsLeader(uint64_t term, const std::function<absl::Status()>& write) {
  absl::MutexLock leading(&leader_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (!view_.leader || view_.leader_term != term || term == 0) {
      return absl::FailedPreconditionError("this worker no longer leads the cluster");
    }
    if (absl::Now() >= lease_until_) {
      return absl::FailedPreconditionError("this worker's cluster lease ended");
    }
  }
  return write();
}

void GroupMembership::OnChange(std::function<void()> changed) {
  absl::MutexLock lock(&changed_mu_);
  changed_ = std::move(changed);
}

void GroupMembership::Changed() {
  absl::MutexLock lock(&changed_mu_);
  if (changed_) changed_();
}

void GroupMembership::OnRebalance(rd_kafka_t*, rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  static_cast<GroupMembership*>(opaque)->Rebalanced(err, partitions);
}

void GroupMembership::Rebalanced(rd_kafka_resp_err_t err,
                                 rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* rk = consumer_.get();
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    rd_kafka_assign(rk, partitions);
    // The group's partitions carry no data for us: never fetch them.
    rd_kafka_pause_partitions(rk, partitions);
    bool leads = false;
    for (int i = 0; i < partitions->cnt; ++i) {
      if (partitions->elems[i].partition == 0 && options_.topic == partitions->elems[i].topic) {
        leads = true;
      }
    }
    int64_t generation;
    {
      absl::MutexLock lock(&mu_);
      generation = ++view_.generation;
      view_.leader = leads;
      view_.leader_term = leads ? ++terms_ : 0;
      view_.members.clear();
      view_.members_generation = -1;
    }
    describe_wanted_ = true;
    next_describe_ = absl::InfinitePast();
    next_renewal_ = absl::InfinitePast();
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("rebalance ", generation, " done: ", options_.worker_id,
                      leads ? " leads the cluster" : " follows"));
    Changed();
    return;
  }
  // The first this member hears of a rebalance (its heartbeat was answered so, or it left):
  // where a failover's time goes, in the log at debug level (docs/cluster.md, "Timings").
  log_(LogLevel::kDebug, kWho,
       absl::StrCat("rebalance under way: ", options_.worker_id, " gives up its partitions (",
                    rd_kafka_err2str(err), ")"));
  // Revoked (or an error): no longer leader; waits for a write in progress as leader.
  {
    absl::MutexLock leading(&leader_mu_);
    absl::MutexLock lock(&mu_);
    view_.leader = false;
    view_.leader_term = 0;
  }
  rd_kafka_assign(rk, nullptr);
}

void GroupMembership::Run() {
  while (!stopping_.load()) {
    if (rd_kafka_message_t* msg = rd_kafka_consumer_poll(consumer_.get(), 50); msg != nullptr) {
      if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
          msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        log_(LogLevel::kDebug, kWho, rd_kafka_message_errstr(msg));
      }
      rd_kafka_message_destroy(msg);
    }
    const absl::Time now = absl::Now();
    if (now >= next_renewal_) {
      RenewLease();
      next_renewal_ = absl::Now() + options_.heartbeat_interval;
    }
    if (describe_wanted_ && now >= next_describe_) {
      Describe();
      next_describe_ = absl::Now() + kDescribeRetry;
    }
  }
}

void GroupMembership::RenewLease() {
  int64_t generation;
  {
    absl::MutexLock lock(&mu_);
    generation = view_.generation;
  }
  if (generation == 0) return;  // not joined yet
  const absl::Time sent = absl::Now();
  bool taken = false;
  kafka::TopicPartitionListHandle offsets(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(offsets.get(), options_.topic.c_str(), 0)->offset = 0;
  rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), offsets.get(), /*async=*/0);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && offsets->elems[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    err = offsets->elems[0].err;
  }
  {
    absl::MutexLock lock(&mu_);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Valid throughout only if it still is now: a commit sent before the lease ended but
      // answered after it left a moment in which a task saw it lapsed and failed, and only a new
      // take makes the herder restart what ran here.
      const bool was_valid = absl::Now() < lease_until_;
      lease_until_ = sent + options_.session_timeout - options_.heartbeat_interval;
      if (!was_valid) {
        ++lease_takes_;
        log_(LogLevel::kInfo, kWho, "cluster lease taken");
        taken = true;
      }
    } else {
      log_(LogLevel::kWarn, kWho,
           absl::StrCat("renewing the cluster lease: ", rd_kafka_err2str(err),
                        absl::Now() < lease_until_ ? "" : " (the lease has ended)"));
    }
  }
  if (taken) Changed();
}

void GroupMembership::Describe() {
  rd_kafka_t* rk = consumer_.get();
  kafka::QueueHandle queue(rd_kafka_queue_new(rk));
  kafka::AdminOptionsHandle opts(
      rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS));
  char errstr[256];
  rd_kafka_AdminOptions_set_request_timeout(opts.get(), 5000, errstr, sizeof errstr);
  const char* groups[] = {options_.group_id.c_str()};
  int64_t generation;
  {
    absl::MutexLock lock(&mu_);
    generation = view_.generation;
  }
  rd_kafka_DescribeConsumerGroups(rk, groups, 1, opts.get(), queue.get());
  kafka::EventHandle event(rd_kafka_queue_poll(queue.get(), 6000));
  if (event == nullptr || rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;  // tried again shortly
  }
  const rd_kafka_DescribeConsumerGroups_result_t* result =
      rd_kafka_event_DescribeConsumerGroups_result(event.get());
  size_t count = 0;
  const rd_kafka_ConsumerGroupDescription_t** descriptions =
      rd_kafka_DescribeConsumerGroups_result_groups(result, &count);
  if (count != 1 || rd_kafka_ConsumerGroupDescription_error(descriptions[0]) != nullptr) return;
  const rd_kafka_ConsumerGroupDescription_t* group = descriptions[0];
  if (rd_kafka_ConsumerGroupDescription_state(group) != RD_KAFKA_CONSUMER_GROUP_STATE_STABLE) {
    return;
  }
  std::vector<std::string> members;
  for (size_t i = 0; i < rd_kafka_ConsumerGroupDescription_member_count(group); ++i) {
    const rd_kafka_MemberDescription_t* member = rd_kafka_ConsumerGroupDescription_member(group, i);
    members.emplace_back(rd_kafka_MemberDescription_client_id(member));
  }
  std::sort(members.begin(), members.end());
  if (std::adjacent_find(members.begin(), members.end()) != members.end()) {
    log_(LogLevel::kError, kWho,
         absl::StrCat("two members of group `", options_.group_id,
                      "` have one worker id; give each worker its own sluice.admin.listener "
                      "address: ", absl::StrJoin(members, ", ")));
  }
  {
    absl::MutexLock lock(&mu_);
    if (view_.generation != generation) return;  // another rebalance meanwhile: describe again
    if (std::find(members.begin(), members.end(), options_.worker_id) == members.end()) return;
    view_.members = members;
    view_.members_generation = generation;
  }
  describe_wanted_ = false;
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("members of rebalance ", generation, ": ", absl::StrJoin(members, ", ")));
  Changed();
}

}  // namespace sluice::cluster
