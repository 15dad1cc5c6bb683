#include "runtime/kafka/offset_store.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::kafka {
namespace {

int Millis(absl::Duration d) { return static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(d))); }

}  // namespace

// Shared by the records of one write and their delivery reports; a report that arrives after the
// write gave up (timeout) still finds it alive.
struct OffsetStore::Pending {
  absl::Mutex mu;
  int remaining ABSL_GUARDED_BY(mu) = 0;
  absl::Status first_error ABSL_GUARDED_BY(mu);
};

absl::StatusOr<std::unique_ptr<OffsetStore>> OffsetStore::Create(const OffsetStoreOptions& options) {
  if (options.topic.empty()) return absl::InvalidArgumentError("offset store: no topic (offset.storage.topic)");
  // Same guarantees as the data producer, and the same partitioner Kafka Connect's producer uses
  // for this topic, so a key always lands in the partition Kafka Connect reads it from.
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options.bootstrap_servers},
                                               {"client.id", "sluice-offsets-writer"},
                                               {"enable.idempotence", "true"},
                                               {"acks", "all"},
                                               {"partitioner", "murmur2_random"}},
                                              options.producer_overrides, "producer.");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &OffsetStore::OnDelivery);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) return absl::InvalidArgumentError(absl::StrCat("offset store: cannot create producer: ", errstr));
  conf->release();
  std::unique_ptr<OffsetStore> store(new OffsetStore(options));
  store->producer_.reset(rk);
  return store;
}

OffsetStore::~OffsetStore() {
  if (producer_ == nullptr) return;
  // Free the bookkeeping of writes that timed out: purge, then serve their reports.
  rd_kafka_flush(producer_.get(), 1000);
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  while (rd_kafka_outq_len(producer_.get()) > 0) rd_kafka_poll(producer_.get(), 10);
}

void OffsetStore::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  std::unique_ptr<std::shared_ptr<Pending>> pending(static_cast<std::shared_ptr<Pending>*>(message->_private));
  if (pending == nullptr) return;
  absl::MutexLock lock(&(*pending)->mu);
  --(*pending)->remaining;
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && (*pending)->first_error.ok()) {
    (*pending)->first_error = KafkaStatus(message->err, "writing to the offsets topic");
  }
}

absl::Status OffsetStore::Produce(const std::vector<std::pair<std::string, std::optional<std::string>>>& records,
                                  absl::Duration timeout) {
  auto pending = std::make_shared<Pending>();
  for (const auto& [key, value] : records) {
    {
      absl::MutexLock lock(&pending->mu);
      ++pending->remaining;
    }
    auto* opaque = new std::shared_ptr<Pending>(pending);
    // The RD_KAFKA_V_* macros cast their arguments unparenthesised: compute them first.
    void* value_data = value ? const_cast<char*>(value->data()) : nullptr;
    const size_t value_size = value ? value->size() : 0;
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(options_.topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(value_data, value_size),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      delete opaque;
      return KafkaStatus(err, absl::StrCat("writing to the offsets topic `", options_.topic, "`"));
    }
  }
  rd_kafka_flush(producer_.get(), Millis(timeout));
  absl::MutexLock lock(&pending->mu);
  if (!pending->first_error.ok()) return pending->first_error;
  if (pending->remaining > 0) {
    return absl::DeadlineExceededError(absl::StrCat("offsets topic `", options_.topic, "`: ", pending->remaining,
                                                    " offset records unacknowledged after ",
                                                    absl::FormatDuration(timeout)));
  }
  return absl::OkStatus();
}

