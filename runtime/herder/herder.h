// The herder: owns every connector's config, target state and status, keeps them in Kafka
// Connect's config and status topics, and drives the worker to match them (Kafka Connect's
// Herder). A restarted worker reads the topics and brings every connector back in its target
// state: STARTED runs it with its tasks, PAUSED starts the connector with its tasks stopped,
// STOPPED starts nothing.
//
// Threads: one herder thread owns all state and does all the work, fed by a request queue (as
// Kafka Connect's DistributedHerder does): every public method may be called from any thread; it
// posts a request and waits for its answer. The same thread notices failed tasks and samples
// per-task throughput for Watch subscribers every `tick`.
//
// Its rooms, each owned by the herder thread: ConfigLog (the config topic, replayed at start and
// written through), StatusWriter (statuses and active topics in the status topic), ConfigPreparer
// (validation, secrets), ConnectorLifecycle (the start/stop steps), TaskMetrics (the tick's
// samples). Its seams (HerderParts): the worker (worker::WorkerControl) and the two topic logs
// (kafka::TopicLog); Start wires the real ones, tests pass fakes.
//
// Pause and stop, as implemented here: a PAUSED connector keeps its connector instance and stops
// its tasks (each flushes and commits first), so nothing is produced; resume starts the tasks
// again from their committed offsets. A STOPPED connector has neither connector nor tasks, and its
// task configs are emptied in the config topic (KIP-875); only then may its offsets be altered.
#ifndef SLUICE_RUNTIME_HERDER_HERDER_H_
#define SLUICE_RUNTIME_HERDER_HERDER_H_

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/cluster/cluster_coordinator.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/config_log.h"
#include "runtime/herder/config_preparer.h"
#include "runtime/herder/connect_records.h"
#include "runtime/herder/connector_lifecycle.h"
#include "runtime/herder/herder_types.h"
#include "runtime/herder/secret_scrubber.h"
#include "runtime/herder/status_writer.h"
#include "runtime/herder/task_metrics.h"
#include "runtime/herder/watch.h"
#include "runtime/kafka/topic_log.h"
#include "runtime/logging/log_levels.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/plugin/host_context.h"
#include "runtime/worker/worker_control.h"

namespace sluice::herder {

struct HerderOptions {
  std::string worker_id;  // shown in statuses; the REST API's advertised host:port, or the admin
                          // listener's address
  // Cluster mode: this worker's admin listener as other workers reach it, published in its
  // `sluice-worker-<id>` record so that a follower can forward gRPC writes to it; empty = none.
  std::string admin_address = {};
  absl::Duration tick = absl::Milliseconds(250);
  absl::Duration metrics_interval = absl::Seconds(1);
  // The process's log levels, which LoggerLevels/SetLoggerLevel read and change; null = levels of
  // the herder's own that nothing reads (tests).
  std::shared_ptr<logging::LogLevels> log_levels;
  // Start(config): the scrubber to fill with resolved secrets, shared with the process's log so
  // librdkafka's lines are scrubbed too; null = a new one.
  std::shared_ptr<SecretScrubber> scrubber;
  // Cluster mode: how a follower sends the task configs its connector instances generate to the
  // leader (runtime/admin: the leader's admin listener); null = it cannot, and they wait for
  // this worker to lead. Called on the herder thread; it must answer within a few seconds.
  TaskConfigsSender send_task_configs = nullptr;
};

// This worker's membership of `group.id` with the worker's group settings (session.timeout.ms,
// heartbeat.interval.ms, rebalance.timeout.ms, `consumer.*`): a cluster member subscribes to the
// config topic, a single worker (cluster/single_worker_guard.h) to the offsets topic.
cluster::MembershipOptions GroupMembershipOptions(const config::WorkerConfig& config,
                                                  std::string worker_id, std::string topic);

// What the herder works with (Kafka Connect's testing constructors take the same): Start(config)
// builds the real ones; a test passes fakes.
struct HerderParts {
  std::unique_ptr<worker::WorkerControl> worker;
  std::unique_ptr<kafka::TopicLog> config_log;  // config.storage.topic
  std::unique_ptr<kafka::TopicLog> status_log;  // status.storage.topic
  // Resolved secrets, scrubbed from the herder's log and from statuses. The worker's log sink
  // should scrub with the same one (ScrubbingLogSink); null = a new one.
  std::shared_ptr<SecretScrubber> scrubber;
  // Cluster mode (docs/cluster.md): the connectors this worker runs are those the cluster's
  // assignment gives it; null = this worker runs every connector (a single worker).
  std::unique_ptr<cluster::ClusterCoordinator> cluster = nullptr;
  // A single worker's place in its group (cluster/single_worker_guard.h), held while it runs so
  // that a worker started later with the same group.id refuses to run; may be null.
  std::unique_ptr<cluster::GroupMembership> single_worker = nullptr;
};

class Herder {
 public:
  // Creates the worker (internal topics, plugins) and the config and status topic logs, then
  // starts as below. Secrets resolved for tasks are scrubbed from everything written to `log`.
  static absl::StatusOr<std::unique_ptr<Herder>> Start(config::WorkerConfig config,
                                                       LogSink log, HerderOptions options);
  // Reads the config and status topics, brings every connector back in its target state, and
  // starts the herder thread.
  static absl::StatusOr<std::unique_ptr<Herder>> Start(HerderParts parts, LogSink log,
                                                       HerderOptions options);
  // Stops the herder thread, then every task (flush, commit) and connector.
  ~Herder();

