#include "runtime/plugin/plugin_registry.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/plugin/transform_library.h"

namespace sluice::plugin {
namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool EndsWithSo(const std::string& name) {
  return name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0;
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
  std::vector<absl::string_view> pa = absl::StrSplit(ToAbsl(a), '.');
  std::vector<absl::string_view> pb = absl::StrSplit(ToAbsl(b), '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    std::string_view x = i < pa.size() ? ToStd(pa[i]) : "0";
    std::string_view y = i < pb.size() ? ToStd(pb[i]) : "0";
    if (IsDigits(x) && IsDigits(y)) {
      // Compare as numbers without overflow: strip leading zeros, then length, then digits.
      while (x.size() > 1 && x[0] == '0') x.remove_prefix(1);
      while (y.size() > 1 && y[0] == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    }
    if (int c = x.compare(y); c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

std::vector<std::string> PluginRegistry::SplitPluginPath(std::string_view plugin_path) {
  std::vector<std::string> dirs;
  for (absl::string_view part : absl::StrSplit(ToAbsl(plugin_path), ',')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(part);
    if (!trimmed.empty()) dirs.emplace_back(trimmed);
  }
  return dirs;
}

std::vector<absl::Status> PluginRegistry::LoadPluginPath(std::string_view plugin_path) {
  std::vector<absl::Status> refusals;
  for (const std::string& dir : SplitPluginPath(plugin_path)) {
    std::vector<absl::Status> r = LoadDirectory(dir);
    refusals.insert(refusals.end(), r.begin(), r.end());
  }
  return refusals;
}

std::vector<absl::Status> PluginRegistry::LoadDirectory(const std::string& dir) {
  std::vector<absl::Status> refusals;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    refusals.push_back(absl::NotFoundError(
        StrCat("plugin.path directory ", dir, " cannot be read: ", ec.message())));
    return refusals;
  }
  std::vector<std::string> files;
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    if (EndsWithSo(name)) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // a stable order decides which duplicate wins
  for (const std::string& file : files) {
    absl::StatusOr<std::shared_ptr<const Plugin>> loaded = LoadFile(file);
    if (!loaded.ok()) refusals.push_back(loaded.status());
  }
  return refusals;
}

absl::StatusOr<std::shared_ptr<const Plugin>> PluginRegistry::LoadFile(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& p : plugins_) {
      if (p->path() == path) {
        return absl::AlreadyExistsError(StrCat("plugin ", path, " is already loaded"));
      }
    }
    if (std::find(transform_paths_.begin(), transform_paths_.end(), path) != transform_paths_.end()) {
      return absl::AlreadyExistsError(StrCat("plugin ", path, " is already loaded"));
    }
  }
  // Loading happens outside the lock: it runs plugin code and may be slow.
  absl::StatusOr<SharedLibrary> library = OpenCheckedLibrary(path);
  if (!library.ok()) return library.status();
  if (IsTransformLibrary(*library)) {
    absl::StatusOr<std::shared_ptr<const TransformLibrary>> transforms =
        TransformLibraryFrom(*std::move(library));
    if (!transforms.ok()) return transforms.status();
    std::lock_guard<std::mutex> lock(mu_);  // one registration at a time: names checked, then added
    if (absl::Status s = RegisterTransformLibrary(*transforms, log_); !s.ok()) return s;
    transform_paths_.push_back(path);
    std::vector<std::string> classes;
    for (const sluice_transform_descriptor* d : (*transforms)->descriptors()) {
      classes.push_back(StrCat(d->class_name, " ", d->version));
    }
    log_(LogLevel::kInfo, "worker",
         StrCat("transform plugin ", path, ": ", absl::StrJoin(classes, ", ")));
    return std::shared_ptr<const Plugin>();
  }
  absl::StatusOr<std::shared_ptr<const Plugin>> plugin = PluginFromLibrary(*std::move(library));
  if (!plugin.ok()) return plugin.status();
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> names = (*plugin)->aliases();
  names.push_back((*plugin)->name());
  for (const auto& p : plugins_) {
    if (p->version() != (*plugin)->version()) continue;
    for (const std::string& name : names) {
      if (!p->AnswersTo(name)) continue;
      // Returning drops the last reference, which unloads the refused copy.
      return absl::AlreadyExistsError(StrCat("plugin ", path, " refused: connector `", name,
                                             "` version ", p->version(), " is already loaded from ",
                                             p->path(), " (as `", p->name(), "`)"));
    }
  }
  plugins_.push_back(*plugin);
  return *plugin;
}

std::shared_ptr<const Plugin> PluginRegistry::Find(std::string_view name,
                                                   std::string_view version) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<const Plugin> best;
  for (const auto& p : plugins_) {
    if (!p->AnswersTo(name)) continue;
    if (!version.empty()) {
      if (p->version() == version) return p;
      continue;
    }
    if (best == nullptr || CompareVersions(p->version(), best->version()) > 0) best = p;
  }
  return best;
}

std::vector<std::shared_ptr<const Plugin>> PluginRegistry::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  return plugins_;
}

}  // namespace sluice::plugin
