// The ABI header compiles as C++ and agrees with the C11 compile of it (abi_c11_probe.c) on the
// layout of the shared structs: a mismatch here would mean C plugins and the C++ host disagree.
#include <gtest/gtest.h>

#include "sluice/connector.h"

extern "C" {
size_t sluice_abi_c11_sizeof_datum(void);
size_t sluice_abi_c11_sizeof_record_spec(void);
size_t sluice_abi_c11_sizeof_host_api(void);
size_t sluice_abi_c11_sizeof_descriptor(void);
size_t sluice_abi_c11_sizeof_task_progress(void);
int sluice_abi_c11_progress_init_marks_unknown(void);
int sluice_abi_c11_old_host_lacks_progress(void);
long sluice_abi_c11_string_datum_len(const char* text);
int sluice_abi_c11_has_member_respects_size(void);
}

namespace {

TEST(ConnectorHeader, LayoutsAgreeBetweenCAndCxx) {
  EXPECT_EQ(sluice_abi_c11_sizeof_datum(), sizeof(sluice_datum));
  EXPECT_EQ(sluice_abi_c11_sizeof_record_spec(), sizeof(sluice_record_spec));
  EXPECT_EQ(sluice_abi_c11_sizeof_host_api(), sizeof(sluice_host_api));
  EXPECT_EQ(sluice_abi_c11_sizeof_descriptor(), sizeof(sluice_connector_descriptor));
  EXPECT_EQ(sluice_abi_c11_sizeof_task_progress(), sizeof(sluice_task_progress));
}

TEST(ConnectorHeader, ProgressInitFromCMarksEverythingUnknown) {
  EXPECT_EQ(sluice_abi_c11_progress_init_marks_unknown(), 1);
}

TEST(ConnectorHeader, AnAbi10HostTableLacksTheProgressCall) {
  EXPECT_EQ(sluice_abi_c11_old_host_lacks_progress(), 1);
}

TEST(ConnectorHeader, InlineHelpersWorkFromC) {
  EXPECT_EQ(sluice_abi_c11_string_datum_len("hello"), 5);
  EXPECT_EQ(sluice_abi_c11_string_datum_len(""), 0);
}

TEST(ConnectorHeader, HasMemberRespectsStructSize) {
  EXPECT_EQ(sluice_abi_c11_has_member_respects_size(), 1);
}

TEST(ConnectorHeader, StatusCodesMatchGrpcNumbering) {
  // The host converts by cast to absl::StatusCode; these are gRPC's numbers.
  EXPECT_EQ(SLUICE_INVALID_ARGUMENT, 3);
  EXPECT_EQ(SLUICE_FAILED_PRECONDITION, 9);
  EXPECT_EQ(SLUICE_INTERNAL, 13);
  EXPECT_EQ(SLUICE_UNAVAILABLE, 14);
}

}  // namespace
