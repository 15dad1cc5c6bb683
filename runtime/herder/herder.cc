#include "runtime/herder/herder.h"

#include <algorithm>
#include <future>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "runtime/cluster/cluster_records.h"
#include "runtime/cluster/single_worker_guard.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/kafka/compacted_topic.h"
#include "runtime/plugin/plugin_calls.h"
#include "runtime/worker/connector_check.h"
#include "runtime/worker/worker.h"

namespace sluice::herder {
namespace {

constexpr char kWho[] = "herder";
constexpr absl::Duration kWriteTimeout = absl::Seconds(30);
constexpr absl::Duration kReadTimeout = absl::Seconds(60);
// How long the herder thread reads the config topic to its end before it starts exactly-once
// tasks; longer, they start at a later tick.
constexpr absl::Duration kExactlyOnceCatchUpTimeout = absl::Seconds(5);

// What a worker asks again later: the leader was busy, moving or out of reach.
bool IsRetryable(const absl::Status& s) {
  return absl::IsAborted(s) || absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s);
}

}  // namespace

cluster::MembershipOptions GroupMembershipOptions(const config::WorkerConfig& config,
                                                  std::string worker_id, std::string topic) {
  return cluster::MembershipOptions{config.bootstrap_servers, config.group_id,
                                    std::move(worker_id),     std::move(topic),
                                    config.session_timeout,   config.heartbeat_interval,
                                    config.rebalance_timeout, config.consumer_overrides};
}

absl::StatusOr<std::unique_ptr<Herder>> Herder::Start(config::WorkerConfig config, LogSink log,
                                                      HerderOptions options) {
  HerderParts parts;
  parts.scrubber =
      options.scrubber != nullptr ? options.scrubber : std::make_shared<SecretScrubber>();
  const std::string bootstrap = config.bootstrap_servers;
  auto config_options =
      kafka::CompactedTopicOptions{bootstrap, config.config_storage.name, config.producer_overrides,
                                   config.consumer_overrides, "sluice-configs"};
  auto status_options =
      kafka::CompactedTopicOptions{bootstrap, config.status_storage.name, config.producer_overrides,
                                   config.consumer_overrides, "sluice-statuses"};
  std::optional<cluster::ClusterOptions> cluster_options;
  if (config.cluster_enable) {
    cluster_options.emplace();
    cluster_options->membership =
        GroupMembershipOptions(config, options.worker_id, config.config_storage.name);
    cluster_options->max_delay = config.scheduled_rebalance_max_delay;
    cluster_options->status_topic = config.status_storage.name;
    cluster_options->producer_overrides = config.producer_overrides;
  }
  absl::StatusOr<std::unique_ptr<worker::Worker>> worker =
      worker::Worker::Create(std::move(config), ScrubbingLogSink(parts.scrubber, log));
  if (!worker.ok()) return worker.status();
  if (cluster_options) {
    // After the worker: it made the config and status topics the group and the tails read.
    absl::StatusOr<std::unique_ptr<cluster::ClusterCoordinator>> cluster =
        cluster::ClusterCoordinator::Start(*std::move(cluster_options), log);
    if (!cluster.ok()) return cluster.status();
    parts.cluster = *std::move(cluster);
    // Before anything runs: a single worker in the group runs its connectors on its own.
    if (absl::Status alone = cluster::RefuseBesideSingleWorker(
            parts.cluster->membership(), (*worker)->config().rebalance_timeout, log);
        !alone.ok()) {
      return alone;
    }
    (*worker)->Fence([m = &parts.cluster->membership()] { return m->CheckLease(); });
  } else {
    // A single worker (the opt-out) still joins the group, so that no other worker sharing it
    // runs the same connectors unnoticed (cluster/single_worker_guard.h).
    absl::StatusOr<std::unique_ptr<cluster::GroupMembership>> single = cluster::JoinAsSingleWorker(
        GroupMembershipOptions((*worker)->config(), options.worker_id,
                               (*worker)->config().offset_storage.name),
        (*worker)->config().rebalance_timeout, log);
    if (!single.ok()) return single.status();
    parts.single_worker = *std::move(single);
  }
  parts.worker = *std::move(worker);
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> config_log =
      kafka::CompactedTopic::Create(config_options);
  if (!config_log.ok()) return config_log.status();
  parts.config_log = *std::move(config_log);
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> status_log =
      kafka::CompactedTopic::Create(status_options);
  if (!status_log.ok()) return status_log.status();
  parts.status_log = *std::move(status_log);
  return Start(std::move(parts), std::move(log), std::move(options));
}

absl::StatusOr<std::unique_ptr<Herder>> Herder::Start(HerderParts parts, LogSink log,
                                                      HerderOptions options) {
  if (parts.worker == nullptr || parts.config_log == nullptr || parts.status_log == nullptr) {
    return absl::InvalidArgumentError("a herder needs a worker, a config log and a status log");
  }
  std::unique_ptr<Herder> herder(new Herder(std::move(parts), std::move(log), std::move(options)));
  herder->worker_->SetReconfigurationHandler([h = herder.get()](const std::string& name) {
    h->Post([h, name] { h->lifecycle_.ReconfigureTasks(name); });
  });
  // Restore before the thread starts: nothing else can reach the herder yet.
  if (absl::Status status = herder->Restore(); !status.ok()) return status;
  if (herder->cluster_ != nullptr) {
    herder->cluster_->OnChange([h = herder.get()] { h->Wake(); });
  }
  herder->thread_ = std::thread([h = herder.get()] { h->Run(); });
  return herder;
}

Herder::Herder(HerderParts parts, LogSink log, HerderOptions options)
    : options_(std::move(options)),
      log_levels_(options_.log_levels != nullptr ? options_.log_levels
                                                 : std::make_shared<logging::LogLevels>()),
      scrubber_(parts.scrubber != nullptr ? std::move(parts.scrubber)
                                          : std::make_shared<SecretScrubber>()),
      log_(ScrubbingLogSink(scrubber_, std::move(log))),
      worker_(std::move(parts.worker)),
      cluster_(std::move(parts.cluster)),
      single_worker_(std::move(parts.single_worker)),
      configs_(std::move(parts.config_log)),
      statuses_(std::move(parts.status_log), worker_.get(), scrubber_, &watchers_,
                options_.worker_id, log_),
      preparer_(&worker_->plugins(), &worker_->config(), scrubber_),
      lifecycle_(worker_.get(), &configs_, &statuses_, &preparer_, log_,
                 /*units_apart=*/cluster_ != nullptr,
                 cluster_ == nullptr ? TaskConfigStore()
                                     : [this](const std::string& name,
                                              const std::vector<ConfigMap>& tasks) {
                                         return StoreTaskConfigs(name, tasks);
                                       }),
      metrics_(worker_.get(), &watchers_, options_.worker_id, options_.metrics_interval) {}

