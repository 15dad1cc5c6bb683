#include "runtime/transform/transform_options.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::transform {

const std::string* TransformOptions::Find(std::string_view name) {
  if (std::find(known_.begin(), known_.end(), name) == known_.end()) known_.emplace_back(name);
  const std::string* found = nullptr;
  for (const auto& [k, v] : given_) {
    if (k == name) found = &v;  // the last one wins, as in a properties file
  }
  return found;
}

void TransformOptions::Problem(std::string_view name, std::string message) {
  failed_ = true;
  problems_->push_back({absl::StrCat(prefix_, ToAbsl(name)), std::move(message)});
}

bool TransformOptions::Has(std::string_view name) { return Find(name) != nullptr; }

std::string TransformOptions::String(std::string_view name, std::string_view fallback) {
  const std::string* v = Find(name);
  if (v == nullptr) return std::string(fallback);
  return std::string(absl::StripAsciiWhitespace(*v));
}

std::string TransformOptions::RequiredString(std::string_view name, std::string_view what) {
  std::string v = String(name);
  if (v.empty()) {
    Problem(name, absl::StrCat("is required by ", class_name_, ": ", ToAbsl(what)));
  }
  return v;
}

bool TransformOptions::Bool(std::string_view name, bool fallback) {
  const std::string* v = Find(name);
  if (v == nullptr) return fallback;
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*v));
  if (lower == "true") return true;
  if (lower == "false") return false;
  Problem(name, absl::StrCat("must be true or false, not `", *v, "`"));
  return fallback;
}

int32_t TransformOptions::Int(std::string_view name, int32_t fallback, int32_t min) {
  const std::string* v = Find(name);
  if (v == nullptr) return fallback;
  int32_t x = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*v), &x) || x < min) {
    Problem(name, absl::StrCat("must be an integer >= ", min, ", not `", *v, "`"));
    return fallback;
  }
  return x;
}

std::vector<std::string> TransformOptions::List(std::string_view name) {
  std::vector<std::string> items;
  const std::string* v = Find(name);
  if (v == nullptr) return items;
  for (absl::string_view item : absl::StrSplit(*v, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::string TransformOptions::Enum(std::string_view name, std::string_view fallback,
                                   std::initializer_list<std::string_view> allowed) {
  const std::string* v = Find(name);
  if (v == nullptr) return std::string(fallback);
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*v));
  for (std::string_view a : allowed) {
    if (lower == absl::AsciiStrToLower(ToAbsl(a))) return std::string(a);
  }
  std::vector<std::string> names(allowed.begin(), allowed.end());
  Problem(name, absl::StrCat("must be one of ", absl::StrJoin(names, ", "), ", not `", *v, "`"));
  return std::string(fallback);
}

std::optional<JavaRegex> TransformOptions::Regex(std::string_view name, bool required) {
  const std::string v =
      required ? RequiredString(name, "a regular expression (Java syntax)") : String(name);
  if (v.empty()) return std::nullopt;
  absl::StatusOr<JavaRegex> regex = JavaRegex::Compile(v);
  if (!regex.ok()) {
    Problem(name, std::string(regex.status().message()));
    return std::nullopt;
  }
  return *std::move(regex);
}

void TransformOptions::Finish() {
  for (const auto& [k, v] : given_) {
    if (std::find(known_.begin(), known_.end(), k) != known_.end()) continue;
    std::vector<std::string> known = known_;
    std::sort(known.begin(), known.end());
    Problem(k, absl::StrCat("is not an option of ", class_name_,
                            known.empty() ? std::string("; it takes none")
                                          : absl::StrCat("; it takes: ", absl::StrJoin(known, ", ")),
                            " (docs/transforms.md)"));
    known_.push_back(k);  // one problem per key, however often it is given
  }
}

}  // namespace sluice::transform
