#include "runtime/kafka/producer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "runtime/common/failpoint.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/client_stats.h"
#include "runtime/kafka/errors.h"

namespace sluice::kafka {
namespace {

// Overrides that would break "committed only when durably in Kafka, in order".
absl::Status CheckGuaranteesKept(const std::map<std::string, std::string>& overrides) {
  for (const auto& [key, raw] : overrides) {
    std::string value = absl::AsciiStrToLower(raw);
    if ((key == "acks" || key == "request.required.acks") && value != "all" && value != "-1") {
      return absl::InvalidArgumentError(
          absl::StrCat("worker config: `producer.", key, "`=", raw,
                       " is refused: Sluice commits a source offset only after acks=all, so the "
                       "broker cannot lose a "
                       "record whose offset was committed; remove the setting"));
    }
    if (key == "enable.idempotence" && value != "true") {
      return absl::InvalidArgumentError(
          absl::StrCat("worker config: `producer.enable.idempotence`=", raw,
                       " is refused: without idempotence a retry can reorder or duplicate records "
                       "of one key; remove the setting"));
    }
  }
  return absl::OkStatus();
}

// Whether the overrides turn compression on (librdkafka's default is none).
bool Compressed(const std::map<std::string, std::string>& overrides) {
  for (const char* key : {"compression.type", "compression.codec"}) {
    auto it = overrides.find(key);
    if (it != overrides.end() && absl::AsciiStrToLower(it->second) != "none") return true;
  }
  return false;
}

// Names a record in an error: its key (the table's primary key, for a change event) and its size,
// so the row can be found at the source; the caller names the topic. The key is shown as text, at
// most 200 bytes of it, other than printable bytes as '?'.
std::string DescribeRecord(const void* key, size_t key_size, int64_t bytes) {
  std::string shown = "null";
  if (key != nullptr) {
    constexpr size_t kMaxShown = 200;
    const char* text = static_cast<const char*>(key);
    shown.assign(text, std::min(key_size, kMaxShown));
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
    }
    if (key_size > kMaxShown) absl::StrAppend(&shown, "... (", key_size, " bytes)");
  }
  return absl::StrCat("the record with key ", shown, " (", bytes,
                      " bytes of key, value and headers)");
}

// What to do about a record over the size limits, appended to the error.
std::string SizeAdvice(rd_kafka_resp_err_t err) {
  if (err != RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) return "";
  return "; records may not exceed the producer's `producer.message.max.bytes` (librdkafka's "
         "default 1000000) nor the topic's `max.message.bytes` (the broker's default 1048588): "
         "raise both, or leave the large column out of the connector's tables";
}

// Calls a transactional API function (`call`, given the milliseconds left) until it succeeds or
// fails other than retriably, or `timeout` passes, as librdkafka's manual allows for retriable
// errors. Returns the last error (the caller owns it), or nullptr.
rd_kafka_error_t* RetryWhileRetriable(absl::Duration timeout,
                                      const std::function<rd_kafka_error_t*(int)>& call) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    rd_kafka_error_t* error = call(static_cast<int>(
        absl::ToInt64Milliseconds(std::max(absl::Milliseconds(1), deadline - absl::Now()))));
    if (error == nullptr || !rd_kafka_error_is_retriable(error) || absl::Now() >= deadline) {
      return error;
    }
    rd_kafka_error_destroy(error);
    absl::SleepFor(absl::Milliseconds(100));
  }
}

