#include "runtime/kafka/topic_reader.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/errors.h"

namespace sluice::kafka {
namespace {

int Millis(absl::Duration d) {
  return static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(d)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TopicReader>> TopicReader::Open(const TopicReaderOptions& options,
                                                               absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string& topic = options.topic;
  // assign() without subscribe(): no group membership, no commits; group.id is set only because
  // librdkafka's consumer poll requires one. A reader read once asks for a fetch that finds
  // nothing new (a partition read to its end by EOF, e.g. one ending in transaction markers) to
  // be answered after 10 ms; one kept fetches in the background between reads, so it keeps the
  // 500 ms default (two requests a second while idle, and a new record is answered at once).
  auto make_consumer = [&]() -> absl::StatusOr<KafkaHandle> {
    absl::StatusOr<ConfHandle> conf =
        BuildConf({{"bootstrap.servers", options.bootstrap_servers},
                   {"client.id", options.client_id},
                   {"group.id", options.client_id},
                   {"enable.auto.commit", "false"},
                   {"enable.auto.offset.store", "false"},
                   {"enable.partition.eof", "true"},
                   {"auto.offset.reset", "earliest"},
                   {"isolation.level", "read_committed"},
                   {"fetch.wait.max.ms", options.kept ? "500" : "10"}},
                  options.consumer_overrides, "consumer.");
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
    return consumer;
  };
  absl::StatusOr<KafkaHandle> made = make_consumer();
  if (!made.ok()) return made.status();
  KafkaHandle consumer = *std::move(made);
  // A kept reader's consumer always has a fetch waiting at the broker (up to fetch.wait.max.ms),
  // and a broker answers one connection's requests in order: the end offsets asked for on that
  // connection waited behind it (~250 ms a read). They are asked for by a client of their own,
  // which never fetches.
  KafkaHandle lister;
  if (options.kept) {
    absl::StatusOr<KafkaHandle> made_lister = make_consumer();
    if (!made_lister.ok()) return made_lister.status();
    lister = *std::move(made_lister);
  }

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
  std::unique_ptr<TopicReader> reader(new TopicReader(topic, std::move(consumer), std::move(lister),
                                                      metadata->topics[0].partition_cnt));
  if (reader->partitions_ == 0) return reader;
  for (int p = 0; p < reader->partitions_; ++p) {
    rd_kafka_topic_partition_list_add(reader->all_.get(), topic.c_str(), p)->offset =
        RD_KAFKA_OFFSET_BEGINNING;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(reader->consumer_.get(), reader->all_.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, absl::StrCat("reading topic `", topic, "`"));
  }
  return reader;
}

TopicReader::TopicReader(std::string topic, KafkaHandle consumer, KafkaHandle lister,
                         int partitions)
    : topic_(std::move(topic)),
      consumer_(std::move(consumer)),
      lister_(std::move(lister)),
      partitions_(partitions),
      all_(rd_kafka_topic_partition_list_new(std::max(partitions, 1))),
      next_(partitions, 0) {}

TopicReader::~TopicReader() {
  // No group was joined and nothing committed, so a consumer close has nothing to do, yet with
  // the broker gone it can wait on the group coordinator: a kept reader lives through broker
  // outages and is destroyed at shutdown, which must not hang on it.
  for (KafkaHandle* handle : {&consumer_, &lister_}) {
    if (*handle != nullptr)
      rd_kafka_destroy_flags(handle->release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
  }
}

absl::Status TopicReader::ReadToEnd(const TopicLog::Visitor& visit, absl::Duration timeout) {
  if (partitions_ == 0) return absl::OkStatus();
  const absl::Time deadline = absl::Now() + timeout;
  // Every partition's end offset in one ListOffsets request per broker (timestamp -1 means
  // "latest"), not two requests per partition one after the other: the offsets topic has 25
  // partitions, and this read is on the path of every worker and task start and every commit.
  TopicPartitionListHandle ends(rd_kafka_topic_partition_list_new(partitions_));
  for (int p = 0; p < partitions_; ++p) {
    rd_kafka_topic_partition_list_add(ends.get(), topic_.c_str(), p)->offset = -1;
  }
  if (rd_kafka_resp_err_t err =
          rd_kafka_offsets_for_times(lister_ != nullptr ? lister_.get() : consumer_.get(),
                                     ends.get(), Millis(deadline - absl::Now()));
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaStatus(err, absl::StrCat("end offsets of topic `", topic_, "`"));
  }
  std::vector<int64_t> end(partitions_, 0);
  for (int i = 0; i < ends->cnt; ++i) {
    const rd_kafka_topic_partition_t& tp = ends->elems[i];
    if (tp.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return KafkaStatus(
          tp.err, absl::StrCat("end offset of topic `", topic_, "` partition ", tp.partition));
    }
    if (tp.partition >= 0 && tp.partition < partitions_) end[tp.partition] = tp.offset;
  }
  // Only the partitions with something new are waited for; a kept reader's consumer has most
  // likely fetched it already.
  TopicPartitionListHandle behind(rd_kafka_topic_partition_list_new(partitions_));
  for (int p = 0; p < partitions_; ++p) {
    if (end[p] > next_[p]) rd_kafka_topic_partition_list_add(behind.get(), topic_.c_str(), p);
  }
  int remaining = behind->cnt;
  if (remaining == 0) return absl::OkStatus();

  std::vector<bool> done(partitions_, true);
  for (int i = 0; i < behind->cnt; ++i) done[behind->elems[i].partition] = false;
  auto finish = [&](int p) {
    if (!done[p] && next_[p] >= end[p]) {
      done[p] = true;
      --remaining;
    }
  };
  while (remaining > 0) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat("topic `", topic_, "`: ", remaining,
                                                      " partitions not read to their end within ",
                                                      absl::FormatDuration(timeout)));
    }
    MessageHandle message(rd_kafka_consumer_poll(consumer_.get(), 100));
    if (message == nullptr) continue;
    const int p = message->partition;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // EOF is also how a partition ending in transaction markers (never delivered) is finished,
      // and one whose records were all deleted.
      if (p >= 0 && p < partitions_) {
        next_[p] = std::max(next_[p], message->offset);
        finish(p);
      }
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      absl::Status status = KafkaStatus(message->err, absl::StrCat("reading topic `", topic_, "`"));
      if (status.code() == absl::StatusCode::kUnavailable) continue;  // librdkafka reconnects
      return status;
    }
    if (p < 0 || p >= partitions_) continue;
    // A record seen before is not visited twice.
    if (message->offset < next_[p]) continue;
    std::optional<absl::string_view> key;
    std::optional<absl::string_view> value;
    if (message->key != nullptr)
      key.emplace(static_cast<const char*>(message->key), message->key_len);
    if (message->payload != nullptr)
      value.emplace(static_cast<const char*>(message->payload), message->len);
    visit(key, value);
    next_[p] = message->offset + 1;
    finish(p);
  }
  return absl::OkStatus();
}

}  // namespace sluice::kafka
