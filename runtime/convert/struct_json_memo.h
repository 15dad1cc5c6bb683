// The JSON of the last struct of one flat schema (every field a primitive) that a converter wrote,
// with where each field's value lies in it, so that the next struct of that schema is written by
// copying what it has in common and writing only the fields that changed. Debezium's `source`
// block is the case it is for: the rows of one binlog event share it but for `row`, and it was
// about half of a change event's JSON.
//
// Values are compared by content (strings and bytes against copies the memo keeps), never by
// address: the arena a record's strings live in is reused by the next batch.
#ifndef SLUICE_RUNTIME_CONVERT_STRUCT_JSON_MEMO_H_
#define SLUICE_RUNTIME_CONVERT_STRUCT_JSON_MEMO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/schema.h"
#include "runtime/data/value.h"

namespace sluice::convert {

class StructJsonMemo {
 public:
  // A memo for structs of `schema`; enabled() is false when the schema is not flat or has fewer
  // than four fields.
  explicit StructJsonMemo(const data::Schema& schema);

  // Whether to use the memo for the next struct of this schema. False for a schema that is not
  // flat or too small, and while remembering does not pay: once its structs kept differing in more fields than
  // the limit (a table's rows; the source blocks of single-row transactions), the converter stops
  // trying for kStructsBeforeRetry structs, then tries again (a backlog of large transactions may
  // follow a run of small ones).
  bool Consider();
  bool enabled() const { return enabled_; }

  // Fills `changed` with the indexes of the fields of `fields` (one value per field of the
  // schema) whose value differs from the remembered struct's, in field order. False when there is
  // nothing remembered or more than `limit` fields differ; a false also counts towards disabling.
  bool Differences(const data::Value* fields, size_t limit, std::vector<uint32_t>* changed);

  // Remembers a struct written in full: `json` from its '{' to its '}', field i's value (without
  // the ':' before it) at [begin[i], end[i]) of `json`, and its values.
  void Remember(std::string_view json, const std::vector<uint32_t>& begin,
                const std::vector<uint32_t>& end, const data::Value* fields);

  // After a struct was written from this memo: `json` is its text, `changed` (as Differences gave
  // it) the fields written anew with their new values in `fields`, and `new_lengths[k]` the length
  // of field changed[k]'s new value text.
  void Update(std::string_view json, const std::vector<uint32_t>& changed,
              const std::vector<uint32_t>& new_lengths, const data::Value* fields);

  std::string_view json() const { return json_; }
  uint32_t begin(uint32_t field) const { return begin_[field]; }
  uint32_t end(uint32_t field) const { return end_[field]; }

 private:
  bool Same(uint32_t field, const data::Value& value) const;
  void Keep(uint32_t field, const data::Value& value);

  const bool worthwhile_;  // flat and large enough: see Worthwhile
  bool enabled_;
  bool has_json_ = false;
  int misses_in_a_row_ = 0;
  int skipped_ = 0;  // structs written without the memo since it was given up
  std::string json_;
  std::vector<uint32_t> begin_, end_;
  std::vector<data::Value> values_;  // string and bytes values point nowhere: see texts_
  std::vector<std::string> texts_;   // the string and bytes values' contents
};

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_STRUCT_JSON_MEMO_H_