// The status of a retriable error that outlasted its time: Unavailable, so the task restarts
// with a new producer (whose init settles the transaction) instead of failing.
absl::Status OutOfTime(absl::Status status) {
  if (status.code() != absl::StatusCode::kDeadlineExceeded) return status;
  return absl::UnavailableError(status.message());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Producer>> Producer::Create(const ProducerOptions& options) {
  if (absl::Status s = CheckGuaranteesKept(options.overrides); !s.ok()) return s;
  ClientSettings defaults = {
      {"bootstrap.servers", options.bootstrap_servers},
      {"client.id", options.client_id},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"partitioner", "murmur2_random"},
      // Let our own byte bound, not librdkafka's message-count queue limit, be what blocks.
      {"queue.buffering.max.messages", "1000000"},
      // Producer figures for /metrics (client_stats.h), every 5 s unless the user says otherwise.
      {"statistics.interval.ms", kStatisticsIntervalMs},
  };
  if (!options.transactional_id.empty()) {
    if (options.overrides.contains("transactional.id")) {
      return absl::InvalidArgumentError(
          "worker config: `producer.transactional.id` is refused with exactly-once: each task's "
          "producer uses `<group.id>-<connector>-<task>`, so a restarted task fences its "
          "predecessor; remove the setting");
    }
    defaults.push_back({"transactional.id", options.transactional_id});
  }
  if (Compressed(options.overrides)) {
    // A compressed batch is read from the records' own memory; copying each record into the
    // request buffer first (librdkafka does below 64 KiB) was 6% of a backlog drain's CPU, perf.
    // Measured on scripts/bench's backlog: 6.3-6.6 instead of 6.7-7.7 CPU s per M events.
    defaults.push_back({"message.copy.max.bytes", "0"});
  }
  absl::StatusOr<ConfHandle> conf = BuildConf(defaults, options.overrides, "producer.");
  if (!conf.ok()) return conf.status();

  std::unique_ptr<Producer> producer(new Producer(options));
  // Delivery reports, errors and statistics as events on the main queue, which the poll thread
  // serves (the class comment says why not as callbacks).
  rd_kafka_conf_set_events(conf->get(),
                           RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS);
  // An OAUTHBEARER token refresh would be an event too, which only librdkafka can serve: it goes
  // to the SASL queue instead, served by librdkafka's background thread (below).
  const bool oauthbearer =
      absl::AsciiStrToUpper(ConfValue(conf->get(), "sasl.mechanisms")) == "OAUTHBEARER";
  if (oauthbearer) rd_kafka_conf_enable_sasl_queue(conf->get(), 1);
  producer->effective_conf_.reset(rd_kafka_conf_dup(conf->get()));

  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof errstr);
  if (rk == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("cannot create the Kafka producer: ", errstr));
  }
  conf->release();  // owned by rk now
  producer->rk_.reset(rk);
  producer->main_queue_.reset(rd_kafka_queue_get_main(rk));
  if (oauthbearer) {
    if (rd_kafka_error_t* error = rd_kafka_sasl_background_callbacks_enable(rk); error != nullptr) {
      ErrorHandle owned(error);
      return absl::InternalError(absl::StrCat("producer: serving OAUTHBEARER token refreshes: ",
                                              rd_kafka_error_string(error)));
    }
  }
  if (const int64_t ms = std::atoll(producer->EffectiveSetting("message.timeout.ms").c_str());
      ms > 0) {
    producer->delivery_timeout_ = absl::Milliseconds(ms);
  }
  producer->poller_ = std::thread([p = producer.get()] { p->PollLoop(); });
  if (!options.transactional_id.empty()) {
    // Retriable errors (the coordinator not yet available, a timeout) are resumed until the
    // deadline; fencing the predecessor happens here.
    if (rd_kafka_error_t* error =
            RetryWhileRetriable(options.transaction_init_timeout,
                                [rk](int ms) { return rd_kafka_init_transactions(rk, ms); });
        error != nullptr) {
      return OutOfTime(producer->TransactionStatus(
          error, absl::StrCat("initialising transactions (transactional.id `",
                              options.transactional_id, "`)")));
    }
  }
  return producer;
}

Producer::Producer(const ProducerOptions& options)
    : max_in_flight_bytes_(options.max_in_flight_bytes),
      max_block_(options.max_block),
      record_overhead_bytes_(options.record_overhead_bytes),
      transactional_id_(options.transactional_id) {}

