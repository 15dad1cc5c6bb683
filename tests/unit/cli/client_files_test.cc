#include "runtime/cli/client_files.h"

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;

std::string File(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// A string long enough for RapidJSON's SSE2 copy loop, with 0x1A-0x1F inside an aligned block.
const std::string kControls = std::string(20, 'a') + "\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f" +
                              std::string(20, 'b') + "\\u001a\\u001f" + std::string(20, 'c');

// What a client sends the worker as JSON text stays JSON: every control character escaped.
TEST(ClientFiles, ValuesKeptAsJsonTextEscapeEveryControlCharacter) {
  absl::StatusOr<std::vector<::sluice::admin::v1::PartitionOffset>> offsets = ReadOffsetsFile(
      File("controls.json", R"({"offsets":[{"partition":{"server":")" + kControls +
                                R"("},"offset":{"file":")" + kControls + R"("}}]})"));
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  ASSERT_EQ(offsets->size(), 1u);
  for (const std::string& json : {(*offsets)[0].partition_json(), (*offsets)[0].offset_json()}) {
    for (char c : json) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << json;
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    EXPECT_TRUE(doc.IsObject()) << json;
    EXPECT_THAT(json, HasSubstr(R"(\u001A\u001B\u001C\u001D\u001E\u001F)"));
  }
  absl::StatusOr<ConnectorFile> connector = ReadConnectorFile(
      File("nested.json", R"({"name":"n","config":{"list":[")" + kControls + R"("]}})"), true);
  ASSERT_TRUE(connector.ok()) << connector.status();
  EXPECT_THAT(connector->config["list"], HasSubstr(R"(\u001A\u001B\u001C\u001D\u001E\u001F)"));
}

TEST(ClientFiles, ConnectorFilesInEitherShape) {
  absl::StatusOr<ConnectorFile> wrapped =
      ReadConnectorFile(File("wrapped.json", R"({"name":"a","config":{"tasks.max":2}})"), true);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->name, "a");
  EXPECT_EQ(wrapped->config.at("tasks.max"), "2");
  absl::StatusOr<ConnectorFile> bare =
      ReadConnectorFile(File("bare.json", R"({"name":"b","topic":"t"})"), true);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->name, "b");
  EXPECT_EQ(bare->config.at("topic"), "t");
  EXPECT_FALSE(ReadConnectorFile(File("anon.json", R"({"topic":"t"})"), true).ok());
  EXPECT_TRUE(ReadConnectorFile(File("anon.json", R"({"topic":"t"})"), false).ok());
  EXPECT_EQ(ReadConnectorFile(File("config.json", R"({"config":1})"), false).status().message(),
            "`" + ::testing::TempDir() + "/config.json`: \"config\" must be an object");
}

}  // namespace
}  // namespace sluice::cli