Herder::~Herder() {
  {
    absl::MutexLock lock(&queue_mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (cluster_ != nullptr) cluster_->OnChange(nullptr);
  log_(LogLevel::kDebug, kWho, "herder thread ended; stopping every task and connector here");
  worker_->StopAll();
  if (cluster_ != nullptr) SayFarewell();
}

// ---- the request queue ----

void Herder::Post(std::function<void()> fn) {
  absl::MutexLock lock(&queue_mu_);
  queue_.push_back(std::move(fn));
}

template <typename T>
T Herder::Call(std::function<T()> fn) {
  std::promise<T> promise;
  std::future<T> future = promise.get_future();
  Post([&promise, &fn] { promise.set_value(fn()); });
  return future.get();
}

void Herder::Run() {
  absl::Time next_tick = absl::Now();
  while (true) {
    std::function<void()> request;
    bool woken = false;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.AwaitWithDeadline(absl::Condition(this, &Herder::HasWork), next_tick);
      if (stopping_) return;
      if (!queue_.empty()) {
        request = std::move(queue_.front());
        queue_.pop_front();
      }
      woken = std::exchange(woken_, false);
    }
    if (request) request();
    if (woken || absl::Now() >= next_tick) {
      Tick();
      next_tick = absl::Now() + options_.tick;
    }
  }
}

bool Herder::HasWork() const { return stopping_ || woken_ || !queue_.empty(); }

void Herder::Wake() {
  absl::MutexLock lock(&queue_mu_);
  woken_ = true;
}

// ---- log levels: no herder state, so answered on the caller's thread ----

std::map<std::string, logging::LoggerLevel> Herder::LoggerLevels() { return log_levels_->All(); }

absl::StatusOr<logging::LoggerLevel> Herder::LoggerLevel(const std::string& name) {
  std::optional<logging::LoggerLevel> level = log_levels_->Get(name);
  if (!level) return absl::NotFoundError(absl::StrCat("Logger ", name, " not found."));
  return *level;
}

absl::StatusOr<std::vector<std::string>> Herder::SetLoggerLevel(const std::string& name,
                                                                const std::string& level) {
  std::optional<logging::Threshold> threshold = logging::ParseThreshold(level);
  if (!threshold) {
    return absl::InvalidArgumentError(absl::StrCat("invalid log level '", level, "'."));
  }
  if (name.empty()) return absl::InvalidArgumentError("a logger name is required");
  std::vector<std::string> set = log_levels_->Set(name, *threshold, absl::Now());
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("log level of ", name, " set to ", ToAbsl(logging::ThresholdName(*threshold))));
  return set;
}

// ---- herder-thread helpers ----

