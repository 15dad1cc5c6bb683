// docs/configuration.md against the code: every row's fate is what the code does with the key,
// every key the code knows is a row, and every key of the releases the doc covers (Kafka Connect
// 4.x's source connector and worker configs, Debezium 3.6's MySQL connector; the lists in
// released_keys/) is a row. Either side changing alone fails here.

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/key_fates.h"
#include "gtest/gtest.h"
#include "runtime/config/worker_config.h"
#include "runtime/worker/connector_keys.h"

namespace sluice {
namespace {

struct Row {
  std::string fate;
  std::string why;
};
// Section ("connector", "mysql", "worker") → key → row.
using Doc = std::map<std::string, std::map<std::string, Row>>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Doc ParseDoc() {
  Doc doc;
  std::string section;
  for (absl::string_view line :
       absl::StrSplit(ReadFile(std::string(SLUICE_SOURCE_DIR) + "/docs/configuration.md"), '\n')) {
    if (absl::StartsWith(line, "## ")) {
      section = absl::StartsWith(line, "## Connector keys") ? "connector"
                : absl::StartsWith(line, "## MySQL connector keys") ? "mysql"
                : absl::StartsWith(line, "## Worker keys")          ? "worker"
                                                                     : "";
      continue;
    }
    if (section.empty() || !absl::StartsWith(line, "| `")) continue;
    std::vector<std::string> cells = absl::StrSplit(line, " | ");
    if (cells.size() < 3) continue;
    std::string key(absl::StripPrefix(cells[0], "| `"));
    key = std::string(absl::StripSuffix(key, "`"));
    EXPECT_FALSE(doc[section].contains(key)) << "listed twice: " << key;
    doc[section][key] = {cells[1], cells[2]};
  }
  return doc;
}

std::vector<std::string> ReleasedKeys(const std::string& file) {
  std::vector<std::string> keys;
  for (absl::string_view line : absl::StrSplit(
           ReadFile(absl::StrCat(SLUICE_SOURCE_DIR, "/tests/unit/worker/released_keys/", file)),
           '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line[0] != '#') keys.emplace_back(line);
  }
  return keys;
}

// A key of the family `pattern` (`column.mask.with.<N>.chars` → `column.mask.with.4.chars`).
std::string Concrete(const std::string& pattern) {
  std::string key = pattern;
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"<N>", "4"}, {"<algorithm>", "SHA-256"}, {"<salt>", "pepper"}}) {
    for (size_t at; (at = key.find(from)) != std::string::npos;) key.replace(at, from.size(), to);
  }
  for (size_t open; (open = key.find('<')) != std::string::npos;) {
    key.replace(open, key.find('>', open) - open + 1, "x");
  }
  return key;
}

class ConfigurationDoc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { doc_ = new Doc(ParseDoc()); }
  static Doc* doc_;
};
Doc* ConfigurationDoc::doc_ = nullptr;

TEST_F(ConfigurationDoc, EveryKeyOfTheReleasesIsListed) {
  for (auto [file, section] : std::vector<std::pair<std::string, std::string>>{
           {"kafka_connect_4_source_connector.txt", "connector"},
           {"kafka_connect_4_worker.txt", "worker"},
           {"debezium_3_6_mysql.txt", "mysql"}}) {
    const std::vector<std::string> keys = ReleasedKeys(file);
    EXPECT_GT(keys.size(), 20u) << file;
    for (const std::string& key : keys) {
      EXPECT_TRUE((*doc_)[section].contains(key)) << key << " (" << file << ") is not in the "
                                                  << section << " table";
    }
  }
}

TEST_F(ConfigurationDoc, ConnectorKeysAreTheWorkersTable) {
  const std::map<std::string, Row>& rows = (*doc_)["connector"];
  std::set<std::string> code;
  for (const worker::ConnectorKey& key : worker::ConnectorKeys()) {
    code.emplace(key.key);
    auto row = rows.find(std::string(key.key));
    ASSERT_NE(row, rows.end()) << key.key << " is in connector_keys.cc but not in the doc";
    EXPECT_EQ(row->second.fate, worker::FateName(key.fate)) << key.key;
    EXPECT_EQ(worker::FindConnectorKey(Concrete(row->first)), &key) << key.key;
  }
  for (const auto& [key, row] : rows) {
    EXPECT_TRUE(code.contains(key)) << key << " is in the doc but not in connector_keys.cc";
  }
}

