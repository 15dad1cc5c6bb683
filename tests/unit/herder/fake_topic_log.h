// A topic log in memory (kafka::TopicLog) for the herder's unit tests: every record written, in
// order; pre-filled to test a restore; made to fail to test what a lost write does.
#ifndef SLUICE_TESTS_UNIT_HERDER_FAKE_TOPIC_LOG_H_
#define SLUICE_TESTS_UNIT_HERDER_FAKE_TOPIC_LOG_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "runtime/kafka/topic_log.h"

namespace sluice::testing {

class FakeTopicLog : public kafka::TopicLog {
 public:
  absl::Status ReadToEnd(const Visitor& visit, absl::Duration) override {
    std::vector<kafka::KeyedRecord> records;
    {
      absl::MutexLock lock(&mu_);
      ++reads_;
      if (unavailable_reads_ > 0) {
        --unavailable_reads_;
        return absl::UnavailableError("no leader for the topic yet");
      }
      records = records_;
    }
    for (const kafka::KeyedRecord& r : records) {
      visit(absl::string_view(r.key),
            r.value ? std::optional<absl::string_view>(*r.value) : std::nullopt);
    }
    return absl::OkStatus();
  }

  absl::Status Write(const std::vector<kafka::KeyedRecord>& records, absl::Duration) override {
    absl::MutexLock lock(&mu_);
    if (!write_error_.ok()) return write_error_;
    records_.insert(records_.end(), records.begin(), records.end());
    return absl::OkStatus();
  }

  // Test controls and views; any thread.
  void Append(kafka::KeyedRecord record) {
    absl::MutexLock lock(&mu_);
    records_.push_back(std::move(record));
  }
  void FailWrites(absl::Status error) {
    absl::MutexLock lock(&mu_);
    write_error_ = std::move(error);
  }
  void FailReads(int times) {
    absl::MutexLock lock(&mu_);
    unavailable_reads_ = times;
  }
  // The last value written for `key`: nullopt when never written, a nullopt value for a
  // tombstone.
  std::optional<std::optional<std::string>> Latest(const std::string& key) const {
    absl::MutexLock lock(&mu_);
    std::optional<std::optional<std::string>> latest;
    for (const kafka::KeyedRecord& r : records_) {
      if (r.key == key) latest = r.value;
    }
    return latest;
  }
  std::vector<kafka::KeyedRecord> records() const {
    absl::MutexLock lock(&mu_);
    return records_;
  }
  int reads() const {
    absl::MutexLock lock(&mu_);
    return reads_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<kafka::KeyedRecord> records_ ABSL_GUARDED_BY(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(mu_);
  int unavailable_reads_ ABSL_GUARDED_BY(mu_) = 0;
  int reads_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_HERDER_FAKE_TOPIC_LOG_H_