absl::Status Herder::Restore() {
  if (cluster_ != nullptr) {
    // Nothing starts here: the assignment says what this worker runs (ClusterTick).
    absl::StatusOr<std::vector<kafka::KeyedRecord>> records = cluster_->ReadAll(kReadTimeout);
    if (!records.ok()) return records.status();
    configs_.Follow(*records);
    NoteWorkers(*records);
    absl::StatusOr<std::vector<kafka::KeyedRecord>> statuses =
        cluster_->ReadAllStatuses(kReadTimeout);
    if (!statuses.ok()) {
      return absl::Status(statuses.status().code(),
                          absl::StrCat("reading the status topic: ", statuses.status().message()));
    }
    statuses_.Follow(*statuses);
    std::set<std::string> plugins;
    for (const auto& plugin : worker_->plugins().List()) {
      plugins.insert(plugin->name());
      plugins.insert(plugin->aliases().begin(), plugin->aliases().end());
    }
    const std::vector<kafka::KeyedRecord> worker_record = {
        cluster::WorkerRecord(cluster_->worker_id(), plugins, options_.admin_address)};
    if (absl::Status status = configs_.Write(worker_record); !status.ok()) return status;
    cluster_->Wrote(worker_record);
    NoteWorkers(worker_record);
    return absl::OkStatus();
  }
  if (absl::Status status = configs_.Restore(kReadTimeout); !status.ok()) return status;
  if (absl::Status status = statuses_.Restore(kReadTimeout); !status.ok()) return status;
  for (const auto& [name, entry] : configs_.state().connectors()) {
    const TargetState target = configs_.state().target_state(name);
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("restoring connector ", name, " (", TargetStateName(target), ")"));
    if (absl::Status status = lifecycle_.Start(name, target); !status.ok()) {
      log_(LogLevel::kError, kWho, absl::StrCat("connector ", name, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

void Herder::Tick() {
  if (cluster_ != nullptr) ClusterTick();
  for (const auto& [name, entry] : configs_.state().connectors()) {
    // Only tasks running here are refreshed: in a cluster, each task's worker writes its status.
    statuses_.Refresh(name, entry.tasks.size());
  }
  metrics_.MaybeSample(configs_.state(), absl::Now());
}

void Herder::FollowCluster() {
  ApplyFollowed(cluster_->Follow());
  statuses_.Follow(cluster_->FollowStatuses());
}

void Herder::ApplyFollowed(std::vector<kafka::KeyedRecord> records) {
  configs_.Follow(records);
  NoteWorkers(records);
  for (kafka::KeyedRecord& record : records) {
    if (ParseConfigTopicKey(record.key).kind == ConfigTopicKey::Kind::kRestart ||
        cluster::DecodeRestartTask(record)) {
      restart_requests_.push_back(std::move(record));
    }
  }
}

void Herder::NoteWorkers(const std::vector<kafka::KeyedRecord>& records) {
  for (const kafka::KeyedRecord& record : records) {
    if (!absl::StartsWith(record.key, cluster::kWorkerKeyPrefix)) continue;
    const std::string id = record.key.substr(cluster::kWorkerKeyPrefix.size());
    if (record.value) {
      admin_addresses_[id] = cluster::DecodeWorkerAdmin(*record.value);
    } else {
      admin_addresses_.erase(id);
    }
  }
}

absl::Status Herder::RequireServing() {
  if (cluster_ == nullptr) return absl::OkStatus();
  FollowCluster();
  return cluster_->CheckServing();
}

absl::Status Herder::RequireLeader() {
  if (cluster_ == nullptr) return absl::OkStatus();
  if (absl::Status s = RequireServing(); !s.ok()) return s;
  const cluster::MembershipView view = cluster_->membership().View();
  if (view.leader) {
    // A leader whose read of the config topic to its end has not succeeded yet might check the
    // request against stale configs: retry (FollowCluster retries the read).
    if (absl::Status s = cluster_->CheckCaughtUp(view.leader_term); !s.ok()) return s;
    leader_term_ = view.leader_term;
    return absl::OkStatus();
  }
  const std::string& leader = cluster_->assignment().leader;
  if (leader.empty() || leader == cluster_->worker_id()) {
    return absl::AbortedError(
        "the cluster's leader is not known yet (a rebalance is under way); retry in a moment");
  }
  return RequestTargetError(
      absl::StrCat("only the cluster's leader (", leader, ") performs this request"),
      AddressOf(leader));
}

absl::Status Herder::RequireRunningHere(const cluster::WorkUnit& unit, absl::string_view what) {
  if (cluster_ == nullptr) return absl::OkStatus();
  const bool here =
      unit.is_task() ? running_tasks_.contains(unit) : running_.contains(unit.connector);
  if (here) return absl::OkStatus();
  const std::string owner = cluster_->OwnerOf(unit);
  if (owner.empty() || owner == cluster_->worker_id()) {
    return absl::AbortedError(absl::StrCat(what,
                                           " is moving between workers (a rebalance is "
                                           "under way); retry in a moment"));
  }
  return RequestTargetError(absl::StrCat(what, " runs on worker ", owner), AddressOf(owner));
}

WorkerAddress Herder::AddressOf(const std::string& worker_id) const {
  auto admin = admin_addresses_.find(worker_id);
  return {worker_id, admin != admin_addresses_.end() ? admin->second : ""};
}

absl::Status Herder::WriteAsLeader(const std::vector<kafka::KeyedRecord>& records) {
  if (cluster_ == nullptr) return configs_.Write(records);
  // The leader's transactional writer, as the assignment's: a leader frozen in the middle of
  // this write and replaced meanwhile can never land it.
  absl::Status s = cluster_->WriteAsLeader({leader_term_, records});
  if (s.ok()) {
    configs_.Follow(records);  // as ConfigLog::Write applies what it wrote
    return s;
  }
  if (absl::IsFailedPrecondition(s)) {
    return absl::AbortedError(absl::StrCat(s.message(), " (a rebalance is under way); retry"));
  }
  return absl::UnavailableError(absl::StrCat("writing the config topic as the cluster's leader: ",
                                             s.message()));
}

absl::Status Herder::WriteTaskConfigsAsLeader(const std::string& name, const std::string& from,
                                              const std::vector<ConfigMap>& tasks) {
  if (absl::Status s = RequireConnector(name); !s.ok()) return s;
  const ConnectorEntry& entry = configs_.entry(name);
  if (!entry.inconsistent && entry.tasks == tasks) return absl::OkStatus();  // written once
  if (!tasks.empty() && configs_.state().target_state(name) == TargetState::kStopped) {
    return absl::FailedPreconditionError(
        absl::StrCat("connector ", name, " is STOPPED: its task configs stay empty"));
  }
  if (cluster_ != nullptr) {
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("writing connector ", name, "'s ", tasks.size(),
                      " task config(s), generated on worker ", from));
  }
  const size_t previous_tasks = entry.tasks.size();
  if (absl::Status s = WriteAsLeader(TaskConfigRecords(name, tasks)); !s.ok()) return s;
  if (!tasks.empty()) FenceZombiesAsLeader(name, /*rewritten=*/true, previous_tasks);
  return absl::OkStatus();
}

void Herder::FenceZombiesAsLeader(const std::string& name, bool rewritten, size_t previous_tasks) {
  absl::Status s = lifecycle_.FenceZombies(
      name, rewritten, previous_tasks,
      [this](const std::vector<kafka::KeyedRecord>& records) { return WriteAsLeader(records); });
  if (!s.ok()) {
    log_(LogLevel::kWarn, kWho,
         absl::StrCat("connector ", name, "'s zombie fencing round: ", s.message(),
                      "; its new tasks wait, retried every tick"));
  }
}

void Herder::FencePendingRoundsAsLeader() {
  const cluster::MembershipView view = cluster_->membership().View();
  if (!view.leader || !cluster_->CheckServing().ok() ||
      !cluster_->CheckCaughtUp(view.leader_term).ok()) {
    return;
  }
  leader_term_ = view.leader_term;
  for (const auto& [name, entry] : configs_.state().connectors()) {
    if (!entry.inconsistent && !entry.tasks.empty() &&
        configs_.state().target_state(name) == TargetState::kStarted &&
        lifecycle_.AwaitsZombieFencing(name)) {
      FenceZombiesAsLeader(name, /*rewritten=*/false, /*previous_tasks=*/0);
    }
  }
}

absl::Status Herder::SendTaskConfigs(const std::string& name,
                                     const std::vector<ConfigMap>& tasks) {
  const cluster::MembershipView view = cluster_->membership().View();
  if (view.leader) {
    if (absl::Status s = cluster_->CheckCaughtUp(view.leader_term); !s.ok()) return s;
    leader_term_ = view.leader_term;
    return WriteTaskConfigsAsLeader(name, cluster_->worker_id(), tasks);
  }
  const std::string& leader = cluster_->assignment().leader;
  if (leader.empty() || leader == cluster_->worker_id()) {
    return absl::AbortedError("the cluster's leader is not known yet (a rebalance is under way)");
  }
  if (!options_.send_task_configs) {
    return absl::AbortedError(
        absl::StrCat("this worker cannot reach the leader (", leader, ") to send them"));
  }
  return options_.send_task_configs(AddressOf(leader), cluster_->worker_id(), name, tasks);
}

absl::Status Herder::StoreTaskConfigs(const std::string& name,
                                      const std::vector<ConfigMap>& tasks) {
  unsent_task_configs_.erase(name);
  absl::Status s = SendTaskConfigs(name, tasks);
  if (s.ok() || !IsRetryable(s)) return s;
  log_(LogLevel::kInfo, kWho,
       absl::StrCat("connector ", name, "'s ", tasks.size(),
                    " task config(s) wait for the leader (", s.message(), "); retried every tick"));
  unsent_task_configs_[name] = tasks;
  return absl::OkStatus();
}

void Herder::RetryTaskConfigs() {
  for (auto it = unsent_task_configs_.begin(); it != unsent_task_configs_.end();) {
    const std::string& name = it->first;
    // Dropped with its instance: whoever runs it next generates them again.
    if (!running_.contains(name) || !configs_.Has(name)) {
      it = unsent_task_configs_.erase(it);
      continue;
    }
    absl::Status s = SendTaskConfigs(name, it->second);
    if (IsRetryable(s)) {
      ++it;
      continue;
    }
    if (s.ok()) {
      log_(LogLevel::kInfo, kWho, absl::StrCat("connector ", name, "'s task configs are stored"));
    } else {
      log_(LogLevel::kWarn, kWho,
           absl::StrCat("connector ", name, "'s task configs: ", s.message()));
      statuses_.SetConnectorState(name, State::kFailed, std::string(s.message()));
    }
    it = unsent_task_configs_.erase(it);
  }
}

absl::Status Herder::PutTaskConfigs(const std::string& name, const std::string& from,
                                    const std::vector<ConfigMap>& tasks,
                                    absl::Time sender_gives_up) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (cluster_ == nullptr) {
      return absl::FailedPreconditionError(
          "this worker runs outside a cluster: no other worker sends it task configs");
    }
    if (absl::Now() >= sender_gives_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "connector ", name, "'s task configs from worker ", from,
          " reached the leader's herder after the sender stopped waiting; not written (it sends "
          "them again)"));
    }
    if (absl::Status s = RequireLeader(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    // Only the worker running the instance generates them: a former owner's late request
    // (its instance moved away) must not overwrite what the current one generated.
    const std::string owner = cluster_->OwnerOf(cluster::WorkUnit::Connector(name));
    if (owner != from) {
      return absl::AbortedError(absl::StrCat(
          "worker ", from, " does not run connector ", name, " in assignment epoch ",
          cluster_->assignment().epoch, " (",
          owner.empty() ? "it is moving" : absl::StrCat("worker ", owner, " does"),
          "); its task configs are not written"));
    }
    if (absl::Status s = WriteTaskConfigsAsLeader(name, from, tasks); !s.ok()) return s;
    ClusterTick();  // the new tasks assigned at once
    return absl::OkStatus();
  });
}

