// Aligned text tables for the CLI's default output.
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

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_TABLE_H_
