#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_KEY_FATES_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_KEY_FATES_H_

// What becomes of each key of Debezium's MySQL connector (3.6) that is not one of the keys this
// connector acts on (config.cc's definitions): refused with the reason and the fix, accepted only
// with the one value that matches what this connector does, or accepted with a warning where
// ignoring it changes no record. docs/configuration.md lists the same; a unit test keeps them in
// step. Checked by ParseConnectorConfig, so validate, create and every start agree.
//
// Thread-compatible; the table is static.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sluice::mysql {

enum class DebeziumKeyFate {
  kOnly,     // honoured: `only` is the one value accepted (what this connector does); others refused
  kRefused,  // refused whatever its value
  kWarned,   // accepted; a warning names it
};

struct DebeziumKey {
  // The key, or a family of keys with `<...>` placeholders (`column.mask.with.<N>.chars`).
  absl::string_view key;
  DebeziumKeyFate fate;
  absl::string_view only;  // kOnly: the values accepted, `|`-separated, any case; else empty
  absl::string_view why;   // the reason, and for a refusal the fix
};

const std::vector<DebeziumKey>& DebeziumKeys();

// True when `key` is `pattern`, or one of the keys a pattern with `<...>` placeholders stands for.
bool KeyMatches(absl::string_view pattern, absl::string_view key);

// Checks `raw` against DebeziumKeys(): the first refused key (or value) is InvalidArgument
// "`key` ..."; each warned key adds "`key`: ..." to `warnings`.
absl::Status CheckDebeziumKeys(const std::map<std::string, std::string>& raw,
                               std::vector<std::string>* warnings);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_KEY_FATES_H_
