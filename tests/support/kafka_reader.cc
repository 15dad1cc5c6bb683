#include "tests/support/kafka_reader.h"

#include <librdkafka/rdkafka.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace sluice::testing {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
using Kafka = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

absl::StatusOr<Kafka> NewConsumer(const std::string& bootstrap) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::pair<const char*, std::string> settings[] = {
      {"bootstrap.servers", bootstrap},
      {"group.id", "sluice-test-reader"},  // needed by rd_kafka_consumer_poll, never committed
      {"enable.auto.commit", "false"},
      {"enable.partition.eof", "true"},
      // What a consumer of exactly-once output uses: records of aborted (or still open)
      // transactions are never seen. librdkafka's default too; said here because tests rely on it.
      {"isolation.level", "read_committed"},
      {"log_level", "3"},
  };
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InternalError(error);
    }
  }
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (consumer == nullptr) return absl::InternalError(error);
  rd_kafka_poll_set_consumer(consumer);
  return Kafka(consumer);
}

}  // namespace

absl::StatusOr<int> PartitionCount(const std::string& bootstrap, const std::string& topic) {
  absl::StatusOr<Kafka> consumer = NewConsumer(bootstrap);
  if (!consumer.ok()) return consumer.status();
  rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer->get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t error = rd_kafka_metadata(consumer->get(), 0, handle, &metadata, 10000);
  rd_kafka_topic_destroy(handle);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) return absl::UnavailableError(rd_kafka_err2str(error));
  int partitions = -1;
  if (metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    partitions = metadata->topics[0].partition_cnt;
  }
  rd_kafka_metadata_destroy(metadata);
  if (partitions < 0) return absl::NotFoundError(absl::StrCat("topic ", topic, " does not exist"));
  return partitions;
}

absl::StatusOr<std::vector<std::string>> ListTopics(const std::string& bootstrap) {
  absl::StatusOr<Kafka> consumer = NewConsumer(bootstrap);
  if (!consumer.ok()) return consumer.status();
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t error = rd_kafka_metadata(consumer->get(), 1, nullptr, &metadata, 10000);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) return absl::UnavailableError(rd_kafka_err2str(error));
  std::vector<std::string> topics;
  for (int t = 0; t < metadata->topic_cnt; ++t) topics.emplace_back(metadata->topics[t].topic);
  rd_kafka_metadata_destroy(metadata);
  return topics;
}

absl::StatusOr<std::vector<ConsumedRecord>> ReadWholeTopic(const std::string& bootstrap,
                                                           const std::string& topic,
                                                           absl::Duration timeout) {
  absl::StatusOr<int> partitions = PartitionCount(bootstrap, topic);
  if (!partitions.ok()) return partitions.status();
  absl::StatusOr<Kafka> consumer = NewConsumer(bootstrap);
  if (!consumer.ok()) return consumer.status();

  std::unique_ptr<rd_kafka_topic_partition_list_t, decltype(&rd_kafka_topic_partition_list_destroy)>
      assignment(rd_kafka_topic_partition_list_new(*partitions), &rd_kafka_topic_partition_list_destroy);
  std::vector<int64_t> high(*partitions, 0);
  // An empty partition is read to its end before anything is read.
  std::vector<bool> done(*partitions, true);
  int remaining = 0;
  for (int p = 0; p < *partitions; ++p) {
    int64_t low = 0;
    rd_kafka_resp_err_t error =
        rd_kafka_query_watermark_offsets(consumer->get(), topic.c_str(), p, &low, &high[p], 10000);
    if (error != RD_KAFKA_RESP_ERR_NO_ERROR) return absl::UnavailableError(rd_kafka_err2str(error));
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset = low;
    if (high[p] > low) {
      done[p] = false;
      ++remaining;
    }
  }
  std::vector<std::vector<ConsumedRecord>> by_partition(*partitions);
  if (remaining == 0) return std::vector<ConsumedRecord>();
  if (rd_kafka_assign(consumer->get(), assignment.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError("assign failed");
  }
  const absl::Time deadline = absl::Now() + timeout;
  while (remaining > 0) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("reading ", topic, " did not reach its end"));
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer->get(), 200);
    if (message == nullptr) continue;
    const int p = message->partition;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && p >= 0 && p < *partitions &&
        !done[p] && message->offset >= high[p]) {
      // A partition that ends in transaction markers or aborted records (never delivered under
      // read_committed) is finished by its EOF at the high watermark.
      done[p] = true;
      --remaining;
    }
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR && p >= 0 && p < *partitions && !done[p]) {
      ConsumedRecord record;
      record.partition = p;
      record.offset = message->offset;
      if (message->key != nullptr) {
        record.key.emplace(static_cast<const char*>(message->key), message->key_len);
      }
      if (message->payload != nullptr) {
        record.value.emplace(static_cast<const char*>(message->payload), message->len);
      }
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* value = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                           RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i) {
          record.headers.emplace_back(name, value == nullptr ? std::string()
                                                             : std::string(static_cast<const char*>(value), size));
        }
      }
      by_partition[p].push_back(std::move(record));
      if (message->offset + 1 >= high[p]) {
        done[p] = true;
        --remaining;
      }
    }
    rd_kafka_message_destroy(message);
  }
  std::vector<ConsumedRecord> all;
  for (auto& records : by_partition) {
    for (auto& record : records) all.push_back(std::move(record));
  }
  return all;
}

}  // namespace sluice::testing
