/* Deliberately broken (or deliberately misbehaving) connectors for the loader and host tests.
 * One source, one variant per MODULE target (see CMakeLists.txt):
 *   VARIANT_NO_ENTRY          exports no sluice_connector_entry
 *   VARIANT_ABI_MAJOR         claims ABI major 99
 *   VARIANT_MISSING_CALLBACKS leaves on_task_poll and on_task_stop NULL
 *   VARIANT_BAD_RECORD        a complete connector whose poll puts a string into an int32 field
 *   VARIANT_ALIASES           also answers to "com.example.TestConnector" and "test-alias"
 *   VARIANT_ALIAS_CLASH       named "clash", but claims the alias "test-alias" at the same version
 *   VARIANT_BAD_ALIAS         an alias with a space in it
 *   VARIANT_ABI_1_0           built as ABI 1.0 was: abi_minor 0, struct_size ends before
 *                             `aliases`, and the bytes after it are garbage the host must not read
 *   VARIANT_CONSTRUCTOR_MARKER a good connector whose constructor creates the file named by
 *                             $SLUICE_TEST_CONSTRUCTOR_MARKER: proof that its code ran
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sluice/connector.h"

#ifdef VARIANT_CONSTRUCTOR_MARKER
__attribute__((constructor)) static void leave_marker(void) {
  const char* marker = getenv("SLUICE_TEST_CONSTRUCTOR_MARKER");
  FILE* f = marker != NULL ? fopen(marker, "w") : NULL;
  if (f != NULL) fclose(f);
}
#endif

typedef struct bad_task {
  const sluice_host_api* api;
  sluice_ctx* ctx;
  const sluice_schema* value_schema;
} bad_task;

static bad_task g_task; /* one task at a time is enough for the tests */
static const sluice_host_api* g_connector_api;

static sluice_status connector_start(const sluice_host_api* api, sluice_ctx* ctx,
                                     const sluice_config_entry* config, size_t count,
                                     void** instance) {
  (void)ctx;
  (void)config;
  (void)count;
  g_connector_api = api;
  *instance = &g_connector_api;
  return SLUICE_OK;
}

static sluice_status connector_task_configs(void* instance, size_t max_tasks,
                                            sluice_task_configs* out) {
  (void)instance;
  (void)max_tasks;
  return g_connector_api->task_config_add(out, NULL, 0);
}

static void connector_destroy(void* instance) { (void)instance; }

static sluice_status task_start(const sluice_host_api* api, sluice_ctx* ctx,
                                const sluice_config_entry* config, size_t count, void** instance) {
  (void)config;
  (void)count;
  const sluice_schema* i32 = NULL;
  sluice_schema_spec spec;
  memset(&spec, 0, sizeof(spec));
  spec.struct_size = sizeof(spec);
  spec.type = SLUICE_TYPE_INT32;
  if (api->schema_create(ctx, &spec, &i32) != SLUICE_OK) return SLUICE_INTERNAL;
  sluice_field_spec fields[] = {{sluice_str_of("amount"), i32}};
  spec.type = SLUICE_TYPE_STRUCT;
  spec.name = sluice_str_of("test.Bad");
  spec.fields = fields;
  spec.field_count = 1;
  g_task.api = api;
  g_task.ctx = ctx;
  if (api->schema_create(ctx, &spec, &g_task.value_schema) != SLUICE_OK) return SLUICE_INTERNAL;
  *instance = &g_task;
  return SLUICE_OK;
}

#ifndef VARIANT_MISSING_CALLBACKS
static sluice_status task_poll(void* instance, sluice_batch* batch, int64_t timeout_ms) {
  bad_task* t = instance;
  (void)timeout_ms;
  sluice_value* v = t->api->struct_new(batch, t->value_schema);
  sluice_datum d = sluice_datum_string("ten", 3);
  t->api->struct_set(v, 0, &d); /* wrong kind: ignored here on purpose, the batch remembers */
  sluice_record_spec r;
  memset(&r, 0, sizeof(r));
  r.struct_size = sizeof(r);
  r.topic = sluice_str_of("bad");
  r.partition = -1;
  r.value_schema = t->value_schema;
  r.value = sluice_datum_value(v);
  r.timestamp_ms = -1;
  t->api->record_append(batch, &r);
  return SLUICE_OK;
}

static void task_stop(void* instance) { (void)instance; }
#endif
static void task_destroy(void* instance) { (void)instance; }

#if defined(VARIANT_ALIASES)
static const char* const kAliases[] = {"com.example.TestConnector", "test-alias"};
#elif defined(VARIANT_ALIAS_CLASH)
static const char* const kAliases[] = {"test-alias"};
#elif defined(VARIANT_BAD_ALIAS)
static const char* const kAliases[] = {"has space"};
#endif

static const sluice_connector_descriptor kDescriptor = {
#ifdef VARIANT_ABI_1_0
    .struct_size = offsetof(sluice_connector_descriptor, aliases),
    .aliases = (const char* const*)1, /* garbage beyond struct_size */
    .alias_count = 12345,
#else
    .struct_size = sizeof(sluice_connector_descriptor),
#endif
#ifdef VARIANT_ABI_MAJOR
    .abi_major = 99,
#else
    .abi_major = SLUICE_ABI_MAJOR,
#endif
#ifdef VARIANT_ABI_1_0
    .abi_minor = 0,
#else
    .abi_minor = SLUICE_ABI_MINOR,
#endif
#ifdef VARIANT_ALIAS_CLASH
    .name = "clash",
#else
    .name = "test-plugin",
#endif
    .version = "0.0.1",
    .description = "a connector for tests",
    .kind = SLUICE_CONNECTOR_SOURCE,
    .on_connector_start = connector_start,
    .on_connector_task_configs = connector_task_configs,
    .on_connector_destroy = connector_destroy,
    .on_task_start = task_start,
#ifdef VARIANT_MISSING_CALLBACKS
    .on_task_poll = NULL,
    .on_task_stop = NULL,
#else
    .on_task_poll = task_poll,
    .on_task_stop = task_stop,
#endif
    .on_task_destroy = task_destroy,
#if defined(VARIANT_ALIASES) || defined(VARIANT_ALIAS_CLASH) || defined(VARIANT_BAD_ALIAS)
    .aliases = kAliases,
    .alias_count = sizeof kAliases / sizeof kAliases[0],
#endif
};

#ifdef VARIANT_NO_ENTRY
SLUICE_EXPORT const sluice_connector_descriptor* not_the_entry(void) { return &kDescriptor; }
#else
SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(uint32_t major,
                                                                        uint32_t minor) {
  (void)major;
  (void)minor;
  return &kDescriptor;
}
#endif
