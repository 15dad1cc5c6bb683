// The one producer path to Kafka (DESIGN.md decisions 6 and 7).
//
// Settings Sluice fixes: enable.idempotence=true and acks=all (an offset is committed only for
// records the cluster cannot lose, and retries neither duplicate nor reorder), and
// partitioner=murmur2_random (a keyed record lands where a Java producer puts it). Any other
// `producer.*` worker property is passed to librdkafka; overrides that would weaken the two
// guarantees above are refused.
//
// Memory: the bytes of records handed over (SendBatch, Send) and not yet settled by a delivery
// report are bounded by `max_in_flight_bytes` (`producer.buffer.memory`). SendBatch waits for room
// (back-pressure) up to `max_block`; WaitForRoom lets the task runner stop polling its connector
// instead. A sender that found the bound full resumes only once deliveries have freed a quarter of
// it, so at saturation the task thread wakes once per acknowledged batch, not once per record.
//
// Delivery: each record may carry an offsets::SubmittedRecord; its delivery report calls Ack()
// or Fail() on it from the producer's poll thread. A fatal producer error (idempotence state
// lost) is kept and returned by every later SendBatch / Flush / fatal_error(), as Aborted.
//
// The poll thread serves librdkafka's events (delivery reports, errors, statistics) from its main
// queue; no other thread does. librdkafka counts a record as settled only once its report's
// event is destroyed, after the report's work, and a flush (Flush, the flush inside
// commit_transaction) waits on that count's condition, so it returns as soon as the last report
// is done. With delivery reports as callbacks, librdkafka's flush polled the queue beside the
// poll thread in 10 ms steps and slept out the rest of a step when the poll thread took the last
// report: 0-10 ms on every transaction's commit (issue 19; docs/benchmarks.md, "Exactly-once: the
// commit's flush").
//
// Order after a failed delivery: once a record's delivery failed (refused by the broker, or
// timed out; not purged by this producer), or once a record still in flight may have expired
// (it was handed over delivery.timeout.ms ago, less at most a sixteenth of it: the producer counts
// records in flight by when they were sent, in sixteenths of the timeout), SendBatch refuses
// every later record with the failed one's code. A later record delivered past one that failed
// would reach a consumer before the older change it follows (librdkafka's idempotent producer
// leaves such a gap on a message timeout); refused, the task ends its attempt and replays from its
// committed offsets, in order. The age is read when a record is handed over, so no record goes
// out after an older one expired, however late librdkafka notices the expiry (its timeout scan
// runs about once a second) or reports it; the price is that a record delivered in the last
// sixteenth of delivery.timeout.ms may still end the attempt (a rewind, nothing lost).
//
// The one kafka::RecordSender (record_sender.h) of the task loop.
//
// Threads: SendBatch, Flush and WaitForRoom may be called from any thread. The destructor fails
// (Fail with Unavailable) every record still undelivered, so no SubmittedRecord is left dangling.
#ifndef SLUICE_RUNTIME_KAFKA_PRODUCER_H_
#define SLUICE_RUNTIME_KAFKA_PRODUCER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/record_sender.h"
#include "runtime/offsets/submitted_records.h"

namespace sluice::kafka {

struct ProducerOptions {
  std::string bootstrap_servers;
  // `producer.*` worker properties, prefix removed (WorkerConfig::producer_overrides).
  std::map<std::string, std::string> overrides;
  int64_t max_in_flight_bytes = 8 * 1024 * 1024;  // WorkerConfig::producer_buffer_memory
  absl::Duration max_block = absl::Seconds(60);    // WorkerConfig::producer_max_block
  std::string client_id = "sluice-producer";
  // Added to every record's charge: memory a record costs besides its bytes while in flight
  // (librdkafka's message bookkeeping, the tracker's copy of the source offset). Without it a
  // stream of tiny records would hold far more memory than the bound says.
  int64_t record_overhead_bytes = 512;
  // Exactly-once: the producer's `transactional.id` (Kafka Connect's `<group.id>-<connector>-
  // <task>`); empty = not transactional. Create then calls init_transactions, which fences every
  // earlier producer with this id and completes or aborts the transaction it left open, within
  // `transaction_init_timeout`.
  std::string transactional_id = "";
  absl::Duration transaction_init_timeout = absl::Seconds(60);
};

class Producer : public RecordSender {
 public:
  // Fails with InvalidArgument naming the `producer.*` key librdkafka refuses, or one that would
  // turn off idempotence or acks=all.
  static absl::StatusOr<std::unique_ptr<Producer>> Create(const ProducerOptions& options);

  ~Producer() override;
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // RecordSender (record_sender.h says what each promises). Each record's tracker entry is
  // settled by its delivery report. A record larger than the whole bound is still sent once
  // nothing else is in flight. WaitForRoom counts a record's overhead as SendBatch does.
  //
  // SendBatch takes the lock once for as many of the batch's records as the bound has room for
  // (all of them, unless the bound is nearly full), then produces them without it. Their keys
  // and values go to librdkafka without a copy: each record holds the batch's memory until its
  // delivery report (outgoing_batch.h). The refusal after a failed delivery is checked for
  // every record.
  absl::Status SendBatch(OutgoingBatch& batch, size_t* handed_over) override;
  absl::Status Flush(absl::Duration timeout) override;
  bool WaitForRoom(int64_t bytes, absl::Duration timeout) override;
  absl::Status fatal_error() const override;
  int64_t in_flight_bytes() const override;
  int64_t max_in_flight_bytes() const { return max_in_flight_bytes_; }

