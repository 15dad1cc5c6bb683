// The producer ceiling for scripts/bench: how fast librdkafka alone puts a workload's records into
// the broker, with nothing else in the process. A worker that produces through librdkafka can go
// no faster on the same broker, producer settings and machine.
//
//   producer_ceiling --bootstrap 127.0.0.1:29192 --from TOPIC --to TOPIC [-X key=value]...
//                    [--transaction-records N --offsets-topic TOPIC [--flush-before-offsets]
//                     [--begin-delay-us N]] [--observe NAME=PID]...
//
// Reads every record of --from (the topic a system under test just wrote: the same keys and value
// bytes) into memory first, untimed, in the order they were produced (CreateTime, then partition
// and offset), then produces them all to --to and waits for every delivery report, timed. Each -X
// is a librdkafka producer setting (scripts/bench passes the systems' own: acks, idempotence,
// linger, compression, partitioner); records are produced without a partition, so the configured
// partitioner places each key as the system's producer did, and from the bytes read, not copied
// (RD_KAFKA_MSG_F_COPY off), so the figure is librdkafka's and the broker's alone.
//
// With --transaction-records N, the exactly-once ceiling: a transactional producer puts the records
// in transactions of N, each ending as a worker's does (docs/worker.md, "Exactly-once"): one
// offsets record (about the size of the MySQL connector's) to --offsets-topic, then the commit
// (which waits for the records), as the worker's commit does; --flush-before-offsets also waits for
// the transaction's records to be acknowledged before the offsets record, as the worker's commit
// did until 2026-12-07; --begin-delay-us waits that long after a commit before the next
// transaction's first record (whose AddPartitionsToTxn the broker refuses with
// CONCURRENT_TRANSACTIONS while it still writes the last one's markers).
//
// Prints one JSON object: records, bytes (keys + values), transactions, seconds,
// records_per_second, mb_per_second, cpu_seconds (this process over the timed part, librdkafka's
// threads included) and cpu_ns_per_record; over the same timed part, observed_cpu_seconds (each
// --observe process's CPU time, e.g. the broker's JVM: what the records cost it), and the whole
// machine's machine_busy_cpu_seconds and machine_cpu_seconds (process_usage.h, MachineWindow).
#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/bench/process_usage.h"

namespace {

using sluice::bench::CpuSeconds;
using sluice::bench::MachineWindow;

int Fail(const std::string& message) {
  std::fprintf(stderr, "producer_ceiling: %s\n", message.c_str());
  return 1;
}

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Kafka = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
struct TopicDeleter {
  void operator()(rd_kafka_topic_t* t) const { rd_kafka_topic_destroy(t); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};

// One record as read: it owns its message (key and value stay where librdkafka put them).
struct Record {
  int64_t timestamp_ms;
  int32_t partition;
  int64_t offset;
  Message message;
};

// Makes a client of `type` from `settings` (key, value pairs), or says why not.
Kafka MakeClient(rd_kafka_type_t type,
                 const std::vector<std::pair<std::string, std::string>>& settings,
                 rd_kafka_conf_t* conf, std::string& error) {
  char errstr[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      error = absl::StrCat(key, "=", value, ": ", errstr);
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
  if (rk == nullptr) {
    error = errstr;
    rd_kafka_conf_destroy(conf);
  }
  return Kafka(rk);
}

// Every record of `topic`, from each partition's low to its high watermark, in produce order.
bool ReadTopic(const std::string& bootstrap, const std::string& topic, std::vector<Record>& records,
               std::string& error) {
  Kafka consumer = MakeClient(RD_KAFKA_CONSUMER,
                              {{"bootstrap.servers", bootstrap},
                               {"group.id", "sluice-producer-ceiling"},
                               {"enable.auto.commit", "false"},
                               {"enable.partition.eof", "true"}},
                              rd_kafka_conf_new(), error);
  if (consumer == nullptr) return false;
  std::unique_ptr<rd_kafka_topic_t, TopicDeleter> rkt(
      rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr));
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(consumer.get(), 0, rkt.get(), &metadata, 10000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || metadata->topic_cnt != 1 ||
      metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = absl::StrCat("metadata of ", topic, ": ", rd_kafka_err2str(err));
    if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
    return false;
  }
  std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> assignment(
      rd_kafka_topic_partition_list_new(metadata->topics[0].partition_cnt));
  int open_partitions = 0;
  for (int i = 0; i < metadata->topics[0].partition_cnt; ++i) {
    const int32_t partition = metadata->topics[0].partitions[i].id;
    int64_t low = 0, high = 0;
    err = rd_kafka_query_watermark_offsets(consumer.get(), topic.c_str(), partition, &low, &high,
                                           10000);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error = absl::StrCat("watermarks of ", topic, "/", partition, ": ", rd_kafka_err2str(err));
      rd_kafka_metadata_destroy(metadata);
      return false;
    }
    if (high > low) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), partition)->offset = low;
      ++open_partitions;
    }
  }
  rd_kafka_metadata_destroy(metadata);
  if ((err = rd_kafka_assign(consumer.get(), assignment.get())) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    error = absl::StrCat("assign: ", rd_kafka_err2str(err));
    return false;
  }
  while (open_partitions > 0) {
    Message message(rd_kafka_consumer_poll(consumer.get(), 1000));
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      --open_partitions;
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      error = absl::StrCat("reading ", topic, ": ", rd_kafka_message_errstr(message.get()));
      return false;
    }
    const int64_t timestamp = rd_kafka_message_timestamp(message.get(), nullptr);
    const int32_t partition = message->partition;
    const int64_t offset = message->offset;
    records.push_back(Record{timestamp, partition, offset, std::move(message)});
  }
  rd_kafka_consumer_close(consumer.get());
  // The messages outlive the consumer handle only if it is not destroyed: the caller keeps the
  // records, so the handle is leaked on purpose here (the process ends after the measurement).
  (void)consumer.release();
  std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    if (a.timestamp_ms != b.timestamp_ms) return a.timestamp_ms < b.timestamp_ms;
    if (a.partition != b.partition) return a.partition < b.partition;
    return a.offset < b.offset;
  });
  return true;
}

