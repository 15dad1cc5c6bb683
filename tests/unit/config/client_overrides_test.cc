// What a connector config may override of the Kafka clients (connector.client.config.override.policy,
// None by default), and the settings that run code on the host, refused unless allowed by name.
// The worker file's keys for both: worker_config_test.cc.
#include "runtime/config/client_overrides.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;
using Config = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> RefusedKeys(const Config& config, const ClientOverrideRules& rules) {
  std::vector<std::string> keys;
  for (const auto& [key, reason] : RefusedConnectorOverrides(config, rules)) keys.push_back(key);
  return keys;
}

TEST(ClientOverrides, PolicyNamesAreKafkaConnectsAndTheirClasses) {
  EXPECT_EQ(ParseClientOverridePolicy("None"), ClientOverridePolicy::kNone);
  EXPECT_EQ(ParseClientOverridePolicy(" principal "), ClientOverridePolicy::kPrincipal);
  EXPECT_EQ(ParseClientOverridePolicy("ALL"), ClientOverridePolicy::kAll);
  EXPECT_EQ(ParseClientOverridePolicy(
                "org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy"),
            ClientOverridePolicy::kAll);
  EXPECT_EQ(ParseClientOverridePolicy("PrincipalConnectorClientConfigOverridePolicy"),
            ClientOverridePolicy::kPrincipal);
  EXPECT_EQ(ParseClientOverridePolicy("Allowlist"), std::nullopt);
  EXPECT_EQ(ParseClientOverridePolicy(""), std::nullopt);
}

TEST(ClientOverrides, NoneRefusesEveryOverrideAndSaysHowToAllowIt) {
  const Config config = {{"connector.class", "mysql"},
                         {"producer.override.linger.ms", "5"},
                         {"consumer.override.sasl.username", "u"},
                         {"admin.override.client.id", "x"},
                         {"producer.linger.ms", "5"}};
  EXPECT_EQ(RefusedKeys(config, {}),
            (std::vector<std::string>{"producer.override.linger.ms",
                                      "consumer.override.sasl.username",
                                      "admin.override.client.id"}));
  const auto refused = RefusedConnectorOverrides(config, {});
  EXPECT_THAT(refused[0].second, HasSubstr("connector.client.config.override.policy=None"));
  EXPECT_THAT(refused[0].second, HasSubstr("Principal or All"));
}

TEST(ClientOverrides, PrincipalAllowsOnlyThePrincipalsSettings) {
  const ClientOverrideRules rules{ClientOverridePolicy::kPrincipal, {}};
  EXPECT_EQ(RefusedKeys({{"producer.override.security.protocol", "SASL_SSL"},
                         {"producer.override.sasl.mechanism", "PLAIN"},
                         {"producer.override.sasl.username", "u"},
                         {"producer.override.sasl.password", "p"},
                         {"producer.override.linger.ms", "5"}},
                        rules),
            (std::vector<std::string>{"producer.override.linger.ms"}));
}

TEST(ClientOverrides, SettingsThatRunCodeAreRefusedEvenUnderAllUnlessAllowedByName) {
  ClientOverrideRules rules{ClientOverridePolicy::kAll, {}};
  const Config config = {{"producer.override.sasl.kerberos.kinit.cmd", "touch /tmp/pwned"},
                         {"producer.override.plugin.library.paths", "/tmp/evil.so"},
                         {"consumer.override.ssl.engine.location", "/tmp/engine.so"},
                         {"admin.override.ssl.providers", "legacy"},
                         {"producer.override.linger.ms", "5"}};
  EXPECT_EQ(RefusedKeys(config, rules),
            (std::vector<std::string>{"producer.override.sasl.kerberos.kinit.cmd",
                                      "producer.override.plugin.library.paths",
                                      "consumer.override.ssl.engine.location",
                                      "admin.override.ssl.providers"}));
  const auto refused = RefusedConnectorOverrides(config, rules);
  EXPECT_THAT(refused[0].second, HasSubstr("names a command"));
  EXPECT_THAT(refused[0].second, HasSubstr("sluice.client.host.settings.allowed"));
  EXPECT_THAT(refused[1].second, HasSubstr("names a library"));

  rules.host_settings_allowed = {"plugin.library.paths"};
  EXPECT_EQ(RefusedKeys(config, rules),
            (std::vector<std::string>{"producer.override.sasl.kerberos.kinit.cmd",
                                      "consumer.override.ssl.engine.location",
                                      "admin.override.ssl.providers"}));
}

TEST(ClientOverrides, ProducerOverridesAreTheConnectorsProducerSettings) {
  EXPECT_EQ(ProducerOverrides({{"producer.override.linger.ms", " 7 "},
                               {"consumer.override.x", "y"},
                               {"producer.override.linger.ms", "9"}}),
            (std::map<std::string, std::string>{{"linger.ms", "9"}}));
}

}  // namespace
}  // namespace sluice::config
