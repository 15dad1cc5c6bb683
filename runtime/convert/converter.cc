#include "runtime/convert/converter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/convert/json_converter.h"

namespace sluice::convert {

absl::StatusOr<std::unique_ptr<Converter>> CreateConverter(
    std::string_view class_name,
    const std::vector<std::pair<std::string, std::string>>& properties) {
  if (class_name != kJsonConverterClass) {
    return absl::InvalidArgumentError(
        StrCat("converter class `", class_name, "` is not supported; use ", kJsonConverterClass));
  }
  JsonConverterOptions options;
  for (const auto& [key, raw] : properties) {
    std::string value = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    if (key == "schemas.enable") {
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            StrCat("converter property `schemas.enable` must be true or false, not `", raw, "`"));
      }
      options.schemas_enable = value == "true";
    } else if (key == "schemas.cache.size") {
      int64_t size = 0;
      if (!absl::SimpleAtoi(value, &size) || size < 1) {
        return absl::InvalidArgumentError(StrCat(
            "converter property `schemas.cache.size` must be a positive integer, not `", raw, "`"));
      }
      options.schema_cache_size = static_cast<size_t>(size);
    } else if (key == "decimal.format" && value != "base64") {
      return absl::InvalidArgumentError(StrCat("converter property `decimal.format` = `", raw,
                                               "` is not supported; only BASE64"));
    } else if (key == "replace.null.with.default" && value != "true") {
      return absl::InvalidArgumentError(StrCat("converter property `replace.null.with.default` = `",
                                               raw, "` is not supported; only true"));
    }
    // converter.type is set by the worker (key or value); other keys are Kafka Connect's to ignore.
  }
  return std::unique_ptr<Converter>(new JsonConverter(options));
}

}  // namespace sluice::convert
