// A serialized record (OutgoingRecord), and a poll's worth of them gathered for one hand-over to
// the producer (OutgoingBatch), whose key and value bytes live until Kafka has answered for each.
//
// Why a batch: the producer hands librdkafka each record's value without a copy, and takes its
// lock once for the whole batch rather than once per record. librdkafka's copy of every value
// (RD_KAFKA_MSG_F_COPY: an allocation per record, freed on its broker thread) and the per-record
// lock were 7% and 6% of a backlog drain's CPU (docs/benchmarks.md).
//
// Memory: Add copies the record's key, value and headers into blocks the batch allocates
// (bump allocation: one allocation per 256 KiB or so, not per record). Every record a sender
// hands over holds a reference on those blocks, released by its delivery report (Release); Clear
// and the destructor drop the batch's own. The memory goes when the last is released, whichever
// thread that is, so a batch may be cleared, refilled or destroyed while its records are in
// flight. Blocks no record holds any more are reused by the next records.
//
// Threads: one thread fills and sends a batch; Release from any thread.
#ifndef SLUICE_RUNTIME_KAFKA_OUTGOING_BATCH_H_
#define SLUICE_RUNTIME_KAFKA_OUTGOING_BATCH_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/offsets/submitted_records.h"

struct rd_kafka_topic_s;  // librdkafka's rd_kafka_topic_t

namespace sluice::kafka {

struct RecordHeader {
  absl::string_view name;
  std::optional<absl::string_view> value;  // nullopt = a null header value
};

// A serialized record. Given to OutgoingBatch::Add (or RecordSender::Send), its views are
// borrowed for that call only, except `topic`: until the batch is sent.
struct OutgoingRecord {
  absl::string_view topic;
  std::optional<absl::string_view> key;    // nullopt = null key (no murmur2; librdkafka spreads it)
  std::optional<absl::string_view> value;  // nullopt = tombstone
  absl::Span<const RecordHeader> headers;
  int64_t timestamp_ms = 0;  // 0 = now
  int32_t partition = -1;    // -1 = let the partitioner choose (RD_KAFKA_PARTITION_UA)
};

class OutgoingBatch {
  struct Memory;

 public:
  // What a sender keeps with each record until its delivery report: the record's tracker entry
  // and charge, the topic handle it was produced to, and the reference on the batch's memory.
  // Lives in that memory; its address is stable until Release.
  struct Delivery {
    offsets::SubmittedRecord* tracked = nullptr;
    int64_t charge = 0;
    rd_kafka_topic_s* topic = nullptr;
    Memory* memory = nullptr;
    int64_t sent_epoch = 0;  // when the sender handed it over, in its own units (producer.h)
  };

  OutgoingBatch() = default;
  ~OutgoingBatch();
  OutgoingBatch(const OutgoingBatch&) = delete;
  OutgoingBatch& operator=(const OutgoingBatch&) = delete;

  // Appends `record`, to be settled through `tracked` (may be null). Copies its key, value and
  // headers; its topic must stay valid until the batch is sent.
  void Add(const OutgoingRecord& record, offsets::SubmittedRecord* tracked);

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  // The i-th record, its key, value and header values in the batch's memory.
  OutgoingRecord record(size_t i) const;
  Delivery& delivery(size_t i) { return *records_[i].delivery; }
  const Delivery& delivery(size_t i) const { return *records_[i].delivery; }

  // A sender calls Retain(n) before it hands n records over without copying their bytes, and
  // Release(delivery) once per record handed over, when its delivery is settled (or at once for
  // one it did not hand over after all). Release may free the memory: nothing of the record may
  // be read after it.
  void Retain(int64_t records);
  static void Release(const Delivery& delivery);

  // Forgets the records (sent or not); their memory lives on while any is held.
  void Clear();

 private:
  struct Slot {
    OutgoingRecord record;  // headers empty here; see header_begin/header_count
    uint32_t header_begin = 0;
    uint32_t header_count = 0;
    Delivery* delivery = nullptr;
  };
  // `size` bytes aligned to `align` in the current memory, new memory if it is full.
  char* Allocate(size_t size, size_t align);
  absl::string_view Copy(absl::string_view bytes);
  // Drops the batch's reference on `memory_`, keeping it for reuse when nothing else holds it.
  void LetGo();

  std::vector<Slot> records_;
  std::vector<RecordHeader> headers_;
  Memory* memory_ = nullptr;  // the batch holds one reference on it
};

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_OUTGOING_BATCH_H_
