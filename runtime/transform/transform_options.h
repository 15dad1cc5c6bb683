// The options of one transform or predicate (`transforms.<alias>.*` or `predicates.<alias>.*`),
// read through typed getters that check each value as Kafka Connect's ConfigDef parses it
// (strings trimmed, booleans true/false in any case, lists split on commas) and record every
// problem under the option's full key, with the reason and the fix.
//
// An option no getter asked for is unknown to the transform: Finish() refuses it, listing the
// options the transform takes (Kafka Connect would ignore it silently; a misspelt option here
// never changes nothing without a word).
//
// Thread-safety: none; used while a chain is built.
#ifndef SLUICE_RUNTIME_TRANSFORM_TRANSFORM_OPTIONS_H_
#define SLUICE_RUNTIME_TRANSFORM_TRANSFORM_OPTIONS_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/config_map.h"
#include "runtime/transform/java_regex.h"

namespace sluice::transform {

// One problem with a config key: the key as the user wrote it and what is wrong, with the fix.
struct ConfigProblem {
  std::string key;
  std::string message;
};

class TransformOptions {
 public:
  // `prefix` is e.g. "transforms.unwrap." ; `given` the keys under it with the prefix stripped;
  // `class_name` the type, for messages.
  TransformOptions(std::string prefix, std::string class_name, ConfigMap given,
                   std::vector<ConfigProblem>* problems)
      : prefix_(std::move(prefix)),
        class_name_(std::move(class_name)),
        given_(std::move(given)),
        problems_(problems) {}

  const std::string& class_name() const { return class_name_; }
  bool Has(std::string_view name);
  // Trimmed; `fallback` when absent.
  std::string String(std::string_view name, std::string_view fallback = "");
  // A problem when absent or empty (`what` says what the value is for).
  std::string RequiredString(std::string_view name, std::string_view what);
  bool Bool(std::string_view name, bool fallback);
  int32_t Int(std::string_view name, int32_t fallback, int32_t min);
  // Comma-separated, each item trimmed, empty items dropped.
  std::vector<std::string> List(std::string_view name);
  // One of `allowed` (any case), returned as spelt in `allowed`.
  std::string Enum(std::string_view name, std::string_view fallback,
                   std::initializer_list<std::string_view> allowed);
  // nullopt when absent (and not required) or when it does not compile (a problem recorded).
  std::optional<JavaRegex> Regex(std::string_view name, bool required);

  // Records a problem with option `name`.
  void Problem(std::string_view name, std::string message);
  bool failed() const { return failed_; }

  // Refuses the options no getter asked for. Call once, after the transform read its options.
  void Finish();

 private:
  const std::string* Find(std::string_view name);

  std::string prefix_;
  std::string class_name_;
  ConfigMap given_;
  std::vector<std::string> known_;
  std::vector<ConfigProblem>* problems_;
  bool failed_ = false;
};

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TRANSFORM_OPTIONS_H_
