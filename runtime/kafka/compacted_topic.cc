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

absl::StatusOr<std::unique_ptr<TopicReader>> CompactedTopic::OpenReader(absl::Duration timeout,
                                                                        bool kept) const {
  return TopicReader::Open(
      TopicReaderOptions{options_.bootstrap_servers, options_.topic, options_.consumer_overrides,
                         options_.client_id + "-reader", kept},
      timeout);
}

absl::Status CompactedTopic::ReadToEnd(const Visitor& visit, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::unique_ptr<TopicReader>> reader = OpenReader(timeout, /*kept=*/false);
  if (!reader.ok()) return reader.status();
  return (*reader)->ReadToEnd(visit, deadline - absl::Now());
}

}  // namespace sluice::kafka
