#include "runtime/kafka/compacted_topic.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"

namespace sluice::kafka {
namespace {

int Millis(absl::Duration d) {
  return static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(d)));
}

}  // namespace

// Shared by the records of one write and their delivery reports; a report that arrives after the
// write gave up (timeout) still finds it alive.
struct CompactedTopic::Pending {
  absl::Mutex mu;
  int remaining ABSL_GUARDED_BY(mu) = 0;
  absl::Status first_error ABSL_GUARDED_BY(mu);
};

absl::StatusOr<std::unique_ptr<CompactedTopic>> CompactedTopic::Create(
    const CompactedTopicOptions& options) {
  if (options.topic.empty()) return absl::InvalidArgumentError("compacted topic: no topic name");
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options.bootstrap_servers},
                                               {"client.id", options.client_id},
                                               {"enable.idempotence", "true"},
                                               {"acks", "all"},
                                               {"partitioner", "murmur2_random"}},
                                              options.producer_overrides, "producer.");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &CompactedTopic::OnDelivery);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic `", options.topic, "`: cannot create producer: ", errstr));
  }
  conf->release();
  std::unique_ptr<CompactedTopic> log(new CompactedTopic(options));
  log->producer_.reset(rk);
  log->topic_handle_.reset(rd_kafka_topic_new(rk, options.topic.c_str(), nullptr));
  if (log->topic_handle_ == nullptr) {
    return KafkaStatus(rd_kafka_last_error(), absl::StrCat("topic `", options.topic, "`"));
  }
  return log;
}

CompactedTopic::~CompactedTopic() {
  if (producer_ == nullptr) return;
  // Free the bookkeeping of writes that timed out: purge, then serve their reports.
  rd_kafka_flush(producer_.get(), 1000);
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (rd_kafka_outq_len(producer_.get()) > 0 && absl::Now() < deadline)
    rd_kafka_poll(producer_.get(), 10);
}

void CompactedTopic::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  std::unique_ptr<std::shared_ptr<Pending>> pending(
      static_cast<std::shared_ptr<Pending>*>(message->_private));
  if (pending == nullptr) return;
  absl::MutexLock lock(&(*pending)->mu);
  --(*pending)->remaining;
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && (*pending)->first_error.ok()) {
    const char* topic = message->rkt != nullptr ? rd_kafka_topic_name(message->rkt) : "?";
    (*pending)->first_error =
        KafkaStatus(message->err, absl::StrCat("writing to topic `", topic, "`"));
  }
}

absl::Status CompactedTopic::Write(const std::vector<KeyedRecord>& records,
                                   absl::Duration timeout) {
  absl::MutexLock write_lock(&write_mu_);
  auto pending = std::make_shared<Pending>();
  for (const KeyedRecord& record : records) {
    {
      absl::MutexLock lock(&pending->mu);
      ++pending->remaining;
    }
    auto* opaque = new std::shared_ptr<Pending>(pending);
    // The RD_KAFKA_V_* macros cast their arguments unparenthesised: compute them first.
    void* value_data = record.value ? const_cast<char*>(record.value->data()) : nullptr;
    const size_t value_size = record.value ? record.value->size() : 0;
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_RKT(topic_handle_.get()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(record.key.data(), record.key.size()),
        RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      delete opaque;
      return KafkaStatus(err, absl::StrCat("writing to topic `", options_.topic, "`"));
    }
  }
  rd_kafka_flush(producer_.get(), Millis(timeout));
  absl::MutexLock lock(&pending->mu);
  if (!pending->first_error.ok()) return pending->first_error;
  if (pending->remaining > 0) {
    return absl::DeadlineExceededError(
        absl::StrCat("topic `", options_.topic, "`: ", pending->remaining,
                     " records unacknowledged after ", absl::FormatDuration(timeout)));
  }
  return absl::OkStatus();
}

