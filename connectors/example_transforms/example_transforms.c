/*
 * Example transforms: the transform plugin ABI (sluice/transform.h) in plain C.
 *
 * One library, two classes:
 *   com.example.sluice.UppercaseField  (transformation) a string field of the value (or, with
 *       part=key, of the key) in ASCII upper case. Options: `field` (required), `part`
 *       (value|key, default value). A null field stays null; a field that is not a string fails
 *       the record; a record without that field passes unchanged.
 *   com.example.sluice.HeaderEquals    (predicate) true when the record's last header `name` is
 *       the string `value`. Use it with Kafka's Filter to drop records by a header:
 *         transforms.drop.type=org.apache.kafka.connect.transforms.Filter
 *         transforms.drop.predicate=fromTest
 *         predicates.fromTest.type=com.example.sluice.HeaderEquals
 *         predicates.fromTest.name=origin
 *         predicates.fromTest.value=test
 *
 * Instances hold copies of their options only; no global state, so instances in different tasks
 * run concurrently without locks (ABI convention 6).
 */
#include <stdlib.h>
#include <string.h>

#include "sluice/transform.h"

static sluice_str str_of(const char* s) {
  sluice_str r = {s, strlen(s)};
  return r;
}

/* A NUL-terminated copy of option `key` from `config`, or of `fallback`; NULL when out of memory. */
static char* option(const sluice_config_entry* config, size_t n, const char* key, const char* fallback) {
  const char* ptr = fallback;
  size_t len = strlen(fallback);
  for (size_t i = 0; i < n; ++i) {
    if (config[i].key.len == strlen(key) && memcmp(config[i].key.ptr, key, config[i].key.len) == 0) {
      ptr = config[i].value.ptr;
      len = config[i].value.len;
    }
  }
  char* copy = malloc(len + 1);
  if (copy != NULL) {
    memcpy(copy, ptr, len);
    copy[len] = '\0';
  }
  return copy;
}

/* ---- UppercaseField ------------------------------------------------------------------------ */

typedef struct uppercase {
  const sluice_transform_host_api* api;
  sluice_transform_ctx* ctx;
  char* field;
  uint32_t part;
  char* buffer; /* reused for the upper-cased text: no allocation per record once grown */
  size_t capacity;
} uppercase;

static void uppercase_destroy(void* instance) {
  uppercase* u = instance;
  if (u == NULL) return;
  free(u->field);
  free(u->buffer);
  free(u);
}

static sluice_status uppercase_start(const sluice_transform_host_api* api, sluice_transform_ctx* ctx,
                                     const sluice_config_entry* config, size_t n, void** instance) {
  uppercase* u = calloc(1, sizeof *u);
  if (u == NULL) return SLUICE_RESOURCE_EXHAUSTED;
  *instance = u; /* the host calls on_destroy even if start fails from here on */
  u->api = api;
  u->ctx = ctx;
  u->field = option(config, n, "field", "");
  char* part = option(config, n, "part", "value");
  if (u->field == NULL || part == NULL) {
    free(part);
    return SLUICE_RESOURCE_EXHAUSTED;
  }
  int ok = strcmp(part, "value") == 0 || strcmp(part, "key") == 0;
  u->part = strcmp(part, "key") == 0 ? SLUICE_RECORD_KEY : SLUICE_RECORD_VALUE;
  free(part);
  if (!ok) {
    api->set_error(ctx, SLUICE_INVALID_ARGUMENT, str_of("`part` must be `value` or `key`"));
    return SLUICE_INVALID_ARGUMENT;
  }
  return SLUICE_OK;
}