rd_kafka_topic_t* Producer::TopicLocked(absl::string_view topic) {
  auto it = topics_.find(topic);
  if (it != topics_.end()) return it->second;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_.get(), std::string(topic).c_str(), nullptr);
  if (rkt != nullptr) topics_.emplace(std::string(topic), rkt);
  return rkt;
}

Producer::~Producer() {
  if (rk_ != nullptr) {
    // Undelivered records must still be settled, or their SubmittedRecords would dangle: purge
    // them (their reports say _PURGE_QUEUE / _PURGE_INFLIGHT) and serve the reports.
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  }
  stopping_.store(true);
  if (poller_.joinable()) poller_.join();
  if (rk_ != nullptr) ForgetClientStats(rd_kafka_name(rk_.get()));
  if (rk_ != nullptr) {
    // Purged reports arrive promptly; the bound only guards against a librdkafka that never
    // delivers them (then the records stay pending, which is safe: never committed).
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (outstanding_messages_.load() > 0 && absl::Now() < deadline) ServeEvents(10);
  }
  absl::MutexLock lock(&mu_);
  for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
  topics_.clear();
}

void Producer::PollLoop() {
  while (!stopping_.load(std::memory_order_acquire)) ServeEvents(50);
}

void Producer::ServeEvents(int timeout_ms) {
  for (EventHandle event(rd_kafka_queue_poll(main_queue_.get(), timeout_ms)); event != nullptr;
       event.reset(rd_kafka_queue_poll(main_queue_.get(), 0))) {
    switch (rd_kafka_event_type(event.get())) {
      case RD_KAFKA_EVENT_DR:
        while (const rd_kafka_message_t* message = rd_kafka_event_message_next(event.get())) {
          OnDelivery(message);
        }
        break;
      case RD_KAFKA_EVENT_ERROR:
        // A transient error is retried by librdkafka on its own.
        if (rd_kafka_event_error_is_fatal(event.get())) {
          OnFatalError(rd_kafka_event_error_string(event.get()));
        }
        break;
      case RD_KAFKA_EVENT_STATS:
        UpdateClientStats(rd_kafka_event_stats(event.get()));
        break;
      default:
        break;  // no other kind is enabled
    }
    // Destroying a delivery report's event is what lets librdkafka's message count (and so a
    // flush waiting on it) go down, after OnDelivery's work.
  }
  ReleaseDelivered();
}

int64_t Producer::ChargeFor(const OutgoingRecord& record) const {
  int64_t bytes = record_overhead_bytes_;
  if (record.key) bytes += static_cast<int64_t>(record.key->size());
  if (record.value) bytes += static_cast<int64_t>(record.value->size());
  for (const RecordHeader& h : record.headers) {
    bytes +=
        static_cast<int64_t>(h.name.size()) + (h.value ? static_cast<int64_t>(h.value->size()) : 0);
  }
  return bytes;
}

bool Producer::HasRoomLocked(int64_t bytes) const {
  // An oversized record goes alone rather than never.
  return !fatal_.ok() || in_flight_bytes_ == 0 || in_flight_bytes_ + bytes <= max_in_flight_bytes_;
}

bool Producer::HasRoomToResumeLocked(int64_t bytes) const {
  return !fatal_.ok() || in_flight_bytes_ == 0 ||
         in_flight_bytes_ + bytes <= max_in_flight_bytes_ - max_in_flight_bytes_ / 4;
}

bool Producer::AwaitRoomLocked(int64_t charge, absl::Duration timeout) {
  // Checked first: a timed wait reads the clock, and with room (the usual case) nothing waits.
  if (HasRoomLocked(charge)) return true;
  auto resume = [this, charge]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return HasRoomToResumeLocked(charge); };
  return mu_.AwaitWithTimeout(absl::Condition(&resume), timeout);
}

bool Producer::WaitForRoom(int64_t bytes, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  // As SendBatch would charge it.
  return AwaitRoomLocked(bytes + record_overhead_bytes_, timeout) && fatal_.ok();
}

