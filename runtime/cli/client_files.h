// The files client commands read: a connector (conn.json), offsets (offsets.json), TLS PEM files.
#ifndef SLUICE_RUNTIME_CLI_CLIENT_FILES_H_
#define SLUICE_RUNTIME_CLI_CLIENT_FILES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/admin/v1/admin.pb.h"

namespace sluice::cli {

// The file's bytes; nullopt when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path);

struct ConnectorFile {
  std::string name;  // empty when the file names none
  std::map<std::string, std::string> config;
};

// Reads Kafka Connect's {"name": ..., "config": {...}}, or a bare config object (its "name" key
// names the connector). A value that is not a string is kept as its JSON text (tasks.max: 1 is
// "1"); null drops the key. InvalidArgument, naming the file, when it cannot be read or is not
// that shape, or names no connector and `name_required`.
absl::StatusOr<ConnectorFile> ReadConnectorFile(const std::string& path, bool name_required);

// Reads {"offsets":[{"partition":{...},"offset":{...}|null}, ...]}: each partition and offset as
// compact JSON, an absent or null offset as "" (reset that partition). InvalidArgument, naming
// the file, when it cannot be read or is not that shape.
absl::StatusOr<std::vector<::sluice::admin::v1::PartitionOffset>> ReadOffsetsFile(
    const std::string& path);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_CLIENT_FILES_H_