void Herder::ActOnRestartRequests() {
  std::vector<kafka::KeyedRecord> requests;
  requests.swap(restart_requests_);
  for (const kafka::KeyedRecord& record : requests) {
    if (std::optional<cluster::TaskRestart> task = cluster::DecodeRestartTask(record)) {
      if (!running_tasks_.contains(cluster::WorkUnit::Task(task->connector, task->task)) ||
          !configs_.Has(task->connector) ||
          configs_.state().target_state(task->connector) != TargetState::kStarted ||
          static_cast<size_t>(task->task) >= configs_.entry(task->connector).tasks.size()) {
        continue;
      }
      log_(LogLevel::kInfo, kWho,
           absl::StrCat("restarting task ", task->connector, "-", task->task,
                        " as another worker was asked to"));
      lifecycle_.RestartTask(task->connector, task->task);
      continue;
    }
    const std::string name = ParseConfigTopicKey(record.key).connector;
    if (!record.value || !running_.contains(name) || !configs_.Has(name) ||
        configs_.state().target_state(name) == TargetState::kStopped) {
      continue;
    }
    absl::StatusOr<RestartRequest> request = DecodeRestartRequest(*record.value);
    if (!request.ok()) continue;
    log_(LogLevel::kInfo, kWho,
         absl::StrCat("restarting connector ", name, request->only_failed ? " (what failed)" : "",
                      " as another worker was asked to"));
    (void)RestartHere(name, request->only_failed);
  }
}

std::map<std::string, cluster::ConnectorWork> Herder::WorkInConfigTopic() const {
  std::map<std::string, cluster::ConnectorWork> work;
  for (const auto& [name, entry] : configs_.state().connectors()) {
    work[name] = {plugin::Lookup(entry.config, "connector.class").value_or(""),
                  entry.inconsistent ? 0 : static_cast<int>(entry.tasks.size())};
  }
  return work;
}

void Herder::PublishAssignment() {
  if (std::optional<cluster::LeaderWrite> write = cluster_->LeaderStep(WorkInConfigTopic())) {
    // Through the leader's own transactional writer, which a newer leader fences.
    if (absl::Status s = cluster_->WriteAsLeader(*write); !s.ok()) {
      log_(LogLevel::kWarn, kWho, absl::StrCat("publishing the assignment: ", s.message()));
    }
  }
}

void Herder::SayFarewell() {
  FollowCluster();
  const std::vector<kafka::KeyedRecord> farewell = {cluster_->Farewell()};
  // Not through the leader's writer, even on the leader: the farewell is this worker's own record,
  // as its `sluice-worker-` record at start and its acknowledgements are, which any member writes
  // (a follower making a writer with the cluster's transactional.id would fence the leader). A
  // stale one cannot harm: it only counts out a worker that is leaving, and a worker that joins
  // again writes its record anew.
  if (absl::Status s = configs_.Write(farewell); !s.ok()) {
    // The group's rebalance after LeaveGroup moves the work instead, only later.
    log_(LogLevel::kWarn, kWho, absl::StrCat("writing this worker's farewell: ", s.message()));
    return;
  }
  cluster_->Wrote(farewell);
  NoteWorkers(farewell);
  log_(LogLevel::kInfo, kWho,
       "everything here stopped; farewell written: the others may run its work now");
  PublishAssignment();
}

void Herder::ClusterTick() {
  FollowCluster();
  PublishAssignment();
  // A round its write did not finish (a failure, a leader change between the two).
  FencePendingRoundsAsLeader();
  // Statuses say which assignment their writer ran the connector in (Kafka Connect's generation).
  statuses_.SetGeneration(static_cast<int32_t>(cluster_->assignment().epoch));
  // What is no longer ours, or no longer runs as it did, stops first (tasks before instances):
  // its tasks commit their offsets while the lease still runs, before this worker acknowledges
  // the epoch that took them away.
  // A lease that lapsed since the last tick, however briefly (a rebalance that outlasted it),
  // fenced what runs here: a task that tried to send meanwhile failed. All of it stops and starts
  // afresh below, as if it had moved away and back.
  const int64_t lease_takes = cluster_->membership().View().lease_takes;
  const bool lapsed =
      lease_takes != lease_takes_seen_ && (!running_.empty() || !running_tasks_.empty());
  if (lapsed) {
    log_(LogLevel::kInfo, kWho,
         "the cluster lease lapsed and was taken again: restarting what runs here");
  }
  lease_takes_seen_ = lease_takes;
  StopTasksNoLongerHere(lapsed ? std::set<cluster::WorkUnit>() : cluster_->MyTasks());
  const std::set<std::string> mine = cluster_->MyConnectors();
  for (auto it = running_.begin(); it != running_.end();) {
    const std::string name = it->first;
    if (!lapsed && mine.contains(name) && configs_.Has(name)) {
      ++it;
      continue;
    }
    log_(LogLevel::kInfo, kWho, absl::StrCat("connector ", name, " no longer runs here"));
    lifecycle_.StopInstance(name);
    if (!configs_.Has(name)) statuses_.RemoveStatuses(name, /*connector_too=*/true);
    it = running_.erase(it);
  }
  for (const std::string& name : mine) {
    if (!configs_.Has(name)) continue;
    const ConfigMap& config = configs_.entry(name).config;
    const TargetState target = configs_.state().target_state(name);
    auto it = running_.find(name);
    if (it != running_.end() && it->second.config == config && it->second.target == target)
      continue;
    if (it == running_.end()) {
      log_(
          LogLevel::kInfo, kWho,
          absl::StrCat("connector ", name, " runs here from epoch ", cluster_->assignment().epoch));
    } else if (it->second.config != config) {
      lifecycle_.StopInstance(name);  // a new config applies by restarting
    }
    if (target == TargetState::kStopped) {
      // The leader emptied its task configs with the stop; any left (written before the stop
      // by a version that did not) are emptied through the leader, as offsets may be altered
      // only once they are empty (AlterOffsets).
      (void)lifecycle_.StopEmptyingTasks(name);
    } else {
      (void)lifecycle_.StartInstance(name, target);  // a failure is the connector's status
    }
    running_[name] = Running{config, target};
  }
  RetryTaskConfigs();
  StartTasksNewHere();
  if (std::optional<kafka::KeyedRecord> ack = cluster_->AckIfNew()) {
    if (configs_.Write({*ack}).ok()) cluster_->Wrote({*ack});
  }
  ActOnRestartRequests();
}

