// `sluice binlog inspect`, run as users run it: the `sluice` binary, which hands the command to
// `sluice-binlog` beside it. On a file a real MariaDB 10.11 wrote (tests/unit/binlog/testdata)
// and on files built event by event (tests/unit/binlog/binlog_builder.h) that hold what the tool
// must never print as if it were fine.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/unit/binlog/binlog_builder.h"

namespace sluice::cli {
namespace {

using ::sluice::binlog::ColumnType;
using ::sluice::binlog::EventType;
using ::sluice::binlog::testing::AllColumns;
using ::sluice::binlog::testing::Bytes;
using ::sluice::binlog::testing::MakeEvent;
using ::sluice::binlog::testing::MakeFormatDescription;
using ::sluice::binlog::testing::OptionalField;
using ::sluice::binlog::testing::RowsData;
using ::sluice::binlog::testing::TableMapData;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kRealFile = std::string(SLUICE_BINLOG_TESTDATA) + "/mariadb-10.11-all-types.bin";

struct Result {
  int code;
  std::string output;
  std::string errors;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `<sluice> ARGS...` through the shell (arguments hold no quotes), with `env` before it.
Result RunBinary(const std::string& sluice, const std::vector<std::string>& args,
                 const std::string& env = "") {
  const std::string out = ::testing::TempDir() + "/binlog_command.out";
  const std::string err = ::testing::TempDir() + "/binlog_command.err";
  std::string command = env + " '" + sluice + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
}

Result Inspect(std::vector<std::string> args) {
  args.insert(args.begin(), {"binlog", "inspect"});
  return RunBinary(SLUICE_CLI_BINARY, args);
}

// Each line of `output` parses as a JSON object; returns them.
std::vector<rapidjson::Document> JsonLines(const std::string& output) {
  std::vector<rapidjson::Document> docs;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    for (char c : line) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "raw control in " << line;
    rapidjson::Document& doc = docs.emplace_back();
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str());
    EXPECT_TRUE(!doc.HasParseError() && doc.IsObject()) << line;
  }
  return docs;
}

// A MySQL binlog file made of events built here: FORMAT_DESCRIPTION first, each event at the
// file offset it lands on.
class BinlogFile {
 public:
  BinlogFile() {
    bytes_ = {0xfe, 'b', 'i', 'n'};
    Append(MakeFormatDescription("8.4.3", /*crc32=*/false, {.start_position = 4}));
  }
  // Returns the event's position.
  size_t Add(EventType type, const Bytes& data) {
    const size_t position = bytes_.size();
    Append(MakeEvent(type, data, {.start_position = static_cast<uint32_t>(position)}));
    return position;
  }
  // Table 7, `shop`.`docs`: id INT NOT NULL, doc JSON, note VARCHAR(200) utf8mb4.
  size_t AddDocsTableMap() {
    Bytes names;
    names.PackedStr("id").PackedStr("doc").PackedStr("note");
    Bytes optional;
    optional.Append(OptionalField(4, names));
    optional.Append(OptionalField(2, Bytes().Packed(45)));  // default charset utf8mb4
    return Add(EventType::kTableMap, TableMapData(7, "shop", "docs",
                                                  {{ColumnType::kLong, {}, false},
                                                   {ColumnType::kJson, Bytes{1}},
                                                   {ColumnType::kVarchar, Bytes().U16(800)}},
                                                  optional));
  }
  size_t AddDocsRows(const Bytes& rows) {
    return Add(EventType::kWriteRowsV2, RowsData(7, 2, 3, AllColumns(3), nullptr, rows));
  }
  std::string Write(const std::string& name) const {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()),
               static_cast<std::streamsize>(bytes_.size()));
    return path;
  }

 private:
  void Append(const std::vector<uint8_t>& event) {
    bytes_.insert(bytes_.end(), event.begin(), event.end());
  }
  std::vector<uint8_t> bytes_;
};

// One row of `shop`.`docs`: nothing NULL, the JSON column's bytes and the note as given.
Bytes DocsRow(uint32_t id, const Bytes& json, std::string_view note) {
  Bytes row;
  row.U8(0).U32(id).U8(json.size()).Append(json).U16(note.size()).Str(note);
  return row;
}

const Bytes kJsonTrue{0x04, 0x01};          // the literal true
const Bytes kDamagedJson{0x0c, 0x05, 'a'};  // a string of 5 bytes that holds 1