absl::Status Producer::SendBatch(OutgoingBatch& batch, size_t* handed_over) {
  *handed_over = 0;
  for (size_t i = 0; i < batch.size(); ++i) batch.delivery(i).charge = ChargeFor(batch.record(i));
  while (*handed_over < batch.size()) {
    absl::StatusOr<size_t> end;
    {
      absl::MutexLock lock(&mu_);
      end = ReserveLocked(batch, *handed_over);
    }
    if (!end.ok()) return end.status();
    absl::Status refused;
    *handed_over += Produce(batch, *handed_over, *end, &refused);
    if (!refused.ok()) return refused;
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Producer::ReserveLocked(OutgoingBatch& batch, size_t first) {
  if (!AwaitRoomLocked(batch.delivery(first).charge, max_block_)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "producer: ", in_flight_bytes_, " bytes await delivery (bound ", max_in_flight_bytes_,
        ", `producer.buffer.memory`) and none were acknowledged within ",
        absl::FormatDuration(max_block_), " (`producer.max.block.ms`); is the broker reachable?"));
  }
  if (!fatal_.ok()) return fatal_;
  if (absl::Status refused = RefuseAfterAFailedDeliveryLocked(); !refused.ok()) return refused;
  // The records charged below are counted in the current epoch's slot (which the check above
  // left empty or of this epoch) until their reports.
  int64_t epoch = 0;
  EpochSlot* slot = nullptr;
  if (delivery_timeout_ > absl::ZeroDuration()) {
    epoch = (absl::Now() - epoch_origin_) / (delivery_timeout_ / kExpiryEpochs);
    slot = &epochs_[epoch % kEpochSlots];
    slot->epoch = epoch;
  }
  size_t end = first;
  absl::string_view topic;
  rd_kafka_topic_t* rkt = nullptr;
  for (; end < batch.size(); ++end) {
    OutgoingBatch::Delivery& delivery = batch.delivery(end);
    if (end > first && !HasRoomLocked(delivery.charge)) break;
    const absl::string_view record_topic = batch.record(end).topic;
    if (rkt == nullptr || record_topic != topic) {
      topic = record_topic;
      rkt = TopicLocked(topic);
      if (rkt == nullptr) {
        if (end > first) break;  // produced first; refused when it comes first
        return KafkaStatus(rd_kafka_last_error(), absl::StrCat("producing to topic `", topic, "`"));
      }
    }
    delivery.topic = rkt;
    delivery.sent_epoch = epoch;
    in_flight_bytes_ += delivery.charge;  // released by the delivery report
  }
  if (slot != nullptr) slot->records.fetch_add(static_cast<int64_t>(end - first));
  return end;
}