std::optional<Herder::RunningTask> Herder::TaskAsConfigured(const cluster::WorkUnit& unit) const {
  if (!configs_.Has(unit.connector)) return std::nullopt;
  const ConnectorEntry& entry = configs_.entry(unit.connector);
  if (entry.inconsistent || static_cast<size_t>(unit.task) >= entry.tasks.size()) {
    return std::nullopt;
  }
  return RunningTask{entry.config, entry.tasks[unit.task],
                     configs_.state().target_state(unit.connector)};
}

void Herder::StopTasksNoLongerHere(const std::set<cluster::WorkUnit>& mine) {
  for (auto it = running_tasks_.begin(); it != running_tasks_.end();) {
    const cluster::WorkUnit unit = it->first;
    const std::optional<RunningTask> now = TaskAsConfigured(unit);
    if (mine.contains(unit) && now && *now == it->second) {
      ++it;
      continue;
    }
    if (worker_->Task(unit.connector, unit.task) != nullptr) {
      lifecycle_.StopTaskHere(unit.connector, unit.task);
      log_(LogLevel::kInfo, kWho, absl::StrCat("task ", unit.Name(), " no longer runs here"));
    }
    it = running_tasks_.erase(it);
  }
}

void Herder::StartTasksNewHere() {
  std::set<cluster::WorkUnit> mine = cluster_->MyTasks();
  auto starts = [&](const cluster::WorkUnit& unit) {
    const std::optional<RunningTask> now = TaskAsConfigured(unit);
    return !running_tasks_.contains(unit) && now && now->target == TargetState::kStarted &&
           !lifecycle_.AwaitsZombieFencing(unit.connector);
  };
  if (worker_->config().exactly_once_source_support ==
          config::ExactlyOnceSourceSupport::kEnabled &&
      std::any_of(mine.begin(), mine.end(), starts)) {
    // A worker woken from a freeze may have followed part of a change only (the connector's new
    // config, not yet the task configs committed after it, nor their fencing round): its view
    // would start a task of the generation the round fenced, with a producer the round no longer
    // fences. Read to the end first, as Kafka Connect does before it starts such a task.
    absl::StatusOr<std::vector<kafka::KeyedRecord>> newer =
        cluster_->ReadAll(kExactlyOnceCatchUpTimeout);
    if (!newer.ok()) {
      log_(LogLevel::kWarn, kWho,
           absl::StrCat("exactly-once tasks start at a later tick: reading the config topic: ",
                        newer.status().message()));
      return;
    }
    ApplyFollowed(*std::move(newer));
    mine = cluster_->MyTasks();
  }
  for (const cluster::WorkUnit& unit : mine) {
    if (running_tasks_.contains(unit)) continue;
    const std::optional<RunningTask> now = TaskAsConfigured(unit);
    if (!now || now->target == TargetState::kStopped) continue;  // its configs are being emptied
    if (now->target == TargetState::kStarted && lifecycle_.AwaitsZombieFencing(unit.connector)) {
      continue;  // its new generation starts once the instance's fencing round is recorded
    }
    if (now->target == TargetState::kPaused) {
      statuses_.SetTaskState(unit.connector, unit.task, State::kPaused);
    } else if (lifecycle_.StartTaskHere(unit.connector, unit.task).ok() &&
               worker_->Task(unit.connector, unit.task) != nullptr) {
      log_(LogLevel::kInfo, kWho,
           absl::StrCat("task ", unit.Name(), " runs here from epoch ",
                        cluster_->assignment().epoch));
    }
    running_tasks_[unit] = *now;  // a failed start is its status; a restart retries it
  }
}

absl::Status Herder::RequireConnector(const std::string& name) const {
  if (configs_.Has(name)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("connector ", name, " not found"));
}

ConnectorStatusInfo Herder::StatusOf(const std::string& name) const {
  ConnectorStatusInfo status = statuses_.StatusOf(name);
  if (!configs_.Has(name)) return status;
  const ConnectorEntry& entry = configs_.entry(name);
  const std::optional<std::string> cls = plugin::Lookup(entry.config, "connector.class");
  std::shared_ptr<const plugin::Plugin> plugin = cls ? worker_->plugins().Find(*cls) : nullptr;
  if (plugin != nullptr) {
    status.version = plugin->version();
    for (TaskStatusInfo& task : status.tasks) task.version = plugin->version();
  }
  // The warning validate gave and the worker logged, for as long as it holds: the committed task
  // configs are fewer than tasks.max (none committed: stopped, or not configured yet).
  int tasks_max = 1;
  if (std::optional<std::string> max = plugin::Lookup(entry.config, "tasks.max");
      max && absl::SimpleAtoi(*max, &tasks_max) && !entry.tasks.empty() &&
      entry.tasks.size() < static_cast<size_t>(tasks_max)) {
    status.warnings.push_back(absl::StrCat(
        "`tasks.max` ",
        worker::TasksMaxWarning(plugin != nullptr ? plugin->name() : cls.value_or("the connector"),
                                tasks_max, entry.tasks.size())));
  }
  return status;
}

ConnectorInfo Herder::InfoOf(const std::string& name) const {
  const ConnectorEntry& entry = configs_.entry(name);
  ConnectorInfo info;
  info.name = name;
  info.config = preparer_.Shown(entry.config);
  info.target_state = configs_.state().target_state(name);
  info.task_count = static_cast<int>(entry.tasks.size());
  info.status = StatusOf(name);
  return info;
}

// ---- the operations ----

absl::StatusOr<ConnectorInfo> Herder::Create(const std::string& name, ConfigMap config,
                                             TargetState initial) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (absl::Status s = RequireLeader(); !s.ok()) return s;
    if (configs_.Has(name)) {
      return absl::AlreadyExistsError(absl::StrCat("Connector ", name, " already exists"));
    }
    absl::StatusOr<ConfigMap> stored = preparer_.Prepare(name, std::move(config));
    if (!stored.ok()) return stored.status();
    // The target state goes first, so a reader never sees the connector without it.
    if (absl::Status s = WriteAsLeader({{TargetStateKey(name), EncodeTargetState(initial)},
                                        {ConnectorConfigKey(name), EncodeProperties(*stored)}});
        !s.ok()) {
      return s;
    }
    if (cluster_ != nullptr) {
      ClusterTick();
    } else {
      (void)lifecycle_.Start(name, initial);  // a failure is the connector's status, not the call's
    }
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::Get(const std::string& name) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return InfoOf(name);
  });
}

absl::StatusOr<std::vector<ConfigMap>> Herder::TaskConfigs(const std::string& name) {
  return Call<absl::StatusOr<std::vector<ConfigMap>>>(
      [&]() -> absl::StatusOr<std::vector<ConfigMap>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        std::vector<ConfigMap> out;
        for (const ConfigMap& task : configs_.entry(name).tasks)
          out.push_back(preparer_.Shown(task));
        return out;
      });
}

std::vector<ConnectorInfo> Herder::List() {
  return Call<std::vector<ConnectorInfo>>([&] {
    std::vector<ConnectorInfo> out;
    for (const auto& [name, entry] : configs_.state().connectors()) out.push_back(InfoOf(name));
    return out;
  });
}

