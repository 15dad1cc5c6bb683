#include "runtime/config/worker_config.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr const char* kMinimal =
    "bootstrap.servers=broker:9092\n"
    "group.id=connect-cluster\n"
    "offset.storage.topic=connect-offsets\n"
    "config.storage.topic=connect-configs\n"
    "status.storage.topic=connect-status\n"
    "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
    "value.converter=org.apache.kafka.connect.json.JsonConverter\n";

absl::StatusOr<ParsedWorkerConfig> Parse(const std::string& text) {
  absl::StatusOr<Properties> props = ParseProperties(text, "worker.properties");
  if (!props.ok()) return props.status();
  return ParseWorkerConfig(*props);
}

TEST(WorkerConfigTest, MinimalConfigGetsKafkaConnectDefaults) {
  auto parsed = Parse(kMinimal);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const WorkerConfig& c = parsed->config;
  EXPECT_THAT(parsed->warnings, IsEmpty());
  EXPECT_EQ(c.bootstrap_servers, "broker:9092");
  EXPECT_EQ(c.startup_broker_timeout, absl::Seconds(60));
  EXPECT_EQ(c.group_id, "connect-cluster");
  EXPECT_EQ(c.offset_storage.name, "connect-offsets");
  EXPECT_EQ(c.offset_storage.partitions, 25);
  EXPECT_EQ(c.offset_storage.replication_factor, 3);
  EXPECT_EQ(c.config_storage.partitions, 1);
  EXPECT_EQ(c.config_storage.replication_factor, 3);
  EXPECT_EQ(c.status_storage.partitions, 5);
  EXPECT_EQ(c.status_storage.replication_factor, 3);
  EXPECT_EQ(c.offset_flush_interval, absl::Seconds(60));
  EXPECT_EQ(c.offset_flush_timeout, absl::Seconds(5));
  EXPECT_EQ(c.task_shutdown_graceful_timeout, absl::Seconds(5));
  EXPECT_EQ(c.key_converter.class_name, kJsonConverterClass);
  EXPECT_TRUE(c.key_converter.schemas_enable);
  EXPECT_TRUE(c.value_converter.schemas_enable);
  EXPECT_EQ(c.exactly_once_source_support, ExactlyOnceSourceSupport::kDisabled);
  EXPECT_EQ(c.producer_buffer_memory, 8 * 1024 * 1024);
  EXPECT_EQ(c.producer_max_block, absl::Seconds(60));
  EXPECT_TRUE(c.topic_creation_enable);
  EXPECT_THAT(c.plugin_path, IsEmpty());
}

