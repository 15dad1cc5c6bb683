#include "runtime/worker/exactly_once_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sluice::worker {
namespace {

constexpr char kSupportKey[] = "exactly.once.support";
constexpr char kBoundaryKey[] = "transaction.boundary";
constexpr char kIntervalKey[] = "transaction.boundary.interval.ms";
constexpr char kOffsetsTopicKey[] = "offsets.storage.topic";

std::string Normalized(const std::string& value) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
}

}  // namespace

ExactlyOnceConfig ParseExactlyOnceConfig(const ConfigMap& config, KeyErrors* errors) {
  ExactlyOnceConfig parsed;
  for (const auto& [key, value] : config) {
    if (key == kSupportKey) {
      const std::string v = Normalized(value);
      if (v == "requested") {
        parsed.support = ExactlyOnceSupportLevel::kRequested;
      } else if (v == "required") {
        parsed.support = ExactlyOnceSupportLevel::kRequired;
      } else {
        errors->emplace_back(key, absl::StrCat("invalid value '", value,
                                               "': expected requested or required (any case)"));
      }
    } else if (key == kBoundaryKey) {
      const std::string v = Normalized(value);
      if (v == "poll") {
        parsed.boundary = TransactionBoundary::kPoll;
      } else if (v == "interval") {
        parsed.boundary = TransactionBoundary::kInterval;
      } else if (v == "connector") {
        parsed.boundary = TransactionBoundary::kConnector;
      } else {
        errors->emplace_back(key,
                             absl::StrCat("invalid value '", value,
                                          "': expected poll, interval or connector (any case)"));
      }
    } else if (key == kIntervalKey) {
      int64_t ms = 0;
      if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(value), &ms) || ms < 0) {
        errors->emplace_back(
            key, absl::StrCat("invalid value '", value, "': expected milliseconds >= 0"));
      } else {
        parsed.boundary_interval = absl::Milliseconds(ms);
      }
    } else if (key == kOffsetsTopicKey) {
      std::string v(absl::StripAsciiWhitespace(value));
      if (v.empty()) {
        errors->emplace_back(key,
                             "must not be empty: name a topic, or leave the key out to use "
                             "the worker's offset.storage.topic");
      } else {
        parsed.offsets_topic = std::move(v);
      }
    }
  }
  return parsed;
}

KeyErrors ExactlyOnceRefusals(const ConfigMap& config, const plugin::Plugin& plugin,
                              config::ExactlyOnceSourceSupport worker_support) {
  KeyErrors errors;
  const ExactlyOnceConfig parsed = ParseExactlyOnceConfig(config, &errors);
  for (const auto& [key, error] : errors) {
    // A bad value of a key is its only error: the checks below read the defaults in its place.
    if (key == kSupportKey || key == kBoundaryKey) return errors;
  }
  if (parsed.support == ExactlyOnceSupportLevel::kRequired) {
    if (worker_support != config::ExactlyOnceSourceSupport::kEnabled) {
      errors.emplace_back(kSupportKey,
                          "this worker does not have exactly-once source support enabled "
                          "(exactly.once.source.support=enabled in the worker's config)");
    }
    switch (plugin.exactly_once_support()) {
      case SLUICE_EXACTLY_ONCE_SUPPORTED:
        break;
      case SLUICE_EXACTLY_ONCE_UNSUPPORTED:
        errors.emplace_back(kSupportKey,
                            absl::StrCat("connector ", plugin.name(),
                                         " does not support exactly-once semantics with the "
                                         "given configuration"));
        break;
      case SLUICE_EXACTLY_ONCE_NOT_SAID:
        errors.emplace_back(
            kSupportKey,
            absl::StrCat("connector ", plugin.name(),
                         " does not say whether it supports exactly-once delivery (its "
                         "descriptor's exactly_once_support, connector ABI 1.5), so the "
                         "preflight check `required` asks for cannot pass; read the connector's "
                         "documentation, and if it does support it set exactly.once.support="
                         "requested (no preflight check)"));
        break;
    }
  }
  if (parsed.boundary == TransactionBoundary::kConnector &&
      !plugin.defines_transaction_boundaries()) {
    errors.emplace_back(kBoundaryKey,
                        absl::StrCat("connector ", plugin.name(),
                                     " does not define its own transaction boundaries; use "
                                     "transaction.boundary=poll or interval"));
  }
  return errors;
}

std::string TaskTransactionalId(const std::string& group_id, const std::string& connector,
                                int task_id) {
  return absl::StrCat(group_id, "-", connector, "-", task_id);
}

}  // namespace sluice::worker
