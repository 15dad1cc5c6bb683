#include "runtime/kafka/client_config.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/kafka/client_log.h"

namespace sluice::kafka {

absl::StatusOr<ConfHandle> BuildConf(const ClientSettings& defaults,
                                     const std::map<std::string, std::string>& overrides,
                                     absl::string_view override_prefix) {
  ConfHandle conf(rd_kafka_conf_new());
  RouteClientLog(conf.get());
  char errstr[512];
  // Every client: what Kafka's own Java clients and broker do unconditionally. With Nagle's
  // algorithm on (librdkafka's default) a small request waits for the previous one's
  // acknowledgement while requests are in flight, which showed in the latency tail.
  ClientSettings settings = {{"socket.nagle.disable", "true"}};
  settings.insert(settings.end(), defaults.begin(), defaults.end());
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("librdkafka setting `", key, "`=\"", value, "\": ", errstr));
    }
  }
  for (const auto& [key, value] : overrides) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(
          absl::StrCat("worker config: `", override_prefix, key, "`=\"", value,
                       "\" is not accepted by librdkafka: ", errstr,
                       " (see librdkafka's CONFIGURATION.md for the names it knows)"));
    }
  }
  return conf;
}

std::string ConfValue(rd_kafka_conf_t* conf, const char* key) {
  char buf[512];
  size_t size = sizeof buf;
  if (rd_kafka_conf_get(conf, key, buf, &size) != RD_KAFKA_CONF_OK) return "";
  return std::string(buf);
}

}  // namespace sluice::kafka
