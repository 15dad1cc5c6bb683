// api->struct_copy (ABI 1.3), called through the host table as a plugin calls it: the copy has
// the original's values and its own fields; a handle that is not a struct fails the batch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"
#include "runtime/plugin/host_api.h"

namespace sluice::plugin {
namespace {

using ::testing::HasSubstr;

const sluice_schema* Handle(const data::SchemaPtr& schema) {
  return reinterpret_cast<const sluice_schema*>(schema.get());
}

class StructCopyTest : public ::testing::Test {
 protected:
  const sluice_host_api* api_ = HostApi();
  data::SchemaPtr source_ = *data::SchemaBuilder::Struct()
                                 .Name("source")
                                 .AddField("file", data::PrimitiveSchema(data::Type::kString))
                                 .AddField("row", data::PrimitiveSchema(data::Type::kInt32))
                                 .Build();
  data::RecordBatch batch_;
};

TEST_F(StructCopyTest, TheHostTableOfThisVersionHasTheCall) {
  EXPECT_GE(api_->abi_minor, 3u);
  EXPECT_TRUE(SLUICE_HAS_MEMBER(api_, sluice_host_api, struct_copy));
  EXPECT_NE(api_->struct_copy, nullptr);
}

TEST_F(StructCopyTest, TheCopyHasTheValuesAndItsOwnFields) {
  sluice_value* first = api_->struct_new(ToC(&batch_), Handle(source_));
  ASSERT_NE(first, nullptr);
  const char file[] = "mariadb-bin.000001";
  sluice_datum file_datum = sluice_datum_string(file, sizeof file - 1);
  sluice_datum row0 = sluice_datum_int(0);
  ASSERT_EQ(api_->struct_set(first, 0, &file_datum), SLUICE_OK);
  ASSERT_EQ(api_->struct_set(first, 1, &row0), SLUICE_OK);

  sluice_value* second = api_->struct_copy(first);
  ASSERT_NE(second, nullptr);
  sluice_datum row1 = sluice_datum_int(1);
  ASSERT_EQ(api_->struct_set(second, 1, &row1), SLUICE_OK);

  const auto* a = reinterpret_cast<const data::StructValue*>(first);
  const auto* b = reinterpret_cast<const data::StructValue*>(second);
  EXPECT_EQ(b->schema, source_.get());
  EXPECT_EQ(b->fields[0].str(), "mariadb-bin.000001");
  EXPECT_EQ(b->fields[1].i, 1);
  EXPECT_EQ(a->fields[1].i, 0) << "the original keeps its row";
  EXPECT_TRUE(batch_.error().ok());
}

TEST_F(StructCopyTest, ACopyIsCheckedLikeAnyStructWhenSet) {
  sluice_value* first = api_->struct_new(ToC(&batch_), Handle(source_));
  sluice_value* copy = api_->struct_copy(first);
  ASSERT_NE(copy, nullptr);
  sluice_datum text = sluice_datum_string("x", 1);
  EXPECT_EQ(api_->struct_set(copy, 1, &text), SLUICE_INVALID_ARGUMENT);
  EXPECT_THAT(std::string(batch_.error().message()), HasSubstr("field `row` of `source`"));
}

TEST_F(StructCopyTest, ANullOrNonStructHandleIsRefused) {
  EXPECT_EQ(api_->struct_copy(nullptr), nullptr);
  data::SchemaPtr list =
      *data::SchemaBuilder::Array(data::PrimitiveSchema(data::Type::kInt32)).Build();
  sluice_value* array = api_->array_new(ToC(&batch_), Handle(list), 1);
  ASSERT_NE(array, nullptr);
  EXPECT_EQ(api_->struct_copy(array), nullptr);
  EXPECT_THAT(std::string(batch_.error().message()), HasSubstr("not a struct of this batch"));
}

}  // namespace
}  // namespace sluice::plugin
