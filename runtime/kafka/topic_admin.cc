#include "runtime/kafka/topic_admin.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"

namespace sluice::kafka {
namespace {

int Millis(absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); }

// Runs one admin request whose result arrives on `queue`; NotFound-free: the caller reads the
// per-resource result from the returned event.
absl::StatusOr<EventHandle> AwaitResult(rd_kafka_queue_t* queue, absl::Duration timeout,
                                        absl::string_view what) {
  // The request itself times out at `timeout`; give the result a little longer to arrive.
  EventHandle event(rd_kafka_queue_poll(queue, Millis(timeout + absl::Seconds(5))));
  if (event == nullptr) {
    return absl::DeadlineExceededError(
        absl::StrCat(what, ": no answer from the cluster within ", absl::FormatDuration(timeout)));
  }
  if (rd_kafka_resp_err_t err = rd_kafka_event_error(event.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::Status(StatusCodeFor(err),
                        absl::StrCat(what, ": ", rd_kafka_event_error_string(event.get())));
  }
  return event;
}

absl::StatusOr<AdminOptionsHandle> MakeOptions(rd_kafka_t* rk, rd_kafka_admin_op_t op,
                                               absl::Duration timeout) {
  AdminOptionsHandle options(rd_kafka_AdminOptions_new(rk, op));
  char errstr[256];
  if (rd_kafka_AdminOptions_set_request_timeout(options.get(), Millis(timeout), errstr,
                                                sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(errstr);
  }
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS &&
      rd_kafka_AdminOptions_set_operation_timeout(options.get(), Millis(timeout), errstr,
                                                  sizeof errstr) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(errstr);
  }
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TopicAdmin>> TopicAdmin::Create(const Options& options) {
  absl::StatusOr<ConfHandle> conf =
      BuildConf({{"bootstrap.servers", options.bootstrap_servers}, {"client.id", "sluice-admin"}},
                options.overrides, "admin.");
  if (!conf.ok()) return conf.status();
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr)
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create the Kafka admin client: ", errstr));
  conf->release();
  std::unique_ptr<TopicAdmin> admin(new TopicAdmin(options.timeout));
  admin->rk_.reset(rk);
  return admin;
}

absl::Status TopicAdmin::CreateTopicIfMissing(const TopicSpec& spec) {
  char errstr[512];
  NewTopicHandle topic(rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                                             spec.replication_factor, errstr, sizeof errstr));
  if (topic == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create topic `", spec.name, "`: ", errstr));
  }
  for (const auto& [key, value] : spec.configs) {
    if (rd_kafka_resp_err_t err =
            rd_kafka_NewTopic_set_config(topic.get(), key.c_str(), value.c_str());
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("topic `", spec.name, "` config `", key, "`"));
    }
  }
  absl::StatusOr<AdminOptionsHandle> options =
      MakeOptions(rk_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout_);
  if (!options.ok()) return options.status();
  QueueHandle queue(rd_kafka_queue_new(rk_.get()));
  rd_kafka_NewTopic_t* topics[] = {topic.get()};
  rd_kafka_CreateTopics(rk_.get(), topics, 1, options->get(), queue.get());
  const std::string what = absl::StrCat("creating topic `", spec.name, "`");
  absl::StatusOr<EventHandle> event = AwaitResult(queue.get(), timeout_, what);
  if (!event.ok()) return event.status();

  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event->get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  if (count != 1)
    return absl::InternalError(absl::StrCat(what, ": ", count, " results for one topic"));
  rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[0]);
  if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) return absl::OkStatus();
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* detail = rd_kafka_topic_result_error_string(results[0]);
    std::string hint;
    if (err == RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR) {
      hint =
          "; lower the topic's replication factor (for the worker's own topics: "
          "offset.storage.replication.factor, config.storage.replication.factor, "
          "status.storage.replication.factor) or use -1 for the broker's default";
    }
    return absl::Status(StatusCodeFor(err),
                        absl::StrCat(what, ": ", detail != nullptr ? detail : rd_kafka_err2str(err),
                                     " (", rd_kafka_err2name(err), ")", hint));
  }

  // Creation is acknowledged by the controller before every broker serves the topic. Metadata
  // can name a partition's leader before that broker has made the partition its own: a read
  // then fails with NOT_LEADER_FOR_PARTITION, and an idempotent producer's first batch may be
  // lost (KAFKA-15591). So wait until metadata shows the topic and each partition's leader
  // answers for it (its watermarks), before the caller's first read or produce.
  const absl::Time deadline = absl::Now() + timeout_;
  int32_t ready = 0;  // partitions [0, ready) answered
  while (true) {
    absl::StatusOr<TopicDescription> description = DescribeTopic(spec.name);
    if (description.ok() && description->partitions > 0) {
      for (; ready < description->partitions; ++ready) {
        int64_t low = 0, high = 0;
        if (rd_kafka_query_watermark_offsets(rk_.get(), spec.name.c_str(), ready, &low, &high,
                                             1000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
          break;
        }
      }
      if (ready == description->partitions) return absl::OkStatus();
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": created, but its partitions were not served within ",
                       absl::FormatDuration(timeout_), " (", ready, " answered)"));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

absl::Status TopicAdmin::Ping(absl::Duration timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  // all_topics=0 without a topic: the brokers only, the cheapest request every broker answers.
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk_.get(), 0, nullptr, &raw, Millis(timeout));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return KafkaStatus(err, "cluster metadata");
  MetadataHandle metadata(raw);
  return absl::OkStatus();
}