TEST(BinlogCommand, PrintsEventsWithPositionsTablesColumnsAndValues) {
  Result result = Inspect({kRealFile});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_THAT(result.output, HasSubstr("# at 4 "));
  EXPECT_THAT(result.output, HasSubstr("FORMAT_DESCRIPTION_EVENT"));
  EXPECT_THAT(result.output, HasSubstr("GTID 0-1-16"));
  EXPECT_THAT(result.output, HasSubstr("TABLE_MAP_EVENT"));
  EXPECT_THAT(result.output, HasSubstr("all_types"));
  EXPECT_THAT(result.output, HasSubstr("WRITE_ROWS"));
  EXPECT_EQ(result.errors, "");
}

TEST(BinlogCommand, JsonIsOneValidObjectPerLine) {
  Result result = Inspect({kRealFile, "--json"});
  ASSERT_EQ(result.code, 0) << result.errors;
  std::vector<rapidjson::Document> docs = JsonLines(result.output);
  EXPECT_GT(docs.size(), 5u);
  int rows = 0;
  for (const rapidjson::Document& doc : docs) {
    if (doc.IsObject() && doc.HasMember("rows")) rows += static_cast<int>(doc["rows"].Size());
  }
  EXPECT_GT(rows, 0);
}

TEST(BinlogCommand, PositionsZoomIn) {
  Result result = Inspect({kRealFile, "--start-position=389", "--stop-position=1222"});
  ASSERT_EQ(result.code, 0) << result.errors;
  EXPECT_THAT(result.output, HasSubstr("# at 389 "));
  EXPECT_THAT(result.output, HasSubstr("# at 431 "));
  EXPECT_THAT(result.output, Not(HasSubstr("# at 4 ")));
  EXPECT_THAT(result.output, Not(HasSubstr("# at 1222 ")));
}

TEST(BinlogCommand, ATruncatedFileSaysWhereAndFails) {
  const std::string bytes = Slurp(kRealFile);
  ASSERT_GT(bytes.size(), 1300u);
  const std::string truncated = ::testing::TempDir() + "/truncated-binlog.bin";
  std::ofstream(truncated, std::ios::binary) << bytes.substr(0, 1240);  // cuts the event at 1222
  Result result = Inspect({truncated});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.output, HasSubstr("# at 431 "));  // everything before the damage
  EXPECT_THAT(result.errors, HasSubstr("1222"));
}

TEST(BinlogCommand, BadUsageExitsTwo) {
  EXPECT_EQ(Inspect({}).code, 2);
  Result result = Inspect({kRealFile, "--frobnicate"});
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.errors, HasSubstr("usage: sluice binlog inspect FILE"));
}

// The JSON column of row 1 does not decode: the row is not shown as if it did (no comment or
// half text as the value), the error names where it is, and the exit status says so.
TEST(BinlogCommand, DamagedBinaryJsonIsAnErrorNeverAValue) {
  BinlogFile file;
  file.AddDocsTableMap();
  Bytes rows = DocsRow(1, kJsonTrue, "fine");
  rows.Append(DocsRow(2, kDamagedJson, "row-two"));
  rows.Append(DocsRow(3, kJsonTrue, "after"));
  const size_t position = file.AddDocsRows(rows);
  const std::string path = file.Write("damaged-json.bin");
  const std::string where = "WRITE_ROWS_EVENT at damaged-json.bin:" + std::to_string(position) +
                            ": row 1, column 1 `doc`: binary JSON: string runs past its container";

  Result text = Inspect({path});
  EXPECT_EQ(text.code, 1);
  EXPECT_THAT(text.errors, HasSubstr(where));
  EXPECT_THAT(text.output, HasSubstr("###   @2=true /* doc */"));  // row 0
  EXPECT_THAT(text.output, HasSubstr("### ERROR: " + where));
  EXPECT_THAT(text.output, Not(HasSubstr("row-two")));
  EXPECT_THAT(text.output, Not(HasSubstr("/* binary JSON")));

  Result json = Inspect({path, "--json"});
  EXPECT_EQ(json.code, 1);
  EXPECT_THAT(json.errors, HasSubstr(where));
  std::vector<rapidjson::Document> docs = JsonLines(json.output);
  ASSERT_EQ(docs.size(), 3u);  // FORMAT_DESCRIPTION, TABLE_MAP, WRITE_ROWS
  const rapidjson::Document& event = docs[2];
  ASSERT_TRUE(event.HasMember("rows") && event.HasMember("error")) << json.output;
  ASSERT_EQ(event["rows"].Size(), 1u);
  EXPECT_STREQ(event["rows"][0]["after"]["doc"].GetString(), "true");
  EXPECT_THAT(event["error"].GetString(), HasSubstr(where));
  EXPECT_THAT(json.output, Not(HasSubstr("/*")));
}