absl::Status CompactedTopic::ReadToEnd(const Visitor& visit, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string& topic = options_.topic;
  // assign() without subscribe(): no group membership, no commits; group.id is set only because
  // librdkafka's consumer poll requires one. A fetch that finds nothing new (a partition read to
  // its end by EOF, e.g. one ending in transaction markers) is answered after 10 ms, not the
  // 500 ms default.
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options_.bootstrap_servers},
                                               {"client.id", options_.client_id + "-reader"},
                                               {"group.id", options_.client_id + "-reader"},
                                               {"enable.auto.commit", "false"},
                                               {"enable.auto.offset.store", "false"},
                                               {"enable.partition.eof", "true"},
                                               {"auto.offset.reset", "earliest"},
                                               {"isolation.level", "read_committed"},
                                               {"fetch.wait.max.ms", "10"}},
                                              options_.consumer_overrides, "consumer.");
  if (!conf.ok()) return conf.status();
  char errstr[512];
  rd_kafka_t* raw = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof errstr);
  if (raw == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic `", topic, "`: cannot create consumer: ", errstr));
  }
  conf->release();
  KafkaHandle consumer(raw);
  rd_kafka_poll_set_consumer(consumer.get());

  // Partitions and their end offsets at the start of the read.
  std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> rkt(
      rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr), &rd_kafka_topic_destroy);
  const rd_kafka_metadata_t* raw_metadata = nullptr;
  if (rd_kafka_resp_err_t err = rd_kafka_metadata(consumer.get(), 0, rkt.get(), &raw_metadata,
                                                  Millis(deadline - absl::Now()));
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, absl::StrCat("metadata of topic `", topic, "`"));
  }
  MetadataHandle metadata(raw_metadata);
  if (metadata->topic_cnt != 1 || metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(
        metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        absl::StrCat("topic `", topic, "`"));
  }
  const int partitions = metadata->topics[0].partition_cnt;
  std::vector<int64_t> end(partitions, 0);
  int remaining = 0;
  if (partitions > 0) {
    // Every partition's end offset in one ListOffsets request per broker (timestamp -1 means
    // "latest"), not two requests per partition one after the other: the offsets topic has 25
    // partitions, and this read is on the path of every worker and task start.
    TopicPartitionListHandle ends(rd_kafka_topic_partition_list_new(partitions));
    for (int p = 0; p < partitions; ++p) {
      rd_kafka_topic_partition_list_add(ends.get(), topic.c_str(), p)->offset = -1;
    }
    if (rd_kafka_resp_err_t err =
            rd_kafka_offsets_for_times(consumer.get(), ends.get(), Millis(deadline - absl::Now()));
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("end offsets of topic `", topic, "`"));
    }
    for (int i = 0; i < ends->cnt; ++i) {
      const rd_kafka_topic_partition_t& tp = ends->elems[i];
      if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return KafkaStatus(
            tp.err, absl::StrCat("end offset of topic `", topic, "` partition ", tp.partition));
      }
      if (tp.partition >= 0 && tp.partition < partitions) end[tp.partition] = tp.offset;
    }
  }
  TopicPartitionListHandle assignment(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    // A partition whose records were all deleted (end > 0, nothing left) ends by EOF below.
    if (end[p] > 0) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
      ++remaining;
    }
  }
  if (remaining == 0) return absl::OkStatus();

  if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer.get(), assignment.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, absl::StrCat("reading topic `", topic, "`"));
  }
  std::vector<bool> done(partitions, false);
  auto finish = [&](int p) {
    if (p >= 0 && p < partitions && !done[p]) {
      done[p] = true;
      --remaining;
    }
  };
  while (remaining > 0) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("topic `", topic, "`: ", remaining,
                                                      " partitions not read to their end within ",
                                                      absl::FormatDuration(timeout)));
    }
    MessageHandle message(rd_kafka_consumer_poll(consumer.get(), 100));
    if (message == nullptr) continue;
    const int p = message->partition;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // EOF is also how a partition ending in transaction markers (never delivered) is finished.
      if (p >= 0 && p < partitions && message->offset >= end[p]) finish(p);
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      absl::Status status = KafkaStatus(message->err, absl::StrCat("reading topic `", topic, "`"));
      if (status.code() == absl::StatusCode::kUnavailable) continue;  // librdkafka reconnects
      return status;
    }
    std::optional<absl::string_view> key;
    std::optional<absl::string_view> value;
    if (message->key != nullptr)
      key.emplace(static_cast<const char*>(message->key), message->key_len);
    if (message->payload != nullptr)
      value.emplace(static_cast<const char*>(message->payload), message->len);
    visit(key, value);
    if (p >= 0 && p < partitions && message->offset + 1 >= end[p]) finish(p);
  }
  rd_kafka_consumer_close(consumer.get());
  return absl::OkStatus();
}

}  // namespace sluice::kafka