int TransactionFailed(const char* what, rd_kafka_error_t* error) {
  const std::string message = absl::StrCat(what, ": ", rd_kafka_error_string(error));
  rd_kafka_error_destroy(error);
  return Fail(message);
}

std::atomic<int64_t> delivered{0};
std::atomic<int64_t> failed{0};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (failed.fetch_add(1) == 0) {
      std::fprintf(stderr, "producer_ceiling: delivery failed: %s\n",
                   rd_kafka_err2str(message->err));
    }
  }
  delivered.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

int main(int argc, char** argv) {
  std::string bootstrap, from, to, offsets_topic;
  int64_t transaction_records = 0;
  int64_t begin_delay_us = 0;
  bool flush_before_offsets = false;
  std::vector<std::pair<std::string, std::string>> settings;
  MachineWindow machine;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--flush-before-offsets") {
      flush_before_offsets = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) return Fail(flag + " needs a value");
    const std::string value = argv[i + 1];
    if (flag == "--transaction-records") {
      transaction_records = std::stoll(value);
    } else if (flag == "--begin-delay-us") {
      begin_delay_us = std::stoll(value);
    } else if (flag == "--offsets-topic") {
      offsets_topic = value;
    } else if (flag == "--bootstrap") {
      bootstrap = value;
    } else if (flag == "--from") {
      from = value;
    } else if (flag == "--to") {
      to = value;
    } else if (flag == "--observe") {
      if (!machine.Observe(value)) return Fail("--observe needs NAME=PID, not " + value);
    } else if (flag == "-X") {
      const size_t equals = value.find('=');
      if (equals == std::string::npos) return Fail("-X needs key=value, not " + value);
      settings.emplace_back(value.substr(0, equals), value.substr(equals + 1));
    } else {
      return Fail("unknown flag " + flag);
    }
  }
  if (bootstrap.empty() || from.empty() || to.empty() ||
      (transaction_records > 0) != !offsets_topic.empty()) {
    return Fail(
        "usage: producer_ceiling --bootstrap HOST:PORT --from TOPIC --to TOPIC [-X k=v]... "
        "[--transaction-records N --offsets-topic TOPIC [--flush-before-offsets] "
        "[--begin-delay-us N]] [--observe NAME=PID]...");
  }

  std::string error;
  std::vector<Record> records;
  if (!ReadTopic(bootstrap, from, records, error)) return Fail(error);
  if (records.empty()) return Fail(from + " holds no records");

  settings.insert(settings.begin(), {"bootstrap.servers", bootstrap});
  if (transaction_records > 0) {
    settings.emplace_back("transactional.id", absl::StrCat("sluice-producer-ceiling-", getpid()));
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_dr_msg_cb(conf, &OnDelivery);
  Kafka producer = MakeClient(RD_KAFKA_PRODUCER, settings, conf, error);
  if (producer == nullptr) return Fail(error);
  std::unique_ptr<rd_kafka_topic_t, TopicDeleter> rkt(
      rd_kafka_topic_new(producer.get(), to.c_str(), nullptr));
  // The topic's metadata and the idempotent producer's id before the clock starts, as a worker
  // has them before its first record.
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(producer.get(), 0, rkt.get(), &metadata, 10000) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_metadata_destroy(metadata);
  }
  std::unique_ptr<rd_kafka_topic_t, TopicDeleter> offsets_rkt;
  if (transaction_records > 0) {
    offsets_rkt.reset(rd_kafka_topic_new(producer.get(), offsets_topic.c_str(), nullptr));
    if (rd_kafka_error_t* e = rd_kafka_init_transactions(producer.get(), 30000); e != nullptr) {
      return TransactionFailed("init_transactions", e);
    }
  }
  // An offsets record shaped like the MySQL connector's, in Kafka Connect's format.
  const std::string offset_key = R"(["bench",{"server":"bench"}])";
  const std::string offset_value =
      R"({"file":"binlog.000001","pos":123456789,"event":3,"row":1000,"server_id":1,"ts_sec":1765000000})";
  int64_t transactions = 0;

  uint64_t bytes = 0;
  machine.Start();
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  int64_t in_transaction = 0;
  for (const Record& record : records) {
    if (transaction_records > 0 && in_transaction == 0) {
      if (transactions > 0 && begin_delay_us > 0) usleep(static_cast<useconds_t>(begin_delay_us));
      if (rd_kafka_error_t* e = rd_kafka_begin_transaction(producer.get()); e != nullptr) {
        return TransactionFailed("begin_transaction", e);
      }
    }
    const rd_kafka_message_t* m = record.message.get();
    bytes += m->key_len + m->len;
    while (rd_kafka_produce(rkt.get(), RD_KAFKA_PARTITION_UA, 0, m->payload, m->len, m->key,
                            m->key_len, nullptr) != 0) {
      if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        return Fail(absl::StrCat("produce: ", rd_kafka_err2str(rd_kafka_last_error())));
      }
      rd_kafka_poll(producer.get(), 1);  // serve delivery reports until there is room
    }
    rd_kafka_poll(producer.get(), 0);
    if (transaction_records > 0 &&
        (++in_transaction == transaction_records || &record == &records.back())) {
      in_transaction = 0;
      ++transactions;
      if (flush_before_offsets) rd_kafka_flush(producer.get(), 60000);
      if (rd_kafka_produce(offsets_rkt.get(), RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY,
                           const_cast<char*>(offset_value.data()), offset_value.size(),
                           offset_key.data(), offset_key.size(), nullptr) != 0) {
        return Fail(absl::StrCat("produce offsets: ", rd_kafka_err2str(rd_kafka_last_error())));
      }
      if (rd_kafka_error_t* e = rd_kafka_commit_transaction(producer.get(), 60000); e != nullptr) {
        return TransactionFailed("commit_transaction", e);
      }
    }
  }
  const int64_t total = static_cast<int64_t>(records.size());
  while (delivered.load() < total + transactions) rd_kafka_poll(producer.get(), 10);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  machine.Stop();
  if (failed.load() > 0) return Fail(absl::StrCat(failed.load(), " records were not delivered"));
  std::printf(
      "{\"records\":%lld,\"bytes\":%llu,\"transactions\":%lld,\"seconds\":%.6f,"
      "\"records_per_second\":%.1f,\"mb_per_second\":%.1f,\"cpu_seconds\":%.6f,"
      "\"cpu_ns_per_record\":%.1f%s}\n",
      static_cast<long long>(total), static_cast<unsigned long long>(bytes),
      static_cast<long long>(transactions), seconds, total / seconds, bytes / seconds / 1e6,
      cpu_seconds, cpu_seconds * 1e9 / total, machine.Json().c_str());
  return 0;
}
