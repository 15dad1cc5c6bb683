// Aligned text for the CLI: tables for its default output, and its usage lists.
#ifndef SLUICE_RUNTIME_CLI_TABLE_H_
#define SLUICE_RUNTIME_CLI_TABLE_H_

#include <string>
#include <vector>

namespace sluice::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns padded to their widest cell, two spaces apart, no trailing blanks.
  std::string Render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// A usage list: one "  <usage>  <help>" line per entry, every help starting at `help_column`;
// a usage too long to leave two spaces before it puts its help on the next line, at that column.
// A usage wider than 100 columns continues on indented lines (broken after a '|' or at a space).
struct UsageEntry {
  std::string usage;
  std::string help;
};
std::string RenderUsage(const std::vector<UsageEntry>& entries, size_t help_column);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_TABLE_H_
