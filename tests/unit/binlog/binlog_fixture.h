// Reading the binlog files of testdata/ (written by real servers) for the tests: the file's
// bytes, each event decoded in order, and a rows event's row changes.
#ifndef SLUICE_TESTS_UNIT_BINLOG_BINLOG_FIXTURE_H_
#define SLUICE_TESTS_UNIT_BINLOG_BINLOG_FIXTURE_H_

#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/binlog/binlog_file.h"
#include "sluice/binlog/decoder.h"

namespace sluice::binlog::testing {

inline std::vector<uint8_t> ReadFixture(const std::string& name) {
  std::ifstream in(std::string(SLUICE_BINLOG_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

// Decodes every event of `bytes` (a whole binlog file named `file`) with one decoder, in order,
// handing each to `visit` with that decoder. A failure fails the test. Events view `bytes`.
inline void DecodeFixture(const std::vector<uint8_t>& bytes, const std::string& file,
                          const std::function<void(Event&, BinlogDecoder&)>& visit) {
  EventSplitter split(bytes, file);
  BinlogDecoder decoder(DecoderOptions{.initial_file = file});
  RawEvent raw;
  while (true) {
    absl::StatusOr<bool> more = split.Next(&raw);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    absl::StatusOr<Event> e = decoder.Decode(raw.bytes, raw.position);
    ASSERT_TRUE(e.ok()) << e.status();
    visit(*e, decoder);
  }
}

// Every row change of a rows event, in order. A row that does not decode fails the test.
inline std::vector<RowChange> RowChangesOf(const RowsEvent& rows) {
  std::vector<RowChange> changes;
  RowReader reader(rows);
  RowChange change;
  while (true) {
    absl::StatusOr<bool> next = reader.Next(change);
    EXPECT_TRUE(next.ok()) << next.status();
    if (!next.ok() || !*next) break;
    changes.push_back(change);
  }
  return changes;
}

}  // namespace sluice::binlog::testing

#endif  // SLUICE_TESTS_UNIT_BINLOG_BINLOG_FIXTURE_H_