// A row whose bytes end too soon fails the run in both forms (it used to exit 0 with --json).
TEST(BinlogCommand, ARowThatDoesNotDecodeFailsInBothForms) {
  BinlogFile file;
  file.AddDocsTableMap();
  Bytes rows = DocsRow(1, kJsonTrue, "fine");
  rows.U8(0).U32(2).U8(40).U8(0x04);  // says 40 bytes of JSON, holds 1
  const size_t position = file.AddDocsRows(rows);
  const std::string path = file.Write("short-row.bin");
  for (bool as_json : {false, true}) {
    Result result = as_json ? Inspect({path, "--json"}) : Inspect({path});
    EXPECT_EQ(result.code, 1) << result.output;
    EXPECT_THAT(result.errors, HasSubstr("short-row.bin:" + std::to_string(position) + ": row 1"));
    if (as_json) JsonLines(result.output);
  }
}

// Every control character escaped (0x1A-0x1F too, which RapidJSON's SSE2 copy leaves raw in
// long strings), and text that is not UTF-8 as hex, so that a JSON parser reads every line.
TEST(BinlogCommand, JsonLinesStayValidWhateverTheTextHolds) {
  BinlogFile file;
  file.AddDocsTableMap();
  const std::string controls = std::string(20, 'a') + "\x1a\x1b\x1c\x1d\x1e\x1f" +
                               std::string(20, 'b') + "\x01\x1f\t\n" + std::string(20, 'c');
  Bytes rows = DocsRow(1, kJsonTrue, controls);
  rows.Append(DocsRow(2, kJsonTrue, "caf\xE9"));  // latin1 bytes in a utf8mb4 column
  file.AddDocsRows(rows);
  Result result = Inspect({file.Write("controls.bin"), "--json"});
  ASSERT_EQ(result.code, 0) << result.errors;
  std::vector<rapidjson::Document> docs = JsonLines(result.output);
  ASSERT_EQ(docs.size(), 3u);
  const rapidjson::Value& rows_json = docs[2]["rows"];
  ASSERT_EQ(rows_json.Size(), 2u);
  EXPECT_EQ(std::string(rows_json[0]["after"]["note"].GetString(),
                        rows_json[0]["after"]["note"].GetStringLength()),
            controls);
  EXPECT_STREQ(rows_json[1]["after"]["note"].GetString(), "0x636166e9");
}

TEST(BinlogCommand, AnEventTypeTheDecoderDoesNotKnowFailsTheRunNamingItsPosition) {
  BinlogFile file;
  const size_t position = file.Add(static_cast<EventType>(0xc8), Bytes().U32(1).U32(2));
  file.AddDocsTableMap();
  Result result = Inspect({file.Write("unknown-event.bin")});
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.errors, HasSubstr("unknown-event.bin:" + std::to_string(position) +
                                       ": an event type this decoder does not know"));
  EXPECT_THAT(result.output, HasSubstr("TABLE_MAP_EVENT"));  // and it went on
}

// `sluice binlog` runs `sluice-binlog` found beside `sluice`, then on PATH; without it, it says
// where it looked and exits 127, as a shell does for a missing command.
TEST(BinlogCommand, WithoutItsHelperSluiceSaysWhereItLooked) {
  const std::filesystem::path lonely = std::filesystem::path(::testing::TempDir()) / "lonely";
  std::filesystem::create_directories(lonely);
  const std::filesystem::path copy = lonely / "sluice";
  std::filesystem::copy_file(SLUICE_CLI_BINARY, copy,
                             std::filesystem::copy_options::overwrite_existing);
  Result result =
      RunBinary(copy.string(), {"binlog", "inspect", kRealFile}, "PATH=/nonexistent-sluice-dir");
  EXPECT_EQ(result.code, 127);
  EXPECT_THAT(result.errors, HasSubstr("`sluice-binlog`"));
  EXPECT_THAT(result.errors, HasSubstr(lonely.string() + " (beside sluice)"));
  EXPECT_THAT(result.errors, HasSubstr("PATH (/nonexistent-sluice-dir)"));
  EXPECT_EQ(result.output, "");
  // On PATH it is found, and its exit status passes through.
  const std::string helper_dir = std::filesystem::path(SLUICE_CLI_BINARY).parent_path().string();
  result = RunBinary(copy.string(), {"binlog", "inspect", kRealFile, "--frobnicate"},
                     "PATH=/nonexistent-sluice-dir:" + helper_dir);
  EXPECT_EQ(result.code, 2) << result.errors;
  std::filesystem::remove_all(lonely);
}

}  // namespace
}  // namespace sluice::cli