  // Kafka Connect's REST operations. Errors: NotFound (no such connector or task),
  // AlreadyExists, InvalidArgument naming keys, FailedPrecondition (wrong state), Unavailable
  // (Kafka did not answer), Aborted (cluster mode: a write during a rebalance; retry, as Kafka
  // Connect's 409). In a cluster every worker answers reads from the config and status topics it
  // follows; the writes Kafka Connect's leader performs (create, config, patch, delete, stop,
  // a restart with its tasks or of the failed only, offsets) only the leader performs, a plain
  // restart of a connector or a task only the worker running it, and another worker answers
  // RequestTargetError (herder_types.h) naming that worker, which the REST and gRPC faces
  // forward the request to (docs/cluster.md). Pause and resume any worker writes, as in Kafka
  // Connect.
  absl::StatusOr<ConnectorInfo> Create(const std::string& name, ConfigMap config,
                                       TargetState initial);
  absl::StatusOr<ConnectorInfo> Get(const std::string& name);
  std::vector<ConnectorInfo> List();
  // Replaces the config; creates the connector when missing (`*created` says which).
  absl::StatusOr<ConnectorInfo> PutConfig(const std::string& name, ConfigMap config,
                                          bool* created);
  // Sets the keys of `set` and removes those of `remove` (Kafka Connect's PATCH, null = remove).
  absl::StatusOr<ConnectorInfo> PatchConfig(const std::string& name, const ConfigMap& set,
                                            const std::vector<std::string>& remove);
  absl::Status Delete(const std::string& name);
  // The committed task configs, by task id, secrets masked (Kafka Connect's
  // GET /connectors/{name}/tasks). NotFound.
  absl::StatusOr<std::vector<ConfigMap>> TaskConfigs(const std::string& name);
  // Cluster mode, the leader only (Kafka Connect's internal POST /connectors/{name}/tasks): the
  // task configs connector `name`'s instance generated on worker `from`, written to the config
  // topic unless they are current already. Aborted (retry) when `from` does not run the instance
  // in the newest assignment; FailedPrecondition for tasks of a STOPPED connector; as the
  // leader's other writes otherwise (RequestTargetError on a follower, which is not forwarded).
  // DeadlineExceeded, writing nothing, when the herder thread takes the request only after
  // `sender_gives_up` (the sender's deadline: it waited behind a long request, such as a zombie
  // fencing round, and sends the set again at its next tick), so a set the sender gave up on is
  // never written after one it sent later.
  absl::Status PutTaskConfigs(const std::string& name, const std::string& from,
                              const std::vector<ConfigMap>& tasks,
                              absl::Time sender_gives_up = absl::InfiniteFuture());
  absl::StatusOr<ConnectorStatusInfo> Pause(const std::string& name);
  absl::StatusOr<ConnectorStatusInfo> Resume(const std::string& name);
  // KIP-875's stop: the task configs emptied and the target state STOPPED written (in a
  // cluster by the leader). In a cluster it then waits, at most about
  // task.shutdown.graceful.timeout.ms + offset.flush.timeout.ms, until no worker runs a task of
  // the connector any more, so that an offsets call asked next succeeds at once.
  absl::StatusOr<ConnectorStatusInfo> Stop(const std::string& name);
  // In a cluster, the leader asked to restart with `include_tasks` or `only_failed` a connector
  // another worker runs writes the request to the config topic for that worker, and the answer
  // is the plan (what will restart, shown RESTARTING), as Kafka Connect's leader answers.
  absl::StatusOr<ConnectorStatusInfo> Restart(const std::string& name, bool include_tasks,
                                              bool only_failed);
  absl::StatusOr<ConnectorStatusInfo> RestartTask(const std::string& name, int task);
  absl::StatusOr<ConnectorStatusInfo> Status(const std::string& name);
  // Per key, secret values masked (ConfigPreparer::Validate).
  plugin::ConfigValidation Validate(const ConfigMap& config);
  absl::StatusOr<std::vector<PartitionOffset>> Offsets(const std::string& name);
  // Only while STOPPED (FailedPrecondition otherwise), as in Kafka Connect.
  absl::Status AlterOffsets(const std::string& name, const std::vector<PartitionOffset>& offsets);
  // Every offset of the connector, and its active topics with them: it starts over as new.
  absl::Status ResetOffsets(const std::string& name);
  absl::StatusOr<std::vector<std::string>> Topics(const std::string& name);
  absl::Status ResetTopics(const std::string& name);
  std::vector<std::shared_ptr<const plugin::Plugin>> Plugins();
  // Members, leader and assignment as this worker last read them.
  ClusterSummary Cluster();

