#include "runtime/kafka/topic_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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
struct TopicLog::Pending {
  absl::Mutex mu;
  int remaining ABSL_GUARDED_BY(mu) = 0;
  absl::Status first_error ABSL_GUARDED_BY(mu);
};

absl::StatusOr<std::unique_ptr<TopicLog>> TopicLog::Create(TopicLogOptions options) {
  if (options.topic.empty()) return absl::InvalidArgumentError("topic log: no topic name");
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options.bootstrap_servers},
                                               {"client.id", options.client_id + "-writer"},
                                               {"enable.idempotence", "true"},
                                               {"acks", "all"},
                                               {"partitioner", "murmur2_random"}},
                                              options.producer_overrides, "producer.");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &TopicLog::OnDelivery);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic `", options.topic, "`: cannot create producer: ", errstr));
  }
  conf->release();
  std::unique_ptr<TopicLog> log(new TopicLog(std::move(options)));
  log->producer_.reset(rk);
  log->topic_handle_.reset(rd_kafka_topic_new(rk, log->options_.topic.c_str(), nullptr));
  if (log->topic_handle_ == nullptr) {
    return KafkaStatus(rd_kafka_last_error(), absl::StrCat("topic `", log->options_.topic, "`"));
  }
  return log;
}

TopicLog::~TopicLog() {
  if (producer_ == nullptr) return;
  rd_kafka_flush(producer_.get(), 1000);
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  while (rd_kafka_outq_len(producer_.get()) > 0) rd_kafka_poll(producer_.get(), 10);
}

void TopicLog::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  std::unique_ptr<std::shared_ptr<Pending>> pending(
      static_cast<std::shared_ptr<Pending>*>(message->_private));
  if (pending == nullptr) return;
  absl::MutexLock lock(&(*pending)->mu);
  --(*pending)->remaining;
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && (*pending)->first_error.ok()) {
    (*pending)->first_error = KafkaStatus(message->err, "writing a record");
  }
}

absl::Status TopicLog::Write(const std::vector<TopicLogRecord>& records, absl::Duration timeout) {
  absl::MutexLock write_lock(&write_mu_);
  auto pending = std::make_shared<Pending>();
  for (const TopicLogRecord& record : records) {
    {
      absl::MutexLock lock(&pending->mu);
      ++pending->remaining;
    }
    auto* opaque = new std::shared_ptr<Pending>(pending);
    // The RD_KAFKA_V_* macros cast their arguments unparenthesised: compute them first.
    void* value_data = record.value ? const_cast<char*>(record.value->data()) : nullptr;
    const size_t value_size = record.value ? record.value->size() : 0;
    void* key_data = const_cast<char*>(record.key.data());
    const size_t key_size = record.key.size();
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_RKT(topic_handle_.get()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key_data, key_size),
        RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      delete opaque;
      return KafkaStatus(err, absl::StrCat("writing to topic `", options_.topic, "`"));
    }
  }
  rd_kafka_flush(producer_.get(), Millis(timeout));
  absl::MutexLock lock(&pending->mu);
  if (!pending->first_error.ok()) {
    return absl::Status(
        pending->first_error.code(),
        absl::StrCat("topic `", options_.topic, "`: ", pending->first_error.message()));
  }
  if (pending->remaining > 0) {
    return absl::UnavailableError(absl::StrCat("topic `", options_.topic, "`: ", pending->remaining,
                                               " records unacknowledged after ",
                                               absl::FormatDuration(timeout)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TopicLogRecord>> TopicLog::ReadAll(absl::Duration timeout) const {
  // A topic created moments ago may not have a leader yet: retry what librdkafka calls retriable.
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::StatusOr<std::vector<TopicLogRecord>> records = ReadAllOnce(deadline);
    if (records.ok() || records.status().code() != absl::StatusCode::kUnavailable ||
        absl::Now() >= deadline) {
      return records;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}

absl::StatusOr<std::vector<TopicLogRecord>> TopicLog::ReadAllOnce(absl::Time deadline) const {
  const absl::Duration timeout = deadline - absl::Now();
  const std::string& topic = options_.topic;
  // assign() without subscribe(): no group membership, no commits; group.id only because
  // librdkafka's consumer poll requires one.
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options_.bootstrap_servers},
                                               {"client.id", options_.client_id + "-reader"},
                                               {"group.id", options_.client_id + "-reader"},
                                               {"enable.auto.commit", "false"},
                                               {"enable.auto.offset.store", "false"},
                                               {"enable.partition.eof", "true"},
                                               {"auto.offset.reset", "earliest"},
                                               {"isolation.level", "read_committed"}},
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
  TopicPartitionListHandle assignment(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0;
    int64_t high = 0;
    if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
            consumer.get(), topic.c_str(), p, &low, &high, Millis(deadline - absl::Now()));
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("end offset of `", topic, "` partition ", p));
    }
    end[p] = high;
    if (high > low) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
      ++remaining;
    }
  }

  std::vector<std::vector<TopicLogRecord>> by_partition(partitions);
  if (remaining > 0) {
    if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer.get(), assignment.get());
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("reading topic `", topic, "`"));
    }
    std::vector<bool> done(partitions, false);
    while (remaining > 0) {
      if (absl::Now() > deadline) {
        return absl::UnavailableError(absl::StrCat("topic `", topic, "`: ", remaining,
                                                   " partitions not read to their end within ",
                                                   absl::FormatDuration(timeout)));
      }
      MessageHandle message(rd_kafka_consumer_poll(consumer.get(), 100));
      if (message == nullptr) continue;
      const int p = message->partition;
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (p >= 0 && p < partitions && !done[p] && message->offset >= end[p]) {
          done[p] = true;
          --remaining;
        }
        continue;
      }
      if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        absl::Status status =
            KafkaStatus(message->err, absl::StrCat("reading topic `", topic, "`"));
        if (status.code() == absl::StatusCode::kUnavailable) continue;  // librdkafka reconnects
        return status;
      }
      if (p < 0 || p >= partitions) continue;
      if (message->key != nullptr) {
        TopicLogRecord record;
        record.key.assign(static_cast<const char*>(message->key), message->key_len);
        if (message->payload != nullptr)
          record.value.emplace(static_cast<const char*>(message->payload), message->len);
        by_partition[p].push_back(std::move(record));
      }
      if (!done[p] && message->offset + 1 >= end[p]) {
        done[p] = true;
        --remaining;
      }
    }
  }
  rd_kafka_consumer_close(consumer.get());
  std::vector<TopicLogRecord> out;
  for (auto& records : by_partition) {
    for (auto& record : records) out.push_back(std::move(record));
  }
  return out;
}

}  // namespace sluice::kafka
