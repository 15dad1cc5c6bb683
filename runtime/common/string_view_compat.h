// Debian's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view is its own
// type and absl::StrCat / absl::Status do not accept std::string_view. These two conversions keep
// our interfaces on std::string_view without copying. Header-only; reached through the runtime/
// include directory.
#ifndef SLUICE_RUNTIME_COMMON_STRING_VIEW_COMPAT_H_
#define SLUICE_RUNTIME_COMMON_STRING_VIEW_COMPAT_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace sluice {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

namespace internal_compat {
template <typename T>
decltype(auto) Adapt(const T& v) {
  if constexpr (std::is_convertible_v<const T&, std::string_view> &&
                !std::is_convertible_v<const T&, absl::string_view>) {
    return ToAbsl(std::string_view(v));
  } else {
    return (v);
  }
}
}  // namespace internal_compat

// absl::StrCat that also takes std::string_view.
template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(internal_compat::Adapt(args)...);
}

}  // namespace sluice

#endif  // SLUICE_RUNTIME_COMMON_STRING_VIEW_COMPAT_H_