  // Every connector with its status and its tasks' counts, for /metrics (runtime/metrics).
  std::vector<ConnectorFigures> Figures();

  // The worker's log levels (KIP-495), the one implementation of both APIs' logger calls.
  // Every known logger and `root`, with effective levels and when they were last set.
  std::map<std::string, logging::LoggerLevel> LoggerLevels();
  // NotFound "Logger <name> not found." for a logger that never logged and was never set.
  absl::StatusOr<logging::LoggerLevel> LoggerLevel(const std::string& name);
  // Sets `name` and the known loggers below it (`root`: all); the names set, sorted.
  // InvalidArgument "invalid log level '<level>'." for a level log4j does not know.
  absl::StatusOr<std::vector<std::string>> SetLoggerLevel(const std::string& name,
                                                          const std::string& level);

  // Status changes and task metrics from now on (with the current status of every connector
  // first), until the subscription is dropped.
  std::shared_ptr<WatchSubscription> Watch();

  const std::string& worker_id() const { return options_.worker_id; }
  // The Kafka cluster's id (worker::WorkerControl); any thread.
  const std::optional<std::string>& kafka_cluster_id() const { return worker_->kafka_cluster_id(); }

 private:
  Herder(HerderParts parts, LogSink log, HerderOptions options);

  // Runs `fn` on the herder thread and returns its result.
  template <typename T>
  T Call(std::function<T()> fn);
  void Post(std::function<void()> fn);
  void Run();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_);
  // Any thread: the herder ticks at once rather than at its next tick (the cluster changed).
  void Wake();

