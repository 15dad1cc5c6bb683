#include "runtime/cluster/topic_tail.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"

namespace sluice::cluster {

absl::StatusOr<std::unique_ptr<TopicTail>> TopicTail::Create(
    const std::string& bootstrap_servers, const std::string& topic,
    const std::map<std::string, std::string>& consumer_overrides, const std::string& client_id) {
  absl::StatusOr<kafka::ConfHandle> conf =
      kafka::BuildConf({{"bootstrap.servers", bootstrap_servers},
                        {"client.id", client_id},
                        {"group.id", client_id},  // librdkafka's poll wants one; never joined
                        {"enable.auto.commit", "false"},
                        {"enable.auto.offset.store", "false"},
                        {"enable.partition.eof", "false"},
                        {"isolation.level", "read_committed"},
                        {"fetch.wait.max.ms", "100"}},
                       consumer_overrides, "consumer.");
  if (!conf.ok()) return conf.status();
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) return absl::InvalidArgumentError(absl::StrCat("tail of topic `", topic, "`: ", errstr));
  conf->release();
  std::unique_ptr<TopicTail> tail(new TopicTail(topic));
  tail->consumer_.reset(rk);
  rd_kafka_poll_set_consumer(rk);
  tail->queue_.reset(rd_kafka_queue_get_consumer(rk));
  const rd_kafka_metadata_t* raw = nullptr;
  std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> rkt(
      rd_kafka_topic_new(rk, topic.c_str(), nullptr), &rd_kafka_topic_destroy);
  if (rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt.get(), &raw, 10000);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return kafka::KafkaStatus(err, absl::StrCat("metadata of topic `", topic, "`"));
  }
  kafka::MetadataHandle metadata(raw);
  if (metadata->topic_cnt != 1 || metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat("topic `", topic, "` has no metadata yet"));
  }
  kafka::TopicPartitionListHandle parts(
      rd_kafka_topic_partition_list_new(metadata->topics[0].partition_cnt));
  for (int p = 0; p < metadata->topics[0].partition_cnt; ++p) {
    rd_kafka_topic_partition_list_add(parts.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
    tail->next_offset_[p] = 0;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(rk, parts.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return kafka::KafkaStatus(err, absl::StrCat("reading topic `", topic, "`"));
  }
  return tail;
}

TopicTail::~TopicTail() {
  if (queue_ != nullptr) rd_kafka_queue_cb_event_enable(queue_.get(), nullptr, nullptr);
}

void TopicTail::OnArrival(std::function<void()> arrived) {
  {
    absl::MutexLock lock(&arrived_mu_);
    arrived_ = std::move(arrived);
  }
  rd_kafka_queue_cb_event_enable(queue_.get(), &TopicTail::Arrived, this);
}

void TopicTail::Arrived(rd_kafka_t*, void* opaque) {
  TopicTail* tail = static_cast<TopicTail*>(opaque);
  absl::MutexLock lock(&tail->arrived_mu_);
  if (tail->arrived_) tail->arrived_();
}

bool TopicTail::PollOnce(int timeout_ms, std::vector<kafka::KeyedRecord>& out) {
  kafka::MessageHandle msg(rd_kafka_consumer_poll(consumer_.get(), timeout_ms));
  if (msg == nullptr) return false;
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) return true;
  next_offset_[msg->partition] = msg->offset + 1;
  kafka::KeyedRecord record;
  if (msg->key != nullptr) record.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload != nullptr) {
    record.value.emplace(static_cast<const char*>(msg->payload), msg->len);
  }
  out.push_back(std::move(record));
  return true;
}

void TopicTail::AdvanceToPosition() {
  kafka::TopicPartitionListHandle positions(
      rd_kafka_topic_partition_list_new(static_cast<int>(next_offset_.size())));
  for (const auto& [partition, next] : next_offset_) {
    rd_kafka_topic_partition_list_add(positions.get(), topic_.c_str(), partition);
  }
  if (rd_kafka_position(consumer_.get(), positions.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  for (int i = 0; i < positions->cnt; ++i) {
    const rd_kafka_topic_partition_t& p = positions->elems[i];
    if (p.err == RD_KAFKA_RESP_ERR_NO_ERROR && p.offset >= 0 &&
        p.offset > next_offset_[p.partition]) {
      next_offset_[p.partition] = p.offset;
    }
  }
}

std::vector<kafka::KeyedRecord> TopicTail::Poll(absl::Duration wait) {
  std::vector<kafka::KeyedRecord> out = std::exchange(unreturned_, {});
  if (!out.empty()) wait = absl::ZeroDuration();
  if (!PollOnce(static_cast<int>(absl::ToInt64Milliseconds(wait)), out)) return out;
  while (PollOnce(0, out)) {
  }
  return out;
}

absl::StatusOr<std::vector<kafka::KeyedRecord>> TopicTail::CatchUp(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  // Records consumed are never read again: a failure keeps them for the next call.
  std::vector<kafka::KeyedRecord> out = std::exchange(unreturned_, {});
  auto fail = [&](absl::Status status) {
    unreturned_ = std::move(out);
    return status;
  };
  std::map<int32_t, int64_t> end;
  for (const auto& [partition, next] : next_offset_) {
    int64_t low = 0, high = 0;
    const int ms = static_cast<int>(std::max<int64_t>(
        1, absl::ToInt64Milliseconds(deadline - absl::Now())));
    if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
            consumer_.get(), topic_.c_str(), partition, &low, &high, ms);
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return fail(kafka::KafkaStatus(err, absl::StrCat("end offset of topic `", topic_, "`")));
    }
    end[partition] = high;
  }
  auto reached = [&] {
    for (const auto& [partition, high] : end) {
      if (next_offset_[partition] < high) return false;
    }
    return true;
  };
  while (!reached()) {
    if (absl::Now() >= deadline) {
      return fail(absl::DeadlineExceededError(
          absl::StrCat("reading topic `", topic_, "` to its end took longer than ",
                       absl::FormatDuration(timeout))));
    }
    PollOnce(100, out);
    // Past the control records of transactions (the leader's writes), which no poll returns:
    // the consumer's position moves over them, and over an aborted transaction's records.
    AdvanceToPosition();
  }
  while (PollOnce(0, out)) {
  }
  return out;
}

}  // namespace sluice::cluster