size_t Producer::Produce(OutgoingBatch& batch, size_t first, size_t end, absl::Status* refused) {
  // Counted before producing: a delivery report may run before producev returns.
  batch.Retain(static_cast<int64_t>(end - first));
  outstanding_messages_.fetch_add(static_cast<int64_t>(end - first));
  size_t n = first;
  for (; n < end; ++n) {
    if (delivery_failed_.load(std::memory_order_acquire)) {
      absl::MutexLock lock(&mu_);
      *refused = RefuseAfterAFailedDeliveryLocked();
      break;
    }
    const OutgoingRecord record = batch.record(n);
    OutgoingBatch::Delivery& delivery = batch.delivery(n);
    HeadersHandle headers;
    if (!record.headers.empty()) {
      headers.reset(rd_kafka_headers_new(record.headers.size()));
      for (const RecordHeader& h : record.headers) {
        rd_kafka_header_add(headers.get(), h.name.data(), static_cast<ssize_t>(h.name.size()),
                            h.value ? h.value->data() : nullptr,
                            h.value ? static_cast<ssize_t>(h.value->size()) : 0);
      }
    }
    // The RD_KAFKA_V_* macros cast their arguments unparenthesised: compute them first.
    const void* key_data = record.key ? record.key->data() : nullptr;
    const size_t key_size = record.key ? record.key->size() : 0;
    // Not copied (no RD_KAFKA_MSG_F_COPY): the value stays in the batch's memory, which this
    // record holds until its delivery report.
    void* value_data = record.value ? const_cast<char*>(record.value->data()) : nullptr;
    const size_t value_size = record.value ? record.value->size() : 0;
    OutgoingBatch::Delivery* opaque = &delivery;
    std::optional<absl::Time> deadline;  // of waiting for librdkafka's queue; set when it is full
    rd_kafka_resp_err_t err;
    while (true) {
      // On success librdkafka owns `headers`; on failure we still do.
      rd_kafka_headers_t* raw_headers = headers.get();
      err = rd_kafka_producev(
          rk_.get(), RD_KAFKA_V_RKT(delivery.topic), RD_KAFKA_V_PARTITION(record.partition),
          RD_KAFKA_V_MSGFLAGS(0), RD_KAFKA_V_KEY(key_data, key_size),
          RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_TIMESTAMP(record.timestamp_ms),
          RD_KAFKA_V_HEADERS(raw_headers), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        (void)headers.release();
        break;
      }
      // librdkafka's own queue is full (its message-count limit): wait for deliveries like we
      // wait for bytes, within the same max_block.
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
      if (!deadline.has_value()) deadline = absl::Now() + max_block_;
      if (absl::Now() >= *deadline) break;
      absl::SleepFor(absl::Milliseconds(5));
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
      *refused = fatal_error();
    } else {
      absl::Status status = KafkaStatus(
          err,
          absl::StrCat("producing ",
                       DescribeRecord(key_data, key_size, delivery.charge - record_overhead_bytes_),
                       " to topic `", record.topic, "`"));
      *refused = absl::Status(status.code(), absl::StrCat(status.message(), SizeAdvice(err)));
    }
    break;
  }
  // Records from n on were charged and retained but not handed over.
  int64_t uncharged = 0;
  for (size_t i = n; i < end; ++i) {
    uncharged += batch.delivery(i).charge;
    UncountInFlight(batch.delivery(i));
    OutgoingBatch::Release(batch.delivery(i));
  }
  if (n < end) {
    outstanding_messages_.fetch_sub(static_cast<int64_t>(end - n));
    Release(uncharged);
  }
  return n - first;
}

absl::Status Producer::RefuseAfterAFailedDeliveryLocked() {
  if (delivery_timeout_ > absl::ZeroDuration() && !delivery_failed_.load()) {
    // A record of an epoch this old was handed over at least delivery.timeout.ms ago (less one
    // epoch): librdkafka expires it now or soon, whatever happens next (a broker that does not
    // answer, a frozen process resumed), and a record sent now could land before it.
    const absl::Duration width = delivery_timeout_ / kExpiryEpochs;
    const int64_t expired_by = (absl::Now() - epoch_origin_) / width - kExpiryEpochs;
    int64_t expiring = 0;
    for (const EpochSlot& slot : epochs_) {
      const int64_t records = slot.records.load();
      if (records > 0 && slot.epoch <= expired_by) expiring += records;
    }
    if (expiring > 0) {
      delivery_failure_ = absl::DeadlineExceededError(absl::StrCat(
          expiring, " records in flight were handed over delivery.timeout.ms (",
          absl::FormatDuration(delivery_timeout_),
          ") ago or longer, less at most a sixteenth of it, and are not acknowledged: they "
          "expire"));
      delivery_failed_.store(true);
    }
  }
  if (delivery_failed_.load(std::memory_order_acquire)) {
    return absl::Status(
        delivery_failure_.code(),
        absl::StrCat(delivery_failure_.message(),
                     "; the producer is refusing later records, which could land before it (a "
                     "restart from the committed offsets keeps the order)"));
  }
  return absl::OkStatus();
}

void Producer::UncountInFlight(const OutgoingBatch::Delivery& delivery) {
  if (delivery_timeout_ > absl::ZeroDuration()) {
    epochs_[delivery.sent_epoch % kEpochSlots].records.fetch_sub(1);
  }
}

