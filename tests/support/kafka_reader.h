#ifndef SLUICE_TESTS_SUPPORT_KAFKA_READER_H_
#define SLUICE_TESTS_SUPPORT_KAFKA_READER_H_

// Reads what is in a topic, for assertions: every partition from its beginning to the end it has
// when called, as a read_committed consumer sees it (records of aborted transactions left out; a
// transaction still open holds the read up until it ends). No consumer group offsets are
// committed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sluice::testing {

struct ConsumedRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;  // nullopt: a tombstone
  std::vector<std::pair<std::string, std::string>> headers;
};

// Records in partition order, then offset order. NotFound when the topic does not exist.
absl::StatusOr<std::vector<ConsumedRecord>> ReadWholeTopic(const std::string& bootstrap,
                                                           const std::string& topic,
                                                           absl::Duration timeout = absl::Seconds(30));

// Every topic the broker has, internal ones included.
absl::StatusOr<std::vector<std::string>> ListTopics(const std::string& bootstrap);

// The number of partitions of `topic`.
absl::StatusOr<int> PartitionCount(const std::string& bootstrap, const std::string& topic);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_SUPPORT_KAFKA_READER_H_
