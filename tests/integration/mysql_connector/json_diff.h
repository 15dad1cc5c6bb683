#ifndef SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_JSON_DIFF_H_
#define SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_JSON_DIFF_H_

// Field-by-field comparison of two JSON documents (Debezium's record and Sluice's), for the
// reference tests: every difference as a path and both values, field order included.

#include <string>
#include <vector>

#include "rapidjson/document.h"

namespace sluice::testing {

struct JsonDifference {
  // "value.schema.fields[after].fields[dec1].type": an array element is named by its `field`
  // (or `name`) member when it has one, else by its index ("tableChanges[0]").
  std::string path;
  std::string pattern;  // the path with numeric indices written "[]": what allow-lists name
  std::string want, got;  // compact JSON of each side ("<absent>" when missing)
};

// Appends the differences between `want` and `got` under `path`. Objects are compared member by
// member and for their member order (reported at "<path>{order}"), arrays element by element
// (a length difference at "<path>{size}"), everything else by its compact JSON text. A struct
// schema's `fields` (arrays whose elements all carry a `field` name, on both sides) are matched
// by name, like an object's members: a field missing on one side is reported at
// "<path>[name]", their order at "<path>{order}".
void DiffJson(const rapidjson::Value& want, const rapidjson::Value& got, const std::string& path,
              std::vector<JsonDifference>* out);

// Parses `text` with full double precision. Numbers then compare by value and kind (1 and 1.0
// differ); their spelling (1.0E10 or 1e10) is the converter's, tested by its own unit tests.
rapidjson::Document ParseJson(const std::string& text);

std::string CompactJson(const rapidjson::Value& value);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_JSON_DIFF_H_