void Producer::NoteFailedDelivery(const absl::Status& failed) {
  absl::MutexLock lock(&mu_);
  if (delivery_failed_.load()) return;
  delivery_failure_ = failed;
  delivery_failed_.store(true, std::memory_order_release);
}

absl::Status Producer::Flush(absl::Duration timeout) {
  // Waits for librdkafka's message count, which goes down only after each report's work.
  rd_kafka_resp_err_t err =
      rd_kafka_flush(rk_.get(), static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  ReleaseDelivered();
  if (absl::Status fatal = fatal_error(); !fatal.ok()) return fatal;
  if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    return absl::DeadlineExceededError(absl::StrCat("producer: ", rd_kafka_outq_len(rk_.get()),
                                                    " records still undelivered after ",
                                                    absl::FormatDuration(timeout)));
  }
  return KafkaStatus(err, "producer flush");
}

absl::Status Producer::fatal_error() const {
  absl::MutexLock lock(&mu_);
  return fatal_;
}

int64_t Producer::in_flight_bytes() const {
  absl::MutexLock lock(&mu_);
  return in_flight_bytes_ - delivered_bytes_.load();
}

std::string Producer::EffectiveSetting(const char* key) const {
  return ConfValue(effective_conf_.get(), key);
}

void Producer::Release(int64_t bytes) {
  absl::MutexLock lock(&mu_);
  in_flight_bytes_ -= bytes;
}

void Producer::ReleaseDelivered() {
  if (delivered_bytes_.load(std::memory_order_relaxed) == 0) return;
  absl::MutexLock lock(&mu_);  // waiters for room re-check when it is released
  in_flight_bytes_ -= delivered_bytes_.exchange(0);
}

void Producer::OnDelivery(const rd_kafka_message_t* message) {
  const auto& delivery = *static_cast<const OutgoingBatch::Delivery*>(message->_private);
  const int64_t charge = delivery.charge;
  offsets::SubmittedRecord* tracked = delivery.tracked;
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (tracked != nullptr) tracked->Ack();
  } else {
    const char* topic = message->rkt != nullptr ? rd_kafka_topic_name(message->rkt) : "?";
    // The key is librdkafka's own copy: it is read here, the value is not.
    absl::Status failed = KafkaStatus(
        message->err, absl::StrCat("delivery of ",
                                   DescribeRecord(message->key, message->key_len,
                                                  charge - record_overhead_bytes_),
                                   " to topic `", topic, "` failed"));
    failed = absl::Status(failed.code(), absl::StrCat(failed.message(), SizeAdvice(message->err)));
    // Purged records were taken back by this producer (its destruction, an aborted transaction):
    // nothing was sent past them. Any other failure leaves a gap later records must not pass.
    if (message->err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
        message->err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
      NoteFailedDelivery(failed);
    }
    if (tracked != nullptr) tracked->Fail(std::move(failed));
  }
  UncountInFlight(delivery);
  // The record's bytes (its value, `delivery` itself) may go now: librdkafka reads neither after
  // this report.
  OutgoingBatch::Release(delivery);
  // Taken off the bound by ReleaseDelivered once the events ready are served; before the count
  // below, which the destructor waits on.
  delivered_bytes_.fetch_add(charge);
  outstanding_messages_.fetch_sub(1);
}

namespace {

bool IsFencing(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH ||
         code == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
}

std::string FencedMessage(absl::string_view id, absl::string_view detail) {
  return absl::StrCat("fenced: a newer producer with transactional.id `", id,
                      "` took over (the task was started again elsewhere, or a second worker "
                      "runs it); this one stops without writing (",
                      detail, ")");
}

}  // namespace

