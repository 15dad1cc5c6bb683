/* Compiled as strict C11 (see CMakeLists.txt): proves the ABI header is plain C and its inline
 * helpers work from C. The C++ test calls these functions. */
#include <assert.h>

#include "sluice/connector.h"

static_assert(offsetof(sluice_schema_spec, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_record_spec, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_host_api, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_connector_descriptor, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_config_def, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_ack_notice, struct_size) == 0, "struct_size comes first");

size_t sluice_abi_c11_sizeof_datum(void) { return sizeof(sluice_datum); }
size_t sluice_abi_c11_sizeof_record_spec(void) { return sizeof(sluice_record_spec); }
size_t sluice_abi_c11_sizeof_host_api(void) { return sizeof(sluice_host_api); }
size_t sluice_abi_c11_sizeof_descriptor(void) { return sizeof(sluice_connector_descriptor); }

/* Returns the string length seen through the helpers, or -1. */
long sluice_abi_c11_string_datum_len(const char* text) {
  sluice_str s = sluice_str_of(text);
  sluice_datum d = sluice_datum_string(s.ptr, s.len);
  if (d.kind != SLUICE_DATUM_STRING) return -1;
  return (long)d.u.str.len;
}

/* Whether a descriptor that claims only the ABI 1.0 prefix is seen to lack a later member. */
int sluice_abi_c11_has_member_respects_size(void) {
  sluice_connector_descriptor d = {0};
  d.struct_size = offsetof(sluice_connector_descriptor, on_task_poll);
  return !SLUICE_HAS_MEMBER(&d, sluice_connector_descriptor, on_task_poll) &&
         SLUICE_HAS_MEMBER(&d, sluice_connector_descriptor, on_task_start);
}
