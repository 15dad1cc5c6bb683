#include "tests/integration/worker/in_process_worker.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/config/properties.h"

namespace sluice::testing {

config::WorkerConfig InProcessWorkerConfig(const std::string& name, const std::string& plugin_path,
                                           const std::string& bootstrap) {
  config::Properties properties;
  properties.Set("bootstrap.servers", bootstrap);
  properties.Set("group.id", name);
  properties.Set("offset.storage.topic", name + ".offsets");
  properties.Set("config.storage.topic", name + ".configs");
  properties.Set("status.storage.topic", name + ".status");
  for (const char* topic : {"offset", "config", "status"}) {
    properties.Set(absl::StrCat(topic, ".storage.replication.factor"), "1");
  }
  properties.Set("offset.flush.interval.ms", "200");
  properties.Set("plugin.path", plugin_path);
  properties.Set("key.converter", "org.apache.kafka.connect.json.JsonConverter");
  properties.Set("value.converter", "org.apache.kafka.connect.json.JsonConverter");
  properties.Set("topic.creation.default.replication.factor", "1");
  absl::StatusOr<config::ParsedWorkerConfig> config = config::ParseWorkerConfig(properties);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? config->config : config::WorkerConfig();
}

}  // namespace sluice::testing