TEST_F(ConfigurationDoc, MySqlKeysAreWhatTheConnectorDoes) {
  const std::map<std::string, Row>& rows = (*doc_)["mysql"];
  const std::map<std::string, std::string> base = {{"database.hostname", "db"},
                                                   {"database.user", "cdc"},
                                                   {"database.server.id", "7"},
                                                   {"topic.prefix", "shop"}};
  ASSERT_TRUE(mysql::ParseConnectorConfig(base).ok());
  std::map<std::string, const mysql::DebeziumKey*> fates;
  for (const mysql::DebeziumKey& key : mysql::DebeziumKeys()) fates[std::string(key.key)] = &key;
  std::set<std::string> declared;
  const sluice_config_def* defs = mysql::ConfigDefs();
  for (size_t i = 0; i < mysql::ConfigDefCount(); ++i) declared.insert(defs[i].name);
  for (const std::string& key : declared) {
    EXPECT_TRUE(rows.contains(key)) << key << " is declared by the connector but not in the doc";
  }
  for (const auto& [key, row] : rows) {
    EXPECT_TRUE(declared.contains(key)) << key << " is in the doc but the connector lacks it";
    auto fate = fates.find(key);
    if (fate == fates.end()) {
      EXPECT_EQ(row.fate, "honoured") << key << ": a key the connector acts on";
      continue;
    }
    std::map<std::string, std::string> config = base;
    const std::string concrete = Concrete(key);
    const std::string named = absl::StrCat("`", concrete, "`");
    switch (fate->second->fate) {
      case mysql::DebeziumKeyFate::kRefused: {
        EXPECT_EQ(row.fate, "refused") << key;
        config[concrete] = "x";
        absl::StatusOr<mysql::ConnectorConfig> parsed = mysql::ParseConnectorConfig(config);
        ASSERT_FALSE(parsed.ok()) << key << " is documented refused but accepted";
        EXPECT_TRUE(absl::StartsWith(parsed.status().message(), named)) << parsed.status();
        EXPECT_TRUE(absl::StrContains(parsed.status().message(), fate->second->why)) << key;
        break;
      }
      case mysql::DebeziumKeyFate::kOnly: {
        EXPECT_EQ(row.fate, "honoured") << key;
        const std::string only(*absl::StrSplit(fate->second->only, '|').begin());
        EXPECT_TRUE(absl::StrContains(row.why, absl::StrCat("`", only, "`"))) << key;
        config[concrete] = only;
        EXPECT_TRUE(mysql::ParseConnectorConfig(config).ok()) << key << "=" << only;
        config[concrete] = "something-else";
        absl::StatusOr<mysql::ConnectorConfig> parsed = mysql::ParseConnectorConfig(config);
        ASSERT_FALSE(parsed.ok()) << key << "=something-else is accepted";
        EXPECT_TRUE(absl::StartsWith(parsed.status().message(), named)) << parsed.status();
        break;
      }
      case mysql::DebeziumKeyFate::kWarned: {
        EXPECT_EQ(row.fate, "warned") << key;
        config[concrete] = "x";
        absl::StatusOr<mysql::ConnectorConfig> parsed = mysql::ParseConnectorConfig(config);
        ASSERT_TRUE(parsed.ok()) << parsed.status();
        ASSERT_EQ(parsed->warnings.size(), 1u) << key;
        EXPECT_TRUE(absl::StartsWith(parsed->warnings[0], named)) << parsed->warnings[0];
        break;
      }
    }
  }
}

TEST_F(ConfigurationDoc, WorkerKeysAreWhatTheWorkerDoes) {
  const std::map<std::string, Row>& rows = (*doc_)["worker"];
  for (const auto& [key, row] : rows) {
    EXPECT_EQ(row.fate, config::WorkerActsOn(Concrete(key)) ? "honoured" : "warned") << key;
  }
  for (const std::string& key : config::WorkerKeysActedOn()) {
    EXPECT_TRUE(rows.contains(key)) << key << " is read by the worker but not in the doc";
  }
}

}  // namespace
}  // namespace sluice