absl::StatusOr<std::string> TopicAdmin::ClusterId(absl::Duration timeout) {
  std::unique_ptr<char, void (*)(char*)> id(rd_kafka_clusterid(rk_.get(), Millis(timeout)),
                                            [](char* p) { rd_kafka_mem_free(nullptr, p); });
  if (id == nullptr) {
    return absl::UnavailableError("the Kafka cluster did not tell its id (a broker older than "
                                  "Kafka 0.10, or none answered in time)");
  }
  return std::string(id.get());
}

absl::StatusOr<TopicDescription> TopicAdmin::DescribeTopic(const std::string& name) {
  // A topic handle scopes the metadata request to this one topic.
  std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> rkt(
      rd_kafka_topic_new(rk_.get(), name.c_str(), nullptr), &rd_kafka_topic_destroy);
  if (rkt == nullptr) return KafkaStatus(rd_kafka_last_error(), absl::StrCat("topic `", name, "`"));
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk_.get(), 0, rkt.get(), &raw, Millis(timeout_));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return KafkaStatus(err, absl::StrCat("metadata of topic `", name, "`"));
  MetadataHandle metadata(raw);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& t = metadata->topics[i];
    if (name != t.topic) continue;
    if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return KafkaStatus(t.err, absl::StrCat("topic `", name, "`"));
    return TopicDescription{name, t.partition_cnt};
  }
  return absl::NotFoundError(absl::StrCat("topic `", name, "` does not exist"));
}

absl::StatusOr<std::string> TopicAdmin::TopicConfigValue(const std::string& name,
                                                         const std::string& key) {
  ConfigResourceHandle resource(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name.c_str()));
  absl::StatusOr<AdminOptionsHandle> options =
      MakeOptions(rk_.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_);
  if (!options.ok()) return options.status();
  QueueHandle queue(rd_kafka_queue_new(rk_.get()));
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  rd_kafka_DescribeConfigs(rk_.get(), resources, 1, options->get(), queue.get());
  const std::string what = absl::StrCat("describing the configs of topic `", name, "`");
  absl::StatusOr<EventHandle> event = AwaitResult(queue.get(), timeout_, what);
  if (!event.ok()) return event.status();
  const rd_kafka_DescribeConfigs_result_t* result =
      rd_kafka_event_DescribeConfigs_result(event->get());
  size_t count = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(result, &count);
  if (count != 1)
    return absl::InternalError(absl::StrCat(what, ": ", count, " results for one topic"));
  if (rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(described[0]);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, what);
  }
  size_t entry_count = 0;
  const rd_kafka_ConfigEntry_t** entries =
      rd_kafka_ConfigResource_configs(described[0], &entry_count);
  for (size_t i = 0; i < entry_count; ++i) {
    if (key == rd_kafka_ConfigEntry_name(entries[i])) {
      const char* value = rd_kafka_ConfigEntry_value(entries[i]);
      return std::string(value != nullptr ? value : "");
    }
  }
  return absl::NotFoundError(absl::StrCat(what, ": no config `", key, "`"));
}

absl::Status TopicAdmin::EnsureCompacted(const config::InternalTopicSettings& topic,
                                         absl::string_view key) {
  TopicSpec spec{
      topic.name, topic.partitions, topic.replication_factor, {{"cleanup.policy", "compact"}}};
  if (absl::Status s = CreateTopicIfMissing(spec); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("worker internal topic (", key, "): ", s.message()));
  }
  absl::StatusOr<std::string> policy = TopicConfigValue(topic.name, "cleanup.policy");
  if (!policy.ok()) return policy.status();
  if (!absl::StrContains(*policy, "compact")) {
    return absl::FailedPreconditionError(
        absl::StrCat("topic `", topic.name, "` (", key, ") has cleanup.policy=", *policy,
                     "; the worker's own topics must be compacted or old entries are deleted. Run: "
                     "kafka-configs.sh "
                     "--alter --entity-type topics --entity-name ",
                     topic.name, " --add-config cleanup.policy=compact"));
  }
  return absl::OkStatus();
}

absl::Status TopicAdmin::EnsureInternalTopics(const config::WorkerConfig& config) {
  if (absl::Status s = EnsureCompacted(config.offset_storage, "offset.storage.topic"); !s.ok())
    return s;
  if (absl::Status s = EnsureCompacted(config.config_storage, "config.storage.topic"); !s.ok())
    return s;
  return EnsureCompacted(config.status_storage, "status.storage.topic");
}

absl::Status DataTopicCreator::EnsureExists(const std::string& topic) {
  {
    absl::MutexLock lock(&mu_);
    if (known_.contains(topic)) return absl::OkStatus();
  }
  absl::Status status;
  if (enabled_) {
    status = admin_->CreateTopicIfMissing(
        TopicSpec{topic, default_partitions_, default_replication_factor_, {}});
  } else {
    absl::StatusOr<TopicDescription> description = admin_->DescribeTopic(topic);
    if (!description.ok()) {
      status = absl::Status(
          description.status().code(),
          absl::StrCat(
              description.status().message(),
              "; create it, or set topic.creation.enable=true to let the worker create it"));
    }
  }
  if (status.ok()) {
    absl::MutexLock lock(&mu_);
    known_.insert(topic);
  }
  return status;
}

}  // namespace sluice::kafka