absl::Status Producer::TransactionStatus(rd_kafka_error_t* error, absl::string_view what) {
  ErrorHandle owned(error);
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  std::string detail = absl::StrCat(what, ": ", rd_kafka_error_name(error), ": ",
                                    rd_kafka_error_string(error));
  if (rd_kafka_error_is_fatal(error)) {
    char reason[512];
    const rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason);
    if (IsFencing(code) || IsFencing(cause)) {
      return absl::FailedPreconditionError(FencedMessage(transactional_id_, detail));
    }
    return absl::AbortedError(absl::StrCat("fatal transactional producer error: ", detail,
                                           "; the producer must be recreated and the task "
                                           "rewound to its committed offsets"));
  }
  if (IsFencing(code)) return absl::FailedPreconditionError(FencedMessage(transactional_id_, detail));
  if (rd_kafka_error_txn_requires_abort(error)) return absl::AbortedError(detail);
  if (rd_kafka_error_is_retriable(error)) return absl::DeadlineExceededError(detail);
  // Neither retriable nor abortable: the manual says to treat it as fatal.
  return absl::AbortedError(absl::StrCat("transactional producer error: ", detail,
                                         "; the producer must be recreated"));
}

absl::Status Producer::BeginTransaction() {
  if (transactional_id_.empty()) return RecordSender::BeginTransaction();
  if (rd_kafka_error_t* error = rd_kafka_begin_transaction(rk_.get()); error != nullptr) {
    return TransactionStatus(error, "beginning a transaction");
  }
  return absl::OkStatus();
}

absl::Status Producer::CommitTransaction(absl::Duration timeout) {
  if (transactional_id_.empty()) return RecordSender::CommitTransaction(timeout);
  rd_kafka_t* rk = rk_.get();
  rd_kafka_error_t* error = RetryWhileRetriable(
      timeout, [rk](int ms) { return rd_kafka_commit_transaction(rk, ms); });
  ReleaseDelivered();
  if (error == nullptr) {
    // Committed by the coordinator, the caller not told (it never acknowledges the offsets).
    SLUICE_FAILPOINT("transaction.inside_commit");
    return absl::OkStatus();
  }
  const bool abortable = rd_kafka_error_txn_requires_abort(error);
  absl::Status status = TransactionStatus(error, "committing the transaction");
  if (!abortable) return OutOfTime(std::move(status));
  if (absl::Status aborted = AbortTransaction(std::max(absl::Seconds(10), timeout));
      !aborted.ok()) {
    return aborted;  // fatal or fenced outranks the abortable error
  }
  return absl::AbortedError(absl::StrCat(
      status.message(), "; the transaction was aborted: rewinding to the committed offsets"));
}

absl::Status Producer::AbortTransaction(absl::Duration timeout) {
  if (transactional_id_.empty()) return RecordSender::AbortTransaction(timeout);
  rd_kafka_t* rk = rk_.get();
  rd_kafka_error_t* error = RetryWhileRetriable(
      timeout, [rk](int ms) { return rd_kafka_abort_transaction(rk, ms); });
  ReleaseDelivered();
  if (error == nullptr) return absl::OkStatus();
  return OutOfTime(TransactionStatus(error, "aborting the transaction"));
}

void Producer::InjectFatalErrorForTesting(rd_kafka_resp_err_t cause, const char* reason) {
  rd_kafka_test_fatal_error(rk_.get(), cause, reason);
}

void Producer::OnFatalError(const char* reason) {
  char fatal_reason[512];
  rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk_.get(), fatal_reason, sizeof fatal_reason);
  absl::MutexLock lock(&mu_);
  if (fatal_.ok() && IsFencing(cause)) {
    // Not a reason to restart: the task that fenced this one runs on.
    fatal_ = absl::FailedPreconditionError(FencedMessage(
        transactional_id_, cause != RD_KAFKA_RESP_ERR_NO_ERROR ? fatal_reason : reason));
  }
  if (fatal_.ok()) {
    // Aborted: retry at a higher level, which is what the worker does (a new producer, the task
    // restarted from its committed offsets).
    fatal_ = absl::AbortedError(absl::StrCat(
        "fatal producer error ", rd_kafka_err2name(cause), ": ",
        cause != RD_KAFKA_RESP_ERR_NO_ERROR ? fatal_reason : reason,
        "; the producer must be recreated and the task restarted from its committed offsets"));
  }
}

}  // namespace sluice::kafka
