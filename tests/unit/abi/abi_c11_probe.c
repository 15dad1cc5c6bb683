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
static_assert(offsetof(sluice_task_progress, struct_size) == 0, "struct_size comes first");
/* ABI 1.2 appended one member to the host table, after the last member of 1.0 (1.1 left the
 * table as it was). */
static_assert(offsetof(sluice_host_api, task_progress_report) ==
                  offsetof(sluice_host_api, batch_size) + sizeof(void (*)(void)),
              "task_progress_report follows batch_size");

size_t sluice_abi_c11_sizeof_datum(void) { return sizeof(sluice_datum); }
size_t sluice_abi_c11_sizeof_record_spec(void) { return sizeof(sluice_record_spec); }
size_t sluice_abi_c11_sizeof_host_api(void) { return sizeof(sluice_host_api); }
size_t sluice_abi_c11_sizeof_descriptor(void) { return sizeof(sluice_connector_descriptor); }
size_t sluice_abi_c11_sizeof_task_progress(void) { return sizeof(sluice_task_progress); }

/* Whether sluice_task_progress_init gives struct_size, the phase and every count -1 from C. */
int sluice_abi_c11_progress_init_marks_unknown(void) {
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  return p.struct_size == sizeof(sluice_task_progress) && p.phase == SLUICE_TASK_PHASE_STREAMING &&
         p.table_rows_done == -1 && p.table_rows_total == -1 && p.tables_done == -1 &&
         p.tables_total == -1 && p.lag_ms == -1 && p.table.len == 0 && p.position.ptr == NULL;
}

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

/* A 1.0 host's table (struct_size up to batch_size) is seen to lack task_progress_report. */
int sluice_abi_c11_old_host_lacks_progress(void) {
  sluice_host_api api = {0};
  api.struct_size = offsetof(sluice_host_api, batch_size) + sizeof(api.batch_size);
  int old_lacks = !SLUICE_HAS_MEMBER(&api, sluice_host_api, task_progress_report);
  api.struct_size = sizeof(sluice_host_api);
  return old_lacks && SLUICE_HAS_MEMBER(&api, sluice_host_api, task_progress_report);
}