TEST(WorkerConfigTest, TypedValuesAreParsed) {
  auto parsed = Parse(
      std::string(kMinimal) +
      "bootstrap.servers = a:9092, b:9093\n"
      "offset.storage.partitions=-1\n"
      "offset.storage.replication.factor=1\n"
      "status.storage.partitions=2\n"
      "config.storage.replication.factor=-1\n"
      "offset.flush.interval.ms=1000\n"
      "offset.flush.timeout.ms=250\n"
      "plugin.path=/opt/a, /opt/b,,\n"
      "key.converter.schemas.enable=FALSE\n"
      "value.converter.schemas.enable=false\n"
      "value.converter.decimal.format=NUMERIC\n"
      "producer.linger.ms=5\n"
      "producer.compression.type=zstd\n"
      "producer.buffer.memory=1048576\n"
      "producer.max.block.ms=100\n"
      "consumer.fetch.max.bytes=1000\n"
      "exactly.once.source.support=Preparing\n"
      "config.providers=file\n"
      "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const WorkerConfig& c = parsed->config;
  EXPECT_EQ(c.bootstrap_servers, "a:9092,b:9093");
  EXPECT_EQ(c.offset_storage.partitions, -1);
  EXPECT_EQ(c.offset_storage.replication_factor, 1);
  EXPECT_EQ(c.status_storage.partitions, 2);
  EXPECT_EQ(c.config_storage.replication_factor, -1);
  EXPECT_EQ(c.offset_flush_interval, absl::Seconds(1));
  EXPECT_EQ(c.offset_flush_timeout, absl::Milliseconds(250));
  EXPECT_THAT(c.plugin_path, ElementsAre("/opt/a", "/opt/b"));
  EXPECT_FALSE(c.key_converter.schemas_enable);
  EXPECT_FALSE(c.value_converter.schemas_enable);
  EXPECT_EQ(c.value_converter.properties.at("decimal.format"), "NUMERIC");
  EXPECT_EQ(c.producer_overrides.size(), 2u);
  EXPECT_EQ(c.producer_overrides.at("linger.ms"), "5");
  EXPECT_EQ(c.producer_overrides.at("compression.type"), "zstd");
  EXPECT_FALSE(
      c.producer_overrides.contains("buffer.memory"));  // enforced by Sluice, not librdkafka
  EXPECT_EQ(c.producer_buffer_memory, 1048576);
  EXPECT_EQ(c.producer_max_block, absl::Milliseconds(100));
  EXPECT_EQ(c.consumer_overrides.at("fetch.max.bytes"), "1000");
  EXPECT_EQ(c.exactly_once_source_support, ExactlyOnceSourceSupport::kPreparing);
  EXPECT_THAT(c.config_providers, ElementsAre("file"));
  EXPECT_THAT(parsed->warnings, IsEmpty());
}

TEST(WorkerConfigTest, UnknownAndUnusedKeysAreWarningsWithLineNumbers) {
  auto parsed =
      Parse(std::string(kMinimal) + "offset.flush.intervall.ms=5\nrest.extension.classes=x.Y\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_THAT(parsed->warnings, SizeIs(2));
  EXPECT_THAT(parsed->warnings[0], HasSubstr("unknown key `offset.flush.intervall.ms` (line 8)"));
  EXPECT_THAT(parsed->warnings[1],
              HasSubstr("`rest.extension.classes` (line 9) is a Kafka Connect setting Sluice does not use"));
}

TEST(WorkerConfigTest, Log4jLevelsAndLogFormatAreRead) {
  auto parsed = Parse(std::string(kMinimal) +
                      "log4j.rootLogger=warn, stdout\n"
                      "log4j.logger.connector.orders=DEBUG\n"
                      "log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n"
                      "log.format=json\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.log_format, LogFormat::kJson);
  EXPECT_THAT(parsed->config.log_levels,
              ElementsAre(std::pair<std::string, std::string>{"root", "WARN"},
                          std::pair<std::string, std::string>{"connector.orders", "DEBUG"}));
  ASSERT_THAT(parsed->warnings, SizeIs(1));
  EXPECT_THAT(parsed->warnings[0], HasSubstr("log4j.appender.stdout"));
  EXPECT_EQ(Parse(kMinimal)->config.log_format, LogFormat::kText);

  auto bad = Parse(std::string(kMinimal) + "log4j.logger.worker=LOUD\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("log4j.logger.worker"));
  EXPECT_FALSE(Parse(std::string(kMinimal) + "log.format=xml\n").ok());
}

TEST(WorkerConfigTest, RestListenerIsOffUnlessListenersIsSet) {
  auto parsed = Parse(kMinimal);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.rest_listener, "");
  EXPECT_FALSE(parsed->config.rest_insecure_listener_allowed);
}

TEST(WorkerConfigTest, RestListenerAndAdvertisedKeysAreRead) {
  auto parsed = Parse(std::string(kMinimal) +
                      "listeners=HTTP://:8083\nrest.advertised.host.name=worker-1.example\n"
                      "rest.advertised.port=18083\nrest.advertised.listener=http\n"
                      "sluice.rest.insecure.listener.allowed=true\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->warnings, IsEmpty());
  EXPECT_EQ(parsed->config.rest_listener, ":8083");
  EXPECT_EQ(parsed->config.rest_advertised_host_name, "worker-1.example");
  EXPECT_EQ(parsed->config.rest_advertised_port, 18083);
  EXPECT_EQ(parsed->config.rest_advertised_listener, "http");
  EXPECT_TRUE(parsed->config.rest_insecure_listener_allowed);
}

TEST(WorkerConfigTest, AnHttpsListenerReadsItsPemStores) {
  auto parsed = Parse(std::string(kMinimal) +
                      "listeners=https://127.0.0.1:8443\n"
                      "listeners.https.ssl.keystore.type=PEM\n"
                      "listeners.https.ssl.keystore.location=/etc/sluice/rest.pem\n"
                      "listeners.https.ssl.key.password=secret\n"
                      "listeners.https.ssl.truststore.type=pem\n"
                      "listeners.https.ssl.truststore.location=/etc/sluice/ca.pem\n"
                      "listeners.https.ssl.client.authentication=required\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->warnings, IsEmpty());
  EXPECT_EQ(parsed->config.rest_listener, "127.0.0.1:8443");
  EXPECT_TRUE(parsed->config.rest_https);
  EXPECT_EQ(parsed->config.rest_advertised_listener, "https");
  EXPECT_EQ(parsed->config.rest_ssl_keystore, "/etc/sluice/rest.pem");
  EXPECT_EQ(parsed->config.rest_ssl_key_password, "secret");
  EXPECT_EQ(parsed->config.rest_ssl_truststore, "/etc/sluice/ca.pem");
  EXPECT_TRUE(parsed->config.rest_ssl_client_auth_required);
}

TEST(WorkerConfigTest, RestListenersThatAreNotOneHttpOrHttpsListenerAreRefused) {
  for (const auto& [line, hint] : std::vector<std::pair<std::string, std::string>>{
           {"listeners=https://127.0.0.1:8443", "listeners.https.ssl.keystore.location"},
           {"listeners=https://127.0.0.1:8443\nlisteners.https.ssl.keystore.location=/k.pem\n"
            "listeners.https.ssl.client.authentication=required",
            "listeners.https.ssl.truststore.location"},
           {"listeners.https.ssl.keystore.type=JKS", "PEM stores only"},
           {"listeners.https.ssl.client.authentication=requested", "none or required"},
           {"listeners=http://127.0.0.1:8083,http://127.0.0.1:8084", "one listener for now"},
           {"listeners=127.0.0.1:8083", "expected http://host:port"},
           {"listeners=http://127.0.0.1", "expected http://host:port"},
           {"listeners=http://127.0.0.1:99999", "expected http://host:port"},
           {"rest.advertised.listener=ftp", "expected http or https"},
           {"rest.advertised.port=0", "expected a port"}}) {
    auto parsed = Parse(std::string(kMinimal) + line + "\n");
    ASSERT_FALSE(parsed.ok()) << line;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << line;
    EXPECT_THAT(parsed.status().message(), HasSubstr(hint)) << line;
  }
}

struct BadValueCase {
  std::string line;
  std::string expected_key;
  std::string expected_hint;
};

class WorkerConfigBadValueTest : public ::testing::TestWithParam<BadValueCase> {};

TEST_P(WorkerConfigBadValueTest, IsInvalidArgumentNamingKeyAndAllowedValues) {
  auto parsed = Parse(std::string(kMinimal) + GetParam().line + "\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("`" + GetParam().expected_key + "` (line 8)"));
  EXPECT_THAT(parsed.status().message(), HasSubstr(GetParam().expected_hint));
}

INSTANTIATE_TEST_SUITE_P(
    Values, WorkerConfigBadValueTest,
    ::testing::Values(
        BadValueCase{"offset.flush.interval.ms=soon", "offset.flush.interval.ms", "milliseconds"},
        BadValueCase{"offset.flush.timeout.ms=-5", "offset.flush.timeout.ms", "0 or more"},
        BadValueCase{"offset.storage.partitions=0", "offset.storage.partitions",
                     "-1 for the broker's default"},
        BadValueCase{"status.storage.replication.factor=40000", "status.storage.replication.factor",
                     "up to 32767"},
        BadValueCase{"key.converter.schemas.enable=yes", "key.converter.schemas.enable",
                     "true or false"},
        BadValueCase{"exactly.once.source.support=maybe", "exactly.once.source.support",
                     "disabled, preparing, enabled"},
        BadValueCase{"value.converter=io.confluent.connect.avro.AvroConverter", "value.converter",
                     "org.apache.kafka.connect.json.JsonConverter"},
        BadValueCase{"producer.buffer.memory=0", "producer.buffer.memory",
                     "positive number of bytes"},
        BadValueCase{"bootstrap.servers= , ", "bootstrap.servers", "host:port"},
        BadValueCase{"sluice.admin.listener=8083", "sluice.admin.listener", "host:port"},
        BadValueCase{"sluice.admin.listener=localhost:99999", "sluice.admin.listener", "host:port"},
        BadValueCase{"sluice.admin.insecure.listener.allowed=yes",
                     "sluice.admin.insecure.listener.allowed", "true or false"},
        BadValueCase{"sluice.admin.token.file= ", "sluice.admin.token.file", "token"},
        BadValueCase{"sluice.startup.broker.timeout.ms=-1", "sluice.startup.broker.timeout.ms",
                     "milliseconds"}));

TEST(WorkerConfigTest, ExactlyOnceSourceSupportEnabledIsAccepted) {
  auto parsed = Parse(std::string(kMinimal) + "exactly.once.source.support=Enabled\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.exactly_once_source_support, ExactlyOnceSourceSupport::kEnabled);
}

TEST(WorkerConfigTest, AdminApiListensOnLoopbackByDefaultWithoutTls) {
  auto parsed = Parse(kMinimal);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.admin_listener, "127.0.0.1:8083");
  EXPECT_TRUE(parsed->config.admin_ssl_certificate.empty());
  EXPECT_TRUE(parsed->config.admin_ssl_client_ca.empty());
  EXPECT_TRUE(parsed->config.secrets_dir.empty());
}

TEST(WorkerConfigTest, AdminTlsAndSecretsKeysAreRead) {
  auto parsed = Parse(std::string(kMinimal) +
                      "sluice.admin.listener=0.0.0.0:9443\n"
                      "sluice.admin.ssl.certificate.location=/etc/sluice/server.pem\n"
                      "sluice.admin.ssl.key.location=/etc/sluice/server.key\n"
                      "sluice.admin.ssl.client.ca.location=/etc/sluice/clients-ca.pem\n"
                      "sluice.secrets.dir=/var/lib/sluice/secrets\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->warnings, IsEmpty());
  EXPECT_EQ(parsed->config.admin_listener, "0.0.0.0:9443");
  EXPECT_EQ(parsed->config.admin_ssl_certificate, "/etc/sluice/server.pem");
  EXPECT_EQ(parsed->config.admin_ssl_key, "/etc/sluice/server.key");
  EXPECT_EQ(parsed->config.admin_ssl_client_ca, "/etc/sluice/clients-ca.pem");
  EXPECT_EQ(parsed->config.secrets_dir, "/var/lib/sluice/secrets");
}

TEST(WorkerConfigTest, AdminCertificateWithoutKeyIsRefused) {
  auto parsed = Parse(std::string(kMinimal) + "sluice.admin.ssl.certificate.location=/etc/server.pem\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("sluice.admin.ssl.key.location"));
  auto mtls_only = Parse(std::string(kMinimal) + "sluice.admin.ssl.client.ca.location=/etc/ca.pem\n");
  ASSERT_FALSE(mtls_only.ok());
  EXPECT_THAT(mtls_only.status().message(), HasSubstr("needs the server's own certificate"));
}

// bootstrap.servers among them: Kafka Connect defaults it to localhost:9092, but a worker that
// waits for a broker nobody named only looked hung.
TEST(WorkerConfigTest, MissingRequiredKeyIsNamed) {
  const std::string converters =
      "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
      "value.converter=org.apache.kafka.connect.json.JsonConverter\n";
  for (const auto& [text, key] : std::vector<std::pair<std::string, std::string>>{
           {"bootstrap.servers=b:9092\ngroup.id=g\noffset.storage.topic=o\n"
            "config.storage.topic=c\n",
            "status.storage.topic"},
           {"group.id=g\noffset.storage.topic=o\nconfig.storage.topic=c\n"
            "status.storage.topic=s\n",
            "bootstrap.servers"}}) {
    auto parsed = Parse(text + converters);
    ASSERT_FALSE(parsed.ok()) << key;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("missing required key `" + key + "`"));
  }
}

TEST(WorkerConfigTest, InternalTopicsMustDiffer) {
  auto parsed = Parse(
      "bootstrap.servers=b:9092\ngroup.id=g\noffset.storage.topic=same\nconfig.storage.topic=c\nstatus.storage.topic=same\n"
      "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
      "value.converter=org.apache.kafka.connect.json.JsonConverter\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("`same` is used twice"));
}

TEST(WorkerConfigTest, ConfigProviderWithoutClassIsRejected) {
  auto parsed = Parse(std::string(kMinimal) +
                      "config.providers=file,vault\n"
                      "config.providers.file.class=x.File\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("config.providers.vault.class"));
}

TEST(WorkerConfigTest, TheWorkerRefusesNoOverridesByDefaultUnlikeKafkaConnect) {
  absl::StatusOr<ParsedWorkerConfig> parsed = Parse(kMinimal);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.client_overrides.policy, ClientOverridePolicy::kNone);
  EXPECT_TRUE(parsed->warnings.empty());
  parsed = Parse(std::string(kMinimal) + "connector.client.config.override.policy=All\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.client_overrides.policy, ClientOverridePolicy::kAll);
  parsed = Parse(std::string(kMinimal) + "connector.client.config.override.policy=Some\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("None, Principal or All"));
}

TEST(WorkerConfigTest, TheWorkersOwnClientSettingsRunNoCodeUnlessAllowedByName) {
  absl::StatusOr<ParsedWorkerConfig> parsed =
      Parse(std::string(kMinimal) + "producer.sasl.kerberos.kinit.cmd=kinit -k\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("`producer.sasl.kerberos.kinit.cmd`"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("sluice.client.host.settings.allowed"));
  parsed = Parse(std::string(kMinimal) + "admin.plugin.library.paths=/opt/x.so\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("`admin.plugin.library.paths`"));

  parsed = Parse(std::string(kMinimal) +
                 "producer.sasl.kerberos.kinit.cmd=kinit -k\n"
                 "sluice.client.host.settings.allowed=sasl.kerberos.kinit.cmd\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.producer_overrides.at("sasl.kerberos.kinit.cmd"), "kinit -k");
  parsed = Parse(std::string(kMinimal) + "sluice.client.host.settings.allowed=linger.ms\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("runs no code on the host"));
}

}  // namespace
}  // namespace sluice::config