  // Transactions (options.transactional_id set), as librdkafka's manual asks: a retriable error
  // of commit is retried until `timeout`; an abortable one aborts the transaction and returns
  // Aborted; fencing (a newer producer with the same id) is FailedPrecondition and every later
  // call fails the same way; any other error is fatal for this producer (Aborted from
  // fatal_error(): make a new one).
  absl::Status BeginTransaction() override;
  absl::Status CommitTransaction(absl::Duration timeout) override;
  absl::Status AbortTransaction(absl::Duration timeout) override;

  // The bytes a record is charged against the bound: key + value + header names and values,
  // plus record_overhead_bytes.
  int64_t ChargeFor(const OutgoingRecord& record) const;

  // For tests and diagnostics: the effective librdkafka value of `key`.
  std::string EffectiveSetting(const char* key) const;

  // For tests: makes librdkafka raise a fatal error on this producer (rd_kafka_test_fatal_error),
  // as a lost idempotent-producer state would.
  void InjectFatalErrorForTesting(rd_kafka_resp_err_t cause, const char* reason);

 private:
  Producer(const ProducerOptions& options);
  // The status of a failed transactional call (`what` names it); destroys `error`.
  absl::Status TransactionStatus(rd_kafka_error_t* error, absl::string_view what);

  // A record's delivery report: settles its tracker entry, frees its charge. Poll thread.
  void OnDelivery(const rd_kafka_message_t* message);
  // A fatal error raised by librdkafka (`reason` its text): kept for fatal_error(). Poll thread.
  void OnFatalError(const char* reason);
  void PollLoop();
  // Serves the events on librdkafka's main queue: waits up to `timeout_ms` for the first, then
  // serves every one ready, and takes the delivered bytes off the bound. Poll thread (or the
  // destructor, once it has stopped).
  void ServeEvents(int timeout_ms);
  // OK when SendBatch may go on; the refusal after a failed or expired delivery (the class
  // comment).
  absl::Status RefuseAfterAFailedDeliveryLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A record handed over (ReserveLocked counted it in its epoch) is no longer in flight: its
  // delivery report ran, or it was not handed over after all. Any thread.
  void UncountInFlight(const OutgoingBatch::Delivery& delivery);
  // From a delivery report: keeps the first failure, so later records are refused.
  void NoteFailedDelivery(const absl::Status& failed);
  void Release(int64_t bytes);
  // Takes the bytes of the delivery reports served since the last call off the bound, under one
  // lock; called after every ServeEvents / rd_kafka_flush.
  void ReleaseDelivered();
  bool HasRoomLocked(int64_t bytes) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The condition a sender waits for once the bound was full: room below the low-water mark.
  bool HasRoomToResumeLocked(int64_t bytes) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Waits (up to `timeout`) until a record charged `charge` bytes may go. False on timeout.
  bool AwaitRoomLocked(int64_t charge, absl::Duration timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Under one lock: waits for room for record `first` of `batch`, then charges it and the
  // following records while they fit, each with its topic handle. Returns the end of the records
  // charged (> first) or the refusal of record `first`.
  absl::StatusOr<size_t> ReserveLocked(OutgoingBatch& batch, size_t first)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Produces records [first, end) of `batch`, charged by ReserveLocked. Returns the number
  // handed over; on a refusal, also the status, and records from the refused one on are
  // uncharged and released.
  size_t Produce(OutgoingBatch& batch, size_t first, size_t end, absl::Status* refused);
  // The cached handle of `topic`, created on first use; nullptr if librdkafka refuses the name.
  rd_kafka_topic_t* TopicLocked(absl::string_view topic) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_in_flight_bytes_;
  const absl::Duration max_block_;
  const int64_t record_overhead_bytes_;
  const std::string transactional_id_;
  KafkaHandle rk_;
  QueueHandle main_queue_;  // rk_'s main queue, where its events arrive; released before rk_
  ConfHandle effective_conf_;  // a copy of the conf rk_ was built from, for EffectiveSetting

  mutable absl::Mutex mu_;
  int64_t in_flight_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status fatal_ ABSL_GUARDED_BY(mu_);
  // Topic handles by name, so the hot path neither copies the name (for a C string) nor makes
  // librdkafka look it up. Destroyed before rk_.
  absl::flat_hash_map<std::string, rd_kafka_topic_t*> topics_ ABSL_GUARDED_BY(mu_);

  // Bytes of records whose delivery report ran, not yet taken off in_flight_bytes_: a report
  // adds to it without the lock, and ReleaseDelivered takes it off once per poll. Releasing
  // under mu_ per report had the poller and the task thread contend for it on every record.
  std::atomic<int64_t> delivered_bytes_{0};
  // Messages handed to librdkafka whose delivery report has not run; the destructor waits for 0.
  std::atomic<int64_t> outstanding_messages_{0};
  // librdkafka's effective delivery.timeout.ms (message.timeout.ms); 0: never expires.
  absl::Duration delivery_timeout_ = absl::ZeroDuration();
  // The first failed delivery (set once, from the poll thread); every later record is refused.
  absl::Status delivery_failure_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> delivery_failed_{false};  // delivery_failure_ is set: the hot path's check
  // Records in flight counted by when they were handed over, in epochs of delivery_timeout_ /
  // kExpiryEpochs since epoch_origin_ (a ring: slot = epoch % kEpochSlots; a slot is re-tagged
  // only once empty). A record of epoch e may have expired once e + kExpiryEpochs epochs began.
  // `epoch` under mu_; `records` added under mu_, taken off by the delivery report without it.
  static constexpr int64_t kExpiryEpochs = 16;
  static constexpr int64_t kEpochSlots = kExpiryEpochs + 2;
  struct EpochSlot {
    int64_t epoch = -1;
    std::atomic<int64_t> records{0};
  };
  EpochSlot epochs_[kEpochSlots];
  const absl::Time epoch_origin_ = absl::Now();
  std::atomic<bool> stopping_{false};
  std::thread poller_;
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_PRODUCER_H_