  // Herder-thread helpers.
  absl::Status Restore();
  // Every `tick`: failed tasks and new topics noted, metrics sampled.
  void Tick();
  // Cluster mode, every tick and after every write: the config topic followed, the leader's
  // assignment published, the connectors this worker owns started or brought to their new
  // config or target state, the others stopped, and the epoch acknowledged.
  void ClusterTick();
  // Cluster mode: every connector in the config topic with its class and committed task count,
  // as the leader's step takes them.
  std::map<std::string, cluster::ConnectorWork> WorkInConfigTopic() const;
  // Cluster mode: when this worker leads, the next assignment published (if it changed).
  void PublishAssignment();
  // Cluster mode, in the destructor once every task and connector here stopped (their offsets
  // committed), before the group is left: this worker's farewell written, and as leader its work
  // given to the others (ClusterCoordinator::Farewell).
  void SayFarewell();
  // Cluster mode: the config and status topics followed (what other workers wrote); restart
  // requests that arrived are kept for ClusterTick. A write calls it first, so it checks and
  // changes the newest state this worker can see.
  void FollowCluster();
  // Cluster mode: records followed from the config topic applied to the config state, the
  // workers' listeners and the restart requests (FollowCluster's first half).
  void ApplyFollowed(std::vector<kafka::KeyedRecord> records);
  // Cluster mode: the workers' admin listeners from their `sluice-worker-<id>` records.
  void NoteWorkers(const std::vector<kafka::KeyedRecord>& records);
  // Cluster mode: Aborted saying to retry while a rebalance is under way (Kafka Connect's 409);
  // OK otherwise, and always for a single worker.
  absl::Status RequireServing();
  // Cluster mode, first in every write only the leader performs: RequireServing, then OK when
  // this worker leads and read the config topic to its end in this term (its term kept for
  // WriteAsLeader; Aborted, retry, until that read succeeded), RequestTargetError naming the leader the
  // newest assignment names, or Aborted (retry) while none other is known. OK for a single worker.
  absl::Status RequireLeader();
  // Cluster mode, for a request only the worker running `unit` performs (after RequireServing):
  // OK when it runs here (always for a single worker), RequestTargetError naming the worker the
  // newest assignment gives it to, or Aborted (retry) while it moves.
  absl::Status RequireRunningHere(const cluster::WorkUnit& unit, absl::string_view what);
  WorkerAddress AddressOf(const std::string& worker_id) const;
  // The config-topic write of a request RequireLeader admitted: in a cluster through the leader's
  // transactional writer (ClusterCoordinator::WriteAsLeader) only while this worker still leads
  // in that term (under GroupMembership::AsLeader, so the next leader reads it before it serves;
  // a newer leader's writer fences it), Aborted (retry) once it no longer does, Unavailable when
  // the transaction failed.
  absl::Status WriteAsLeader(const std::vector<kafka::KeyedRecord>& records);
  // The lifecycle's TaskConfigStore in cluster mode: the task configs an instance running here
  // generated, sent to the leader (written here when this worker leads). A write the leader
  // cannot take now (a rebalance, a leader change) is kept and retried every tick
  // (RetryTaskConfigs) while the instance runs here; OK then.
  absl::Status StoreTaskConfigs(const std::string& name, const std::vector<ConfigMap>& tasks);
  absl::Status SendTaskConfigs(const std::string& name, const std::vector<ConfigMap>& tasks);
  void RetryTaskConfigs();
  // The leader's write of task configs generated on worker `from` (REQUIRES: RequireLeader, or
  // the same checks, admitted it): nothing when they are current.
  // Under exactly-once the leader, their one writer, runs their zombie fencing round right after
  // (FenceZombiesAsLeader), so the round and its `tasks-fencing-` record are written in order
  // by one writer, before any worker may start the new generation.
  absl::Status WriteTaskConfigsAsLeader(const std::string& name, const std::string& from,
                                        const std::vector<ConfigMap>& tasks);
  // The leader's zombie fencing round of `name` (ConnectorLifecycle::FenceZombies), its record
  // written as the leader; a failure is logged, and the round retried every tick
  // (FencePendingRoundsAsLeader) while the new generation waits for it.
  void FenceZombiesAsLeader(const std::string& name, bool rewritten, size_t previous_tasks);
  void FencePendingRoundsAsLeader();
  // Restarts `name` on this worker, which runs it: the connector with all its tasks, or with
  // `only_failed` only what failed. Returns what restarted.
  ConnectorStatusInfo::Restarted RestartHere(const std::string& name, bool only_failed);
  // Cluster mode: restarts task `task` of `name` here when it runs here, else asks the worker
  // that runs it (a `sluice-restart-task-` record); nothing while it moves (it starts afresh).
  void RestartTaskWhereItRuns(const std::string& name, int task);
  // Cluster mode: the restart requests that arrived, for connectors and tasks running here.
  void ActOnRestartRequests();
  ConnectorInfo InfoOf(const std::string& name) const;
  // The status writer's status of `name`, with the plugin's version.
  ConnectorStatusInfo StatusOf(const std::string& name) const;
  absl::Status RequireConnector(const std::string& name) const;
  // Whether no task of `name` (REQUIRES: it exists) may run anywhere any more: its task configs
  // are empty and, in a cluster, no member runs one (ClusterCoordinator::NoTaskRuns).
  bool TasksStoppedEverywhere(const std::string& name) const;

