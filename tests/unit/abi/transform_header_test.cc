// sluice/transform.h: strict C11 and C++ agree on its layouts, and its version and symbol are
// what the docs say.
#include <gtest/gtest.h>

#include <string_view>

#include "sluice/transform.h"

extern "C" {
size_t sluice_transform_abi_c11_sizeof_descriptor(void);
size_t sluice_transform_abi_c11_sizeof_host_api(void);
size_t sluice_transform_abi_c11_offsetof_on_destroy(void);
}

namespace {

TEST(TransformHeader, LayoutsAgreeBetweenCAndCxx) {
  EXPECT_EQ(sluice_transform_abi_c11_sizeof_descriptor(), sizeof(sluice_transform_descriptor));
  EXPECT_EQ(sluice_transform_abi_c11_sizeof_host_api(), sizeof(sluice_transform_host_api));
  EXPECT_EQ(sluice_transform_abi_c11_offsetof_on_destroy(),
            offsetof(sluice_transform_descriptor, on_destroy));
}

TEST(TransformHeader, VersionAndEntrySymbol) {
  EXPECT_EQ(SLUICE_TRANSFORM_ABI_MAJOR, 1);
  EXPECT_EQ(SLUICE_TRANSFORM_ABI_MINOR, 0);
  EXPECT_EQ(std::string_view(SLUICE_TRANSFORM_ENTRY_SYMBOL), "sluice_transform_entry");
  EXPECT_EQ(SLUICE_TRANSFORM_KEEP, 0);
  EXPECT_EQ(SLUICE_TRANSFORM_DROP, 1);
}

}  // namespace