absl::StatusOr<ConnectorInfo> Herder::PutConfig(const std::string& name, ConfigMap config,
                                                bool* created) {
  return Call<absl::StatusOr<ConnectorInfo>>([&]() -> absl::StatusOr<ConnectorInfo> {
    if (absl::Status s = RequireLeader(); !s.ok()) return s;
    const bool exists = configs_.Has(name);
    if (created != nullptr) *created = !exists;
    absl::StatusOr<ConfigMap> stored = preparer_.Prepare(name, std::move(config));
    if (!stored.ok()) return stored.status();
    std::vector<kafka::KeyedRecord> records;
    if (!exists)
      records.push_back({TargetStateKey(name), EncodeTargetState(TargetState::kStarted)});
    records.push_back({ConnectorConfigKey(name), EncodeProperties(*stored)});
    if (absl::Status s = WriteAsLeader(records); !s.ok()) return s;
    if (cluster_ != nullptr) {
      ClusterTick();  // the owner restarts it with the new config
      return InfoOf(name);
    }
    // A new config applies by restarting the connector (and its tasks) in its target state.
    lifecycle_.StopInWorker(name);
    (void)lifecycle_.Start(name, configs_.state().target_state(name));
    return InfoOf(name);
  });
}

absl::StatusOr<ConnectorInfo> Herder::PatchConfig(const std::string& name, const ConfigMap& set,
                                                  const std::vector<std::string>& remove) {
  absl::StatusOr<ConfigMap> merged =
      Call<absl::StatusOr<ConfigMap>>([&]() -> absl::StatusOr<ConfigMap> {
        // A follower merges nothing: the leader merges into the newest config.
        if (absl::Status s = RequireLeader(); !s.ok()) return s;
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        ConfigMap config = configs_.entry(name).config;
        for (const std::string& key : remove) {
          std::erase_if(config, [&](const auto& kv) { return kv.first == key; });
        }
        for (const auto& [k, v] : set) {
          auto it = std::find_if(config.begin(), config.end(),
                                 [&](const auto& kv) { return kv.first == k; });
          if (it == config.end()) {
            config.emplace_back(k, v);
          } else {
            it->second = v;
          }
        }
        return config;
      });
  if (!merged.ok()) return merged.status();
  // Between the two calls another request may have deleted it; PutConfig would then recreate it.
  bool created = false;
  absl::StatusOr<ConnectorInfo> info = PutConfig(name, *std::move(merged), &created);
  if (info.ok() && created) {
    (void)Delete(name);
    return absl::NotFoundError(
        absl::StrCat("connector ", name, " was deleted while being patched"));
  }
  return info;
}

absl::Status Herder::Delete(const std::string& name) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireLeader(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (cluster_ == nullptr) lifecycle_.StopInWorker(name);  // in a cluster, its owner does
    if (absl::Status s = WriteAsLeader(
            {{ConnectorConfigKey(name), std::nullopt}, {TargetStateKey(name), std::nullopt}});
        !s.ok()) {
      return s;
    }
    if (cluster_ != nullptr) ClusterTick();
    statuses_.RemoveStatuses(name, /*connector_too=*/true);
    watchers_.Publish({WatchEvent::Kind::kConnectorDeleted, name, -1, State::kUnassigned, "",
                       options_.worker_id});
    return absl::OkStatus();
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Pause(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireServing(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kPaused)}});
        !s.ok()) {
      return s;
    }
    if (cluster_ != nullptr) {
      ClusterTick();
    } else {
      (void)lifecycle_.Start(name, TargetState::kPaused);
    }
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Resume(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireServing(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (absl::Status s =
            configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kStarted)}});
        !s.ok()) {
      return s;
    }
    if (cluster_ != nullptr) {
      ClusterTick();
    } else {
      (void)lifecycle_.Start(name, TargetState::kStarted);
    }
    return StatusOf(name);
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Stop(const std::string& name) {
  absl::StatusOr<ConnectorStatusInfo> stopped =
      Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
        if (absl::Status s = RequireLeader(); !s.ok()) return s;
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        if (cluster_ == nullptr) {
          if (absl::Status s =
                  configs_.Write({{TargetStateKey(name), EncodeTargetState(TargetState::kStopped)}});
              !s.ok()) {
            return s;
          }
          if (absl::Status s = lifecycle_.StopEmptyingTasks(name); !s.ok()) return s;
          return StatusOf(name);
        }
        // As Kafka Connect's leader: the task configs emptied first (KIP-875), then the target
        // state, in one write. No task config is written by another worker after it: the leader
        // refuses a STOPPED connector's (PutTaskConfigs).
        std::vector<kafka::KeyedRecord> records;
        if (!configs_.entry(name).tasks.empty() || configs_.entry(name).inconsistent) {
          records.push_back({CommitKey(name), EncodeCommit(0)});
        }
        records.push_back({TargetStateKey(name), EncodeTargetState(TargetState::kStopped)});
        if (absl::Status s = WriteAsLeader(records); !s.ok()) return s;
        ClusterTick();  // its owner stops it; the next assignment gives none of its tasks
        return StatusOf(name);
      });
  if (!stopped.ok() || cluster_ == nullptr) return stopped;
  // Its tasks stop on their workers at their next tick (each flushes and commits, then
  // acknowledges the assignment without them). Waiting for that here, within what a task's stop
  // may take, lets the offsets call that usually follows succeed at once; the herder thread goes
  // on meanwhile. Past the bound the answer is the same, and offsets calls answer "retry" until
  // the tasks stopped.
  const absl::Time deadline = absl::Now() + worker_->config().task_shutdown_graceful_timeout +
                              worker_->config().offset_flush_timeout + 4 * options_.tick;
  while (true) {
    absl::StatusOr<ConnectorStatusInfo> now =
        Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
          FollowCluster();
          if (absl::Status s = RequireConnector(name); !s.ok()) return s;
          if (configs_.state().target_state(name) != TargetState::kStopped ||
              TasksStoppedEverywhere(name)) {
            return StatusOf(name);
          }
          return absl::AbortedError("its tasks are stopping");
        });
    if (now.ok()) return now;
    if (!absl::IsAborted(now.status()) || absl::Now() >= deadline) return stopped;
    absl::SleepFor(absl::Milliseconds(50));
  }
}

bool Herder::TasksStoppedEverywhere(const std::string& name) const {
  const ConnectorEntry& entry = configs_.entry(name);
  return entry.tasks.empty() && !entry.inconsistent &&
         (cluster_ == nullptr || cluster_->NoTaskRuns(name));
}

