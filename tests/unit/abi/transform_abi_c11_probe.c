/* Compiled as strict C11 (see CMakeLists.txt): proves the transform ABI header is plain C. The
 * C++ test compares these sizes with its own. */
#include <assert.h>

#include "sluice/transform.h"

static_assert(offsetof(sluice_transform_descriptor, struct_size) == 0, "struct_size comes first");
static_assert(offsetof(sluice_transform_host_api, struct_size) == 0, "struct_size comes first");

size_t sluice_transform_abi_c11_sizeof_descriptor(void) { return sizeof(sluice_transform_descriptor); }
size_t sluice_transform_abi_c11_sizeof_host_api(void) { return sizeof(sluice_transform_host_api); }
size_t sluice_transform_abi_c11_offsetof_on_destroy(void) {
  return offsetof(sluice_transform_descriptor, on_destroy);
}