absl::Status OffsetStore::Write(absl::string_view connector, absl::Span<const offsets::CommittableOffset> offsets,
                                absl::Duration timeout) {
  std::vector<std::pair<std::string, std::optional<std::string>>> records;
  records.reserve(offsets.size());
  for (const offsets::CommittableOffset& o : offsets) {
    absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(connector, o.partition);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> value = offsets::EncodeOffsetValue(o.offset);
    if (!value.ok()) return value.status();
    records.emplace_back(*std::move(key), *std::move(value));
  }
  absl::MutexLock write_lock(&write_mu_);
  if (absl::Status s = Produce(records, timeout); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  for (auto& [key, value] : records) data_[key] = *value;
  return absl::OkStatus();
}

absl::Status OffsetStore::Reset(absl::string_view connector, const offsets::SourcePartition& partition,
                                absl::Duration timeout) {
  absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(connector, partition);
  if (!key.ok()) return key.status();
  absl::MutexLock write_lock(&write_mu_);
  if (absl::Status s = Produce({{*key, std::nullopt}}, timeout); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  data_.erase(*key);
  return absl::OkStatus();
}

std::optional<offsets::SourceOffset> OffsetStore::Get(absl::string_view connector,
                                                      const offsets::SourcePartition& partition) const {
  absl::StatusOr<std::string> key = offsets::EncodeOffsetKey(connector, partition);
  if (!key.ok()) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto it = data_.find(*key);
  if (it == data_.end()) return std::nullopt;
  absl::StatusOr<offsets::SourceOffset> offset = offsets::DecodeOffsetValue(it->second);
  if (!offset.ok()) return std::nullopt;  // ReadToEnd only keeps decodable values
  return *std::move(offset);
}

std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> OffsetStore::OffsetsFor(
    absl::string_view connector) const {
  std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [key, value] : data_) {
    absl::StatusOr<offsets::DecodedOffsetKey> decoded = offsets::DecodeOffsetKey(key);
    if (!decoded.ok() || decoded->connector != connector) continue;
    absl::StatusOr<offsets::SourceOffset> offset = offsets::DecodeOffsetValue(value);
    if (offset.ok()) out.emplace_back(std::move(decoded->partition), *std::move(offset));
  }
  return out;
}

int64_t OffsetStore::skipped_records() const {
  absl::MutexLock lock(&mu_);
  return skipped_;
}

absl::Status OffsetStore::ReadToEnd(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string& topic = options_.topic;
  // assign() without subscribe(): no group membership, no commits; group.id is set only because
  // librdkafka's consumer poll requires one.
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", options_.bootstrap_servers},
                                               {"client.id", "sluice-offsets-reader"},
                                               {"group.id", "sluice-offsets-reader"},
                                               {"enable.auto.commit", "false"},
                                               {"enable.auto.offset.store", "false"},
                                               {"enable.partition.eof", "true"},
                                               {"auto.offset.reset", "earliest"},
                                               {"isolation.level", "read_committed"}},
                                              options_.consumer_overrides, "consumer.");
  if (!conf.ok()) return conf.status();
  char errstr[512];
  rd_kafka_t* raw = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof errstr);
  if (raw == nullptr) return absl::InvalidArgumentError(absl::StrCat("offset store: cannot create consumer: ", errstr));
  conf->release();
  KafkaHandle consumer(raw);
  rd_kafka_poll_set_consumer(consumer.get());

  // Partitions and their end offsets at the start of the read.
  std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> rkt(
      rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr), &rd_kafka_topic_destroy);
  const rd_kafka_metadata_t* raw_metadata = nullptr;
  if (rd_kafka_resp_err_t err =
          rd_kafka_metadata(consumer.get(), 0, rkt.get(), &raw_metadata, Millis(deadline - absl::Now()));
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, absl::StrCat("metadata of the offsets topic `", topic, "`"));
  }
  MetadataHandle metadata(raw_metadata);
  if (metadata->topic_cnt != 1 || metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(metadata->topic_cnt == 1 ? metadata->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
                       absl::StrCat("offsets topic `", topic, "`"));
  }
  const int partitions = metadata->topics[0].partition_cnt;
  std::vector<int64_t> end(partitions, 0);
  int remaining = 0;
  TopicPartitionListHandle assignment(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0;
    int64_t high = 0;
    if (rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(consumer.get(), topic.c_str(), p, &low, &high,
                                                                   Millis(deadline - absl::Now()));
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("end offset of `", topic, "` partition ", p));
    }
    end[p] = high;
    if (high > low) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
      ++remaining;
    }
  }

  absl::flat_hash_map<std::string, std::string> data;
  int64_t skipped = 0;
  if (remaining > 0) {
    if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer.get(), assignment.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(err, absl::StrCat("reading the offsets topic `", topic, "`"));
    }
    std::vector<bool> done(partitions, false);
    while (remaining > 0) {
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat("offsets topic `", topic, "`: ", remaining,
                                                        " partitions not read to their end within ",
                                                        absl::FormatDuration(timeout)));
      }
      MessageHandle message(rd_kafka_consumer_poll(consumer.get(), 100));
      if (message == nullptr) continue;
      const int p = message->partition;
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // EOF is also how a partition ending in transaction markers (never delivered) is finished.
        if (p >= 0 && p < partitions && !done[p] && message->offset >= end[p]) {
          done[p] = true;
          --remaining;
        }
        continue;
      }
      if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        absl::Status status = KafkaStatus(message->err, absl::StrCat("reading the offsets topic `", topic, "`"));
        if (status.code() == absl::StatusCode::kUnavailable) continue;  // librdkafka reconnects
        return status;
      }
      if (message->key == nullptr) {
        ++skipped;
      } else {
        std::string key(static_cast<const char*>(message->key), message->key_len);
        if (!offsets::DecodeOffsetKey(key).ok()) {
          ++skipped;
        } else if (message->payload == nullptr) {
          data.erase(key);
        } else {
          std::string value(static_cast<const char*>(message->payload), message->len);
          if (offsets::DecodeOffsetValue(value).ok()) {
            data[std::move(key)] = std::move(value);
          } else {
            ++skipped;
          }
        }
      }
      if (p >= 0 && p < partitions && !done[p] && message->offset + 1 >= end[p]) {
        done[p] = true;
        --remaining;
      }
    }
  }
  rd_kafka_consumer_close(consumer.get());
  absl::MutexLock lock(&mu_);
  data_ = std::move(data);
  skipped_ = skipped;
  return absl::OkStatus();
}

}  // namespace sluice::kafka
