// The keys Kafka Connect gives every source connector (its ConnectorConfig and
// SourceConnectorConfig, 4.x), and what becomes of each here: honoured, refused with the reason
// and the fix, or accepted with a warning (only where ignoring it cannot change what consumers
// receive). docs/configuration.md lists the same table; a unit test keeps the two in step.
//
// Thread-compatible; the table is static.
#ifndef SLUICE_RUNTIME_WORKER_CONNECTOR_KEYS_H_
#define SLUICE_RUNTIME_WORKER_CONNECTOR_KEYS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace sluice::worker {

enum class KeyFate {
  kHonoured,  // acted on (its values are checked at validate)
  kRefused,   // a config holding it is refused: `why` is the reason and the fix
  kWarned,    // accepted with a warning naming it: `why` says why ignoring it changes no record
  kElsewhere, // a part being built beside this one acts on it (`why` names it); not checked here
};

struct ConnectorKey {
  // The key, or a family of keys with `<...>` placeholders (plugin::KeyMatches).
  absl::string_view key;
  KeyFate fate;
  absl::string_view why;
};

// Every key and key family of Kafka Connect's source connector config.
const std::vector<ConnectorKey>& ConnectorKeys();

// The entry for `key`, or null when Kafka Connect has no such connector key.
const ConnectorKey* FindConnectorKey(absl::string_view key);

// "honoured", "refused", "warned", "elsewhere": the words docs/configuration.md uses.
absl::string_view FateName(KeyFate fate);

}  // namespace sluice::worker

#endif  // SLUICE_RUNTIME_WORKER_CONNECTOR_KEYS_H_