  const HerderOptions options_;
  const std::shared_ptr<logging::LogLevels> log_levels_;
  const std::shared_ptr<SecretScrubber> scrubber_;
  const LogSink log_;
  const std::unique_ptr<worker::WorkerControl> worker_;
  // Left (LeaveGroup) only after the destructor stopped every task.
  const std::unique_ptr<cluster::ClusterCoordinator> cluster_;
  const std::unique_ptr<cluster::GroupMembership> single_worker_;  // likewise
  Watchers watchers_;

  // Herder-thread state, in its rooms (declared after what they point to).
  ConfigLog configs_;
  StatusWriter statuses_;
  ConfigPreparer preparer_;
  ConnectorLifecycle lifecycle_;
  TaskMetrics metrics_;
  // Cluster mode: the connector instances running here, with the config and target state they
  // run with.
  struct Running {
    ConfigMap config;
    TargetState target;
  };
  std::map<std::string, Running> running_;
  // Cluster mode: the tasks the assignment gives this worker and the configs and target state
  // they were applied with (a PAUSED or failed one is here but does not run). A task restarts
  // when its connector's config changes too: its converters, overrides and offsets store come
  // from it (Kafka Connect keeps the old ones, KAFKA-9228). So it may restart twice, once with
  // the connector's new config and once more when the new task configs arrive.
  struct RunningTask {
    ConfigMap connector_config;
    ConfigMap task_config;
    TargetState target;
    bool operator==(const RunningTask&) const = default;
  };
  std::map<cluster::WorkUnit, RunningTask> running_tasks_;
  // GroupMembership's lease_takes at the last ClusterTick: a change means the lease lapsed.
  int64_t lease_takes_seen_ = 0;
  // Cluster mode: task `unit` as the config topic has it now; nullopt when it has no committed
  // config.
  std::optional<RunningTask> TaskAsConfigured(const cluster::WorkUnit& unit) const;
  // Cluster mode, ClusterTick's two halves for tasks: those no longer in `mine`, or whose
  // connector config, task config or target state changed, stopped (each flushes and commits);
  // then this worker's tasks (MyTasks) not applied yet started (or reported PAUSED); under
  // exactly-once only after the config topic was read to its end (ReadAll).
  void StopTasksNoLongerHere(const std::set<cluster::WorkUnit>& mine);
  void StartTasksNewHere();
  // Cluster mode: restart requests (Kafka Connect's and Sluice's task ones) followed from the
  // config topic and not yet acted on.
  std::vector<kafka::KeyedRecord> restart_requests_;
  // Cluster mode: every worker's published admin listener, by worker id (sluice-worker-<id>).
  std::map<std::string, std::string> admin_addresses_;
  // Cluster mode: the leader's term RequireLeader last admitted a write in.
  uint64_t leader_term_ = 0;
  // Cluster mode: task configs of instances running here that the leader could not take yet.
  std::map<std::string, std::vector<ConfigMap>> unsent_task_configs_;

  absl::Mutex queue_mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  bool woken_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread thread_;
};

}  // namespace sluice::herder

#endif  // SLUICE_RUNTIME_HERDER_HERDER_H_