static sluice_status uppercase_apply(void* instance, sluice_transform_record* record, uint32_t* verdict) {
  uppercase* u = instance;
  *verdict = SLUICE_TRANSFORM_KEEP;
  if (u->api->record_is_null(record, u->part)) return SLUICE_OK; /* a tombstone stays one */
  sluice_datum d;
  uint32_t type = 0;
  sluice_status st = u->api->record_field_get(record, u->part, str_of(u->field), &d, &type);
  if (st == SLUICE_NOT_FOUND) return SLUICE_OK;
  if (st != SLUICE_OK) {
    u->api->set_error(u->ctx, st, str_of("the record's part is not a struct with a schema"));
    return st;
  }
  if (type != SLUICE_TYPE_STRING) {
    u->api->set_error(u->ctx, SLUICE_INVALID_ARGUMENT, str_of("the field is not a string"));
    return SLUICE_INVALID_ARGUMENT;
  }
  if (d.kind == SLUICE_DATUM_NULL) return SLUICE_OK;
  if (d.u.str.len > u->capacity) {
    char* grown = realloc(u->buffer, d.u.str.len);
    if (grown == NULL) return SLUICE_RESOURCE_EXHAUSTED;
    u->buffer = grown;
    u->capacity = d.u.str.len;
  }
  for (size_t i = 0; i < d.u.str.len; ++i) {
    char c = d.u.str.ptr[i];
    u->buffer[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
  }
  /* The view in d dies with the set below; the host copies the new text before returning. */
  sluice_datum upper = d;
  upper.u.str.ptr = u->buffer;
  return u->api->record_field_set(record, u->part, str_of(u->field), &upper);
}

static const sluice_config_def kUppercaseDefs[] = {
    {sizeof(sluice_config_def), "field", SLUICE_CONFIG_STRING, NULL, 1, 0,
     "The string field to upper-case."},
    {sizeof(sluice_config_def), "part", SLUICE_CONFIG_STRING, "value", 0, 0,
     "`value` or `key`: which struct holds the field."},
};

static const sluice_transform_descriptor kUppercase = {
    sizeof(sluice_transform_descriptor),
    SLUICE_TRANSFORM_ABI_MAJOR,
    SLUICE_TRANSFORM_ABI_MINOR,
    SLUICE_TRANSFORM_KIND_TRANSFORMATION,
    "com.example.sluice.UppercaseField",
    "1.0.0",
    "A string field in ASCII upper case.",
    kUppercaseDefs,
    sizeof(kUppercaseDefs) / sizeof(kUppercaseDefs[0]),
    uppercase_start,
    uppercase_apply,
    NULL,
    uppercase_destroy,
};

/* ---- HeaderEquals -------------------------------------------------------------------------- */

typedef struct header_equals {
  const sluice_transform_host_api* api;
  char* name;
  char* value;
} header_equals;

static void header_equals_destroy(void* instance) {
  header_equals* h = instance;
  if (h == NULL) return;
  free(h->name);
  free(h->value);
  free(h);
}

static sluice_status header_equals_start(const sluice_transform_host_api* api, sluice_transform_ctx* ctx,
                                         const sluice_config_entry* config, size_t n, void** instance) {
  (void)ctx;
  header_equals* h = calloc(1, sizeof *h);
  if (h == NULL) return SLUICE_RESOURCE_EXHAUSTED;
  *instance = h;
  h->api = api;
  h->name = option(config, n, "name", "");
  h->value = option(config, n, "value", "");
  return h->name != NULL && h->value != NULL ? SLUICE_OK : SLUICE_RESOURCE_EXHAUSTED;
}

static sluice_status header_equals_test(void* instance, const sluice_transform_record* record,
                                        int32_t* result) {
  header_equals* h = instance;
  sluice_datum d;
  *result = h->api->record_header_get(record, str_of(h->name), &d) == SLUICE_OK &&
            d.kind == SLUICE_DATUM_STRING && d.u.str.len == strlen(h->value) &&
            memcmp(d.u.str.ptr, h->value, d.u.str.len) == 0;
  return SLUICE_OK;
}

static const sluice_config_def kHeaderEqualsDefs[] = {
    {sizeof(sluice_config_def), "name", SLUICE_CONFIG_STRING, NULL, 1, 0, "The header's key."},
    {sizeof(sluice_config_def), "value", SLUICE_CONFIG_STRING, NULL, 1, 0,
     "The string the header must hold."},
};

static const sluice_transform_descriptor kHeaderEquals = {
    sizeof(sluice_transform_descriptor),
    SLUICE_TRANSFORM_ABI_MAJOR,
    SLUICE_TRANSFORM_ABI_MINOR,
    SLUICE_TRANSFORM_KIND_PREDICATE,
    "com.example.sluice.HeaderEquals",
    "1.0.0",
    "True when a header holds a given string.",
    kHeaderEqualsDefs,
    sizeof(kHeaderEqualsDefs) / sizeof(kHeaderEqualsDefs[0]),
    header_equals_start,
    NULL,
    header_equals_test,
    header_equals_destroy,
};

/* ---- Entry --------------------------------------------------------------------------------- */

static const sluice_transform_descriptor* const kDescriptors[] = {&kUppercase, &kHeaderEquals};

SLUICE_EXPORT const sluice_transform_descriptor* const* sluice_transform_entry(uint32_t host_abi_major,
                                                                              uint32_t host_abi_minor,
                                                                              size_t* count) {
  (void)host_abi_minor; /* 1.0 is all this library uses */
  if (host_abi_major != SLUICE_TRANSFORM_ABI_MAJOR) {
    *count = 0;
    return NULL;
  }
  *count = sizeof(kDescriptors) / sizeof(kDescriptors[0]);
  return kDescriptors;
}
