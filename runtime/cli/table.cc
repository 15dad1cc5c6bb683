#include "runtime/cli/table.h"

#include <algorithm>

namespace sluice::cli {

std::string Table::Render() const {
  std::vector<size_t> width;
  for (const auto& row : rows_) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

std::string RenderUsage(const std::vector<UsageEntry>& entries, size_t help_column) {
  constexpr size_t kWidth = 100;
  std::string out;
  for (const UsageEntry& e : entries) {
    std::string line = "  " + e.usage;
    // A usage wider than the page breaks after a '|' or before a ' ', the rest indented.
    while (line.size() > kWidth) {
      const size_t cut = line.find_last_of("| ", kWidth - 1);
      if (cut == std::string::npos || cut <= 2) break;
      const size_t keep = line[cut] == '|' ? cut + 1 : cut;
      out += line.substr(0, keep) + '\n';
      line = "      " + line.substr(line[cut] == '|' ? cut + 1 : cut + 1);
    }
    if (!e.help.empty()) {
      if (line.size() + 2 > help_column) {
        out += line + '\n';
        line.clear();
      }
      line.resize(help_column, ' ');
      line += e.help;
    }
    out += line + '\n';
  }
  return out;
}

}  // namespace sluice::cli
