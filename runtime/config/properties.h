// Java .properties files, read the way java.util.Properties.load reads them, so a worker.properties
// written for Kafka Connect means the same thing here.
#ifndef SLUICE_RUNTIME_CONFIG_PROPERTIES_H_
#define SLUICE_RUNTIME_CONFIG_PROPERTIES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::config {

// One key=value pair and the (1-based) line its logical line started on, for error messages.
struct Property {
  std::string key;
  std::string value;
  int line = 0;
};

// The parsed file. As in java.util.Properties, a key given twice keeps its last value; `entries`
// holds each key once, in the order of its first appearance, with the last value and its line.
class Properties {
 public:
  // Sets or replaces `key`. `line` is 0 for values that did not come from a file.
  void Set(std::string key, std::string value, int line = 0);

  // nullptr when `key` is absent. The pointer is valid until the next Set.
  const Property* Find(absl::string_view key) const;

  const std::vector<Property>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Property> entries_;
  absl::flat_hash_map<std::string, size_t> index_;  // key -> position in entries_
};

// Parses the text of a .properties file. Rules (java.util.Properties.load):
//  - lines end with \n, \r or \r\n; a line whose first non-blank character is `#` or `!` is a
//    comment; blank lines are skipped;
//  - a line ending in an odd number of backslashes continues on the next line, whose leading
//    blanks are dropped (comment lines do not continue);
//  - the key ends at the first unescaped `=`, `:` or blank; blanks around the separator are
//    skipped, and blanks after `key ` followed by `=`/`:` belong to the separator;
//  - escapes: \t \n \r \f, \uXXXX (written out as UTF-8), and `\c` = `c` for any other c.
// Java reads bytes as ISO-8859-1; we pass bytes through unchanged, so UTF-8 files keep their text.
// `origin` (a file name) prefixes error messages: "worker.properties:12: malformed \uXXXX ...".
absl::StatusOr<Properties> ParseProperties(absl::string_view text,
                                           absl::string_view origin = "<properties>");

// Reads and parses `path`. NotFound / PermissionDenied name the file.
absl::StatusOr<Properties> LoadPropertiesFile(const std::string& path);

// A Kafka ConfigDef LIST value: comma-separated, blanks around items ignored, empty items dropped.
std::vector<std::string> ParseList(absl::string_view value);

}  // namespace sluice::config

#endif  // SLUICE_RUNTIME_CONFIG_PROPERTIES_H_
