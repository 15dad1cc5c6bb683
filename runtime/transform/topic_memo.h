// What a transform or predicate computed for each topic name (a new name, a match), so the
// regular expression runs once per topic, not once per record. The last topic asked for is
// remembered, as records of one table come in runs: a hit costs one string comparison.
//
// Thread-safety: none; owned by one transform on one task thread. Views it hands out stay valid
// while the memo lives (nodes never move).
#ifndef SLUICE_RUNTIME_TRANSFORM_TOPIC_MEMO_H_
#define SLUICE_RUNTIME_TRANSFORM_TOPIC_MEMO_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/container/node_hash_map.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::transform {

template <typename T>
class TopicMemo {
 public:
  // The value for `topic`, made by `compute(topic)` the first time.
  template <typename Compute>
  const T& Get(std::string_view topic, Compute&& compute) {
    if (last_ != nullptr && last_->first == topic) return last_->second;
    auto it = entries_.find(ToAbsl(topic));
    if (it == entries_.end()) it = entries_.emplace(std::string(topic), compute(topic)).first;
    last_ = &*it;
    return last_->second;
  }

 private:
  absl::node_hash_map<std::string, T> entries_;
  const std::pair<const std::string, T>* last_ = nullptr;
};

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TOPIC_MEMO_H_