ConnectorStatusInfo::Restarted Herder::RestartHere(const std::string& name, bool only_failed) {
  const TargetState target = configs_.state().target_state(name);
  const ConnectorStatusInfo before = StatusOf(name);
  ConnectorStatusInfo::Restarted restarted;
  if (cluster_ != nullptr) {
    // The instance restarts here; each task where it runs: here, or through the config topic.
    if (!only_failed || before.state == State::kFailed) {
      lifecycle_.StopInstance(name);
      statuses_.SetConnectorState(name, State::kRestarting);
      (void)lifecycle_.StartInstance(name, target);
      restarted.connector = true;
    }
    if (target != TargetState::kStarted) return restarted;
    for (const TaskStatusInfo& task : before.tasks) {
      if (!restarted.connector && task.state != State::kFailed) continue;
      RestartTaskWhereItRuns(name, task.id);
      restarted.tasks.push_back(task.id);
    }
    return restarted;
  }
  if (!only_failed || before.state == State::kFailed) {
    lifecycle_.StopInWorker(name);
    statuses_.SetConnectorState(name, State::kRestarting);
    (void)lifecycle_.Start(name, target);
    restarted.connector = true;
    if (target == TargetState::kStarted) {
      for (const TaskStatusInfo& task : StatusOf(name).tasks) restarted.tasks.push_back(task.id);
    }
  } else if (target == TargetState::kStarted) {
    for (const TaskStatusInfo& task : before.tasks) {
      if (task.state != State::kFailed) continue;
      lifecycle_.RestartTask(name, task.id);
      restarted.tasks.push_back(task.id);
    }
  }
  return restarted;
}

void Herder::RestartTaskWhereItRuns(const std::string& name, int task) {
  const cluster::WorkUnit unit = cluster::WorkUnit::Task(name, task);
  if (running_tasks_.contains(unit)) {
    lifecycle_.RestartTask(name, task);
    return;
  }
  if (cluster_->OwnerOf(unit).empty()) return;  // moving: it starts afresh where it goes
  const std::vector<kafka::KeyedRecord> request = {cluster::RestartTaskRecord(name, task)};
  if (absl::Status s = configs_.Write(request); !s.ok()) {
    log_(LogLevel::kWarn, kWho,
         absl::StrCat("asking for task ", unit.Name(), "'s restart: ", s.message()));
  }
}

absl::StatusOr<ConnectorStatusInfo> Herder::Restart(const std::string& name, bool include_tasks,
                                                    bool only_failed) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    // Kafka Connect's routes: a restart with its tasks or of the failed only is the leader's
    // (KIP-745), a plain one the worker's that runs the connector.
    const bool plan = include_tasks || only_failed;
    if (absl::Status s = plan ? RequireLeader() : RequireServing(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    const TargetState target = configs_.state().target_state(name);
    if (target == TargetState::kStopped) {
      return absl::FailedPreconditionError(
          absl::StrCat("connector ", name, " is STOPPED; resume it to run it again"));
    }
    if (!plan) {
      if (absl::Status s = RequireRunningHere(cluster::WorkUnit::Connector(name),
                                              absl::StrCat("connector ", name));
          !s.ok()) {
        return s;
      }
    }
    // Restarting the connector regenerates its task configs, so its tasks restart with it:
    // include_tasks is always implied (docs/admin-api.md). With only_failed, a connector that
    // did not fail keeps running and only its FAILED tasks restart.
    if (cluster_ == nullptr || running_.contains(name)) {
      if (cluster_ != nullptr)
        log_(LogLevel::kInfo, kWho, absl::StrCat("restarting connector ", name));
      ConnectorStatusInfo::Restarted restarted = RestartHere(name, only_failed);
      ConnectorStatusInfo after = StatusOf(name);
      after.restarted = std::move(restarted);
      return after;
    }
    // The leader, and another worker runs it (or will, once it moved): the request goes through
    // the config topic, and the answer is the plan, what will restart shown RESTARTING.
    if (cluster_->OwnerOf(cluster::WorkUnit::Connector(name)).empty()) {
      return absl::AbortedError(absl::StrCat("connector ", name,
                                             " is moving between workers (a rebalance is under "
                                             "way); retry in a moment"));
    }
    if (absl::Status s = WriteAsLeader(
            {{RestartRequestKey(name), EncodeRestartRequest({include_tasks, only_failed})}});
        !s.ok()) {
      return s;
    }
    ConnectorStatusInfo plan_status = StatusOf(name);
    ConnectorStatusInfo::Restarted restarted;
    restarted.connector = !only_failed || plan_status.state == State::kFailed;
    if (restarted.connector) plan_status.state = State::kRestarting;
    for (TaskStatusInfo& task : plan_status.tasks) {
      if (target != TargetState::kStarted) break;
      if (!restarted.connector && task.state != State::kFailed) continue;
      task.state = State::kRestarting;
      restarted.tasks.push_back(task.id);
    }
    plan_status.restarted = std::move(restarted);
    return plan_status;
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::RestartTask(const std::string& name, int task) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireServing(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    if (task < 0 || static_cast<size_t>(task) >= configs_.entry(name).tasks.size()) {
      return absl::NotFoundError(absl::StrCat("task ", name, "-", task, " not found"));
    }
    if (configs_.state().target_state(name) != TargetState::kStarted) {
      return absl::FailedPreconditionError(absl::StrCat(
          "connector ", name, " is ", TargetStateName(configs_.state().target_state(name)),
          "; resume it before restarting a task"));
    }
    // The worker that runs the task restarts it (Kafka Connect's route).
    if (absl::Status s = RequireRunningHere(cluster::WorkUnit::Task(name, task),
                                            absl::StrCat("task ", name, "-", task));
        !s.ok()) {
      return s;
    }
    if (cluster_ != nullptr) {
      log_(LogLevel::kInfo, kWho, absl::StrCat("restarting task ", name, "-", task));
    }
    lifecycle_.RestartTask(name, task);
    ConnectorStatusInfo after = StatusOf(name);
    after.restarted = ConnectorStatusInfo::Restarted{.connector = false, .tasks = {task}};
    return after;
  });
}

absl::StatusOr<ConnectorStatusInfo> Herder::Status(const std::string& name) {
  return Call<absl::StatusOr<ConnectorStatusInfo>>([&]() -> absl::StatusOr<ConnectorStatusInfo> {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return StatusOf(name);
  });
}

std::vector<ConnectorFigures> Herder::Figures() {
  return Call<std::vector<ConnectorFigures>>([&] {
    std::vector<ConnectorFigures> out;
    for (const auto& [name, entry] : configs_.state().connectors()) {
      const ConnectorStatusInfo status = statuses_.StatusOf(name);
      ConnectorFigures c;
      c.name = name;
      c.connector_class = plugin::Lookup(entry.config, "connector.class").value_or("");
      c.topic_prefix = plugin::Lookup(entry.config, "topic.prefix").value_or("");
      c.state = status.state;
      for (const TaskStatusInfo& t : status.tasks) {
        TaskFigures f;
        f.id = t.id;
        f.state = t.state;
        f.progress = t.progress;
        if (const worker::TaskView* task = worker_->Task(name, t.id); task != nullptr) {
          f.here = true;
          f.records_polled = task->records_polled();
          f.records_sent = task->records_sent();
          f.in_flight_bytes = task->in_flight_bytes();
          f.errors = task->errors();
          f.ack_lags = task->ack_lags();
        }
        c.tasks.push_back(std::move(f));
      }
      out.push_back(std::move(c));
    }
    return out;
  });
}

