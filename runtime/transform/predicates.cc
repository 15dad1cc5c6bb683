#include "runtime/transform/predicates.h"

#include <string>
#include <utility>

#include "runtime/transform/java_regex.h"
#include "runtime/transform/topic_memo.h"

namespace sluice::transform {
namespace {

// True when the whole topic name matches `pattern` (Java's Matcher.matches()).
class TopicNameMatches final : public Predicate {
 public:
  explicit TopicNameMatches(JavaRegex pattern) : pattern_(std::move(pattern)) {}
  absl::StatusOr<bool> Test(const data::SourceRecord& record) override {
    return matches_.Get(record.topic,
                        [this](std::string_view topic) { return pattern_.Matches(topic); });
  }

 private:
  const JavaRegex pattern_;
  TopicMemo<bool> matches_;
};

// True when the record has at least one header named `name`.
class HasHeaderKey final : public Predicate {
 public:
  explicit HasHeaderKey(std::string name) : name_(std::move(name)) {}
  absl::StatusOr<bool> Test(const data::SourceRecord& record) override {
    for (const data::Header& h : record.headers) {
      if (h.key == name_) return true;
    }
    return false;
  }

 private:
  const std::string name_;
};

// True when the record's value is null (whatever its schema).
class RecordIsTombstone final : public Predicate {
 public:
  absl::StatusOr<bool> Test(const data::SourceRecord& record) override { return record.value.is_null(); }
};

}  // namespace

std::unique_ptr<Predicate> MakeTopicNameMatches(TransformOptions& options) {
  std::optional<JavaRegex> pattern = options.Regex("pattern", /*required=*/true);
  if (options.failed() || !pattern.has_value()) return nullptr;
  return std::make_unique<TopicNameMatches>(*std::move(pattern));
}

std::unique_ptr<Predicate> MakeHasHeaderKey(TransformOptions& options) {
  std::string name = options.RequiredString("name", "the header key to look for");
  if (options.failed()) return nullptr;
  return std::make_unique<HasHeaderKey>(std::move(name));
}

std::unique_ptr<Predicate> MakeRecordIsTombstone(TransformOptions& options) {
  if (options.failed()) return nullptr;
  return std::make_unique<RecordIsTombstone>();
}

}  // namespace sluice::transform