plugin::ConfigValidation Herder::Validate(const ConfigMap& config) {
  return Call<plugin::ConfigValidation>([&] { return preparer_.Validate(config); });
}

absl::StatusOr<std::vector<PartitionOffset>> Herder::Offsets(const std::string& name) {
  return Call<absl::StatusOr<std::vector<PartitionOffset>>>(
      [&]() -> absl::StatusOr<std::vector<PartitionOffset>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        if (absl::Status s = worker_->offset_store().ReadToEnd(kReadTimeout); !s.ok()) {
          return absl::UnavailableError(absl::StrCat("reading the offsets topic: ", s.message()));
        }
        std::vector<PartitionOffset> out;
        for (auto& [partition, offset] : worker_->offset_store().OffsetsFor(name)) {
          out.push_back({std::move(partition), std::move(offset)});
        }
        return out;
      });
}

absl::Status Herder::AlterOffsets(const std::string& name,
                                  const std::vector<PartitionOffset>& offsets) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireLeader(); !s.ok()) return s;
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    const TargetState target = configs_.state().target_state(name);
    // In a cluster the leader emptied its task configs with the stop (Stop, which waits for
    // what follows); the leader then drops its tasks from the assignment, and every member
    // acknowledges that epoch once it stopped them (each flushed and committed). Until then a
    // task may still write offsets: retry.
    if (cluster_ != nullptr && target == TargetState::kStopped && !TasksStoppedEverywhere(name)) {
      const std::string owner = cluster_->OwnerOf(cluster::WorkUnit::Connector(name));
      return absl::AbortedError(absl::StrCat(
          "connector ", name, " is STOPPED but its tasks have not stopped yet (its instance on ",
          owner.empty() ? "(none)" : owner, "); retry in a moment"));
    }
    if (target != TargetState::kStopped || worker_->IsConnectorRunning(name)) {
      // Kafka Connect's words (its herder's), which scripts written for it look for.
      return absl::FailedPreconditionError(absl::StrCat(
          "Connectors must be in the STOPPED state before their offsets can be modified. This "
          "can be done for the specified connector by issuing a 'PUT' request to the "
          "'/connectors/",
          name, "/stop' endpoint"));
    }
    // The connector checks every offset before any is written (ABI 1.4 on_offset_check).
    const ConfigMap& config = configs_.state().connectors().at(name).config;
    const std::optional<std::string> cls = plugin::Lookup(config, "connector.class");
    if (std::shared_ptr<const plugin::Plugin> plugin =
            cls ? worker_->plugins().Find(*cls) : nullptr) {
      for (const PartitionOffset& po : offsets) {
        if (!po.offset) continue;
        if (absl::Status s =
                plugin::CheckOffset(plugin, name, config, po.partition, *po.offset, log_);
            !s.ok()) {
          return absl::Status(s.code(), absl::StrCat(s.message(), "; no offset was written"));
        }
      }
    }
    std::vector<offsets::CommittableOffset> writes;
    for (const PartitionOffset& po : offsets) {
      if (po.offset) {
        writes.push_back({po.partition, *po.offset});
      } else if (absl::Status s = worker_->offset_store().Reset(name, po.partition, kWriteTimeout);
                 !s.ok()) {
        return absl::UnavailableError(absl::StrCat("resetting an offset: ", s.message()));
      }
    }
    if (!writes.empty()) {
      if (absl::Status s = worker_->offset_store().Write(name, writes, kWriteTimeout); !s.ok()) {
        return absl::UnavailableError(absl::StrCat("writing offsets: ", s.message()));
      }
    }
    return absl::OkStatus();
  });
}

absl::Status Herder::ResetOffsets(const std::string& name) {
  absl::StatusOr<std::vector<PartitionOffset>> current = Offsets(name);
  if (!current.ok()) return current.status();
  for (PartitionOffset& po : *current) po.offset.reset();
  if (absl::Status s = AlterOffsets(name, *current); !s.ok()) return s;
  // A reset starts the connector over as a new one: its topic history goes with its offsets, so
  // its next start is not taken for offsets lost (SLUICE_TASK_CONFIG_ACTIVE_TOPICS).
  return ResetTopics(name);
}

absl::StatusOr<std::vector<std::string>> Herder::Topics(const std::string& name) {
  return Call<absl::StatusOr<std::vector<std::string>>>(
      [&]() -> absl::StatusOr<std::vector<std::string>> {
        if (absl::Status s = RequireConnector(name); !s.ok()) return s;
        statuses_.NoteTopics(name);  // topics first written since the last tick
        return statuses_.Topics(name);
      });
}

absl::Status Herder::ResetTopics(const std::string& name) {
  return Call<absl::Status>([&]() -> absl::Status {
    if (absl::Status s = RequireConnector(name); !s.ok()) return s;
    return statuses_.ResetTopics(name);
  });
}

std::vector<std::shared_ptr<const plugin::Plugin>> Herder::Plugins() {
  return Call<std::vector<std::shared_ptr<const plugin::Plugin>>>(
      [&] { return worker_->plugins().List(); });
}

ClusterSummary Herder::Cluster() {
  return Call<ClusterSummary>([&] {
    ClusterSummary out;
    out.worker_id = options_.worker_id;
    if (cluster_ == nullptr) return out;
    const cluster::MembershipView view = cluster_->membership().View();
    const cluster::Assignment& a = cluster_->assignment();
    out.enabled = true;
    out.group_id = cluster_->membership().options().group_id;
    out.generation = view.generation;
    out.epoch = a.epoch;
    out.leader = a.leader;
    out.lease_valid = view.lease_valid;
    for (const std::string& member : view.members) {
      out.members[member] = a.ConnectorsOf(member);
      std::vector<std::string>& tasks = out.member_tasks[member];
      for (const cluster::WorkUnit& task : a.TasksOf(member)) tasks.push_back(task.Name());
    }
    for (const auto& [name, entry] : configs_.state().connectors()) {
      if (!a.owners.contains(cluster::WorkUnit::Connector(name))) out.unassigned.push_back(name);
      for (size_t i = 0; !entry.inconsistent && i < entry.tasks.size(); ++i) {
        const cluster::WorkUnit task = cluster::WorkUnit::Task(name, static_cast<int>(i));
        if (!a.owners.contains(task)) out.unassigned_tasks.push_back(task.Name());
      }
    }
    return out;
  });
}

std::shared_ptr<WatchSubscription> Herder::Watch() {
  return Call<std::shared_ptr<WatchSubscription>>([&] {
    auto sub = std::make_shared<WatchSubscription>();
    for (const auto& [name, entry] : configs_.state().connectors()) {
      const ConnectorStatusInfo status = StatusOf(name);
      sub->Push({WatchEvent::Kind::kConnectorStatus, name, -1, status.state, status.trace,
                 status.worker_id});
      for (const TaskStatusInfo& task : status.tasks) {
        sub->Push(
            {WatchEvent::Kind::kTaskStatus, name, task.id, task.state, task.trace, task.worker_id});
      }
    }
    watchers_.Add(sub);
    return sub;
  });
}

}  // namespace sluice::herder
