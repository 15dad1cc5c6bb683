/*
 * sluice/transform.h — the Sluice transform plugin ABI, version 1.0.
 *
 * A single message transform (Kafka Connect's Transformation) or predicate (Predicate) written in
 * C and dropped into plugin.path as a shared object. A connector's config names it by the class
 * name its descriptor declares (`transforms.up.type=com.example.UppercaseField`), exactly as it
 * names a built-in transform; the worker runs it in the same chain, on the task thread, between
 * the connector and the converter. docs/transform-abi.md is the guide;
 * connectors/example_transforms/example_transforms.c a complete example.
 *
 * This header builds on sluice/connector.h for the shared vocabulary (sluice_status, sluice_str,
 * sluice_datum, sluice_config_def, sluice_config_entry, sluice_log_level, SLUICE_EXPORT,
 * SLUICE_HAS_MEMBER) and follows its nine conventions; what differs is said here.
 *
 * CONVENTIONS
 *
 *  1. Names. Functions the PLUGIN implements are `on_*` members of sluice_transform_descriptor;
 *     functions the HOST implements are members of sluice_transform_host_api. The one exported
 *     symbol is SLUICE_TRANSFORM_ENTRY_SYMBOL. A library exports either it or the connector entry,
 *     never both (the host refuses a library with both).
 *  2. Versions. SLUICE_TRANSFORM_ABI_MAJOR changes only for incompatible changes; the host refuses
 *     a descriptor whose major differs. SLUICE_TRANSFORM_ABI_MINOR grows when something is
 *     appended. The entry function receives the host's major and minor and may return NULL (with
 *     count 0) when it needs a newer host. It is independent of the connector ABI's version.
 *  3. Growth. sluice_transform_descriptor and sluice_transform_host_api start with struct_size
 *     and ONLY EVER GROW AT THE END; NO MEMBER IS EVER REMOVED, REORDERED OR RETYPED. Before
 *     calling a host function added after 1.0 check SLUICE_HAS_MEMBER(api,
 *     sluice_transform_host_api, member).
 *  4. Ownership. Pointers passed INTO a call are BORROWED until it returns; the callee copies what
 *     it keeps (the host copies every string and datum a set_* function is given). Views the host
 *     hands OUT (a topic, a field's string, a header's value) are valid until the callback that
 *     received the record returns, and no longer than the next set_* call on the same record. The
 *     record handle itself is valid only inside that callback. The descriptors, their config
 *     definitions and the array the entry returns are static: they live until the library is
 *     unloaded (the host never unloads a library while a chain uses it).
 *  5. Errors. A callback that fails returns a code other than SLUICE_OK, after calling
 *     api->set_error(ctx, code, message) to say why; the host turns both into its error, naming
 *     the transform's class and alias. on_start failing with SLUICE_INVALID_ARGUMENT is a
 *     configuration problem (validate lists it under transforms.<alias>.type); on_apply or on_test
 *     failing fails the task as a built-in transform's failure does. No C++ exception and no
 *     longjmp crosses this boundary.
 *  6. Threads. The host creates one instance (on_start) per transform alias per task, and calls
 *     that instance's on_apply / on_test only on that task's thread, one call at a time; instances
 *     of the same class in other tasks run concurrently on other threads, so state shared between
 *     instances (globals) needs the plugin's own locking. on_start and on_destroy may run on any
 *     thread (validate builds and destroys an instance to check a config). api->log may be called
 *     from any thread; the record functions only inside on_apply / on_test, on the calling thread.
 *  7. Hot path. on_apply and on_test run once per record. Reading a field or the topic copies
 *     nothing; a set_* call copies the new value into the batch's arena. Look fields up by name
 *     per record (the host's lookup is a short scan of the schema's fields).
 */
#ifndef SLUICE_TRANSFORM_H_
#define SLUICE_TRANSFORM_H_

#include <stddef.h>
#include <stdint.h>

#include "sluice/connector.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SLUICE_TRANSFORM_ABI_MAJOR 1
#define SLUICE_TRANSFORM_ABI_MINOR 0

/* The one symbol a transform library exports (as a C name, with default visibility). */
#define SLUICE_TRANSFORM_ENTRY_SYMBOL "sluice_transform_entry"

/* The host's side of one instance: passed to on_start, handed back to api->log and
 * api->set_error. Valid from on_start until on_destroy returns. */
typedef struct sluice_transform_ctx sluice_transform_ctx;

/* The record one on_apply / on_test call is given. Owned by the host; valid only inside that
 * call. */
typedef struct sluice_transform_record sluice_transform_record;

/* What a descriptor declares. */
typedef enum sluice_transform_kind {
  SLUICE_TRANSFORM_KIND_TRANSFORMATION = 1, /* named by transforms.<alias>.type; on_apply */
  SLUICE_TRANSFORM_KIND_PREDICATE = 2       /* named by predicates.<alias>.type; on_test */
} sluice_transform_kind;

/* What on_apply decided. */
typedef enum sluice_transform_verdict {
  SLUICE_TRANSFORM_KEEP = 0, /* send the record as it now is */
  SLUICE_TRANSFORM_DROP = 1  /* send nothing; its source offset still counts as delivered */
} sluice_transform_verdict;

/* Which half of the record a field function works on. */
typedef enum sluice_record_part {
  SLUICE_RECORD_KEY = 0,
  SLUICE_RECORD_VALUE = 1
} sluice_record_part;

/* The host's functions, handed to on_start. The table is static in the host and valid until the
 * library is unloaded (after every instance's on_destroy). */
typedef struct sluice_transform_host_api {
  size_t struct_size;

  /* Logs under the transform's class name. Any thread. `message` is borrowed. */
  void (*log)(sluice_transform_ctx* ctx, sluice_log_level level, sluice_str message);

  /* Says why the callback that is running fails (convention 5). The calling thread, inside
   * on_start, on_apply or on_test. `message` is copied. The last call before the callback
   * returns wins. */
  void (*set_error)(sluice_transform_ctx* ctx, sluice_status code, sluice_str message);

  /* The record's topic. The view lives as convention 4 says. Never fails. */
  sluice_str (*record_topic)(const sluice_transform_record* record);

  /* Sets the record's topic (copied). SLUICE_INVALID_ARGUMENT for an empty topic. */
  sluice_status (*record_set_topic)(sluice_transform_record* record, sluice_str topic);

  /* Nonzero when `part` is null (a tombstone's value; a record without a key). */
  int32_t (*record_is_null)(const sluice_transform_record* record, uint32_t part);

  /* The value of the last header named `key` into *out: SLUICE_DATUM_NULL, _INT, _FLOAT,
   * _BOOLEAN, _STRING or _BYTES (views live as convention 4 says). SLUICE_NOT_FOUND when the
   * record has no such header; SLUICE_UNIMPLEMENTED for a struct, array or map header. */
  sluice_status (*record_header_get)(const sluice_transform_record* record, sluice_str key,
                                     sluice_datum* out);

  /* Field `name` of the struct that `part` holds into *out, as record_header_get says, and its
   * schema type into *type (a sluice_type; may be NULL). SLUICE_FAILED_PRECONDITION when `part`
   * is null or not a struct with a schema; SLUICE_NOT_FOUND when the struct has no such field;
   * SLUICE_UNIMPLEMENTED for a struct, array or map field. A null field with a default reads as
   * null (Kafka's getWithoutDefault). */
  sluice_status (*record_field_get)(const sluice_transform_record* record, uint32_t part,
                                    sluice_str name, sluice_datum* out, uint32_t* type);

  /* Sets field `name` of the struct that `part` holds to *value (copied; strings and bytes into
   * the batch's arena). The schema is unchanged, so the datum must suit the field: an INT within
   * the field's integer type, FLOAT for floats, BOOLEAN, STRING, BYTES, or NULL for an optional
   * field; SLUICE_INVALID_ARGUMENT otherwise, with the record unchanged. Errors as
   * record_field_get. The struct is copied on the first set, so a value shared with other records
   * never changes under them. */
  sluice_status (*record_field_set)(sluice_transform_record* record, uint32_t part,
                                    sluice_str name, const sluice_datum* value);
} sluice_transform_host_api;

/* One transform or predicate class. Lives in the plugin's static storage (convention 4). */
typedef struct sluice_transform_descriptor {
  size_t struct_size;  /* sizeof(sluice_transform_descriptor) as the plugin was compiled */
  uint32_t abi_major;  /* SLUICE_TRANSFORM_ABI_MAJOR */
  uint32_t abi_minor;  /* SLUICE_TRANSFORM_ABI_MINOR */
  uint32_t kind;       /* a sluice_transform_kind */
  const char* class_name; /* what configs name it by, e.g. "com.example.UppercaseField"; unique
                             among every transform (or predicate) the worker has, built-in ones
                             and their simple names included */
  const char* version;     /* e.g. "1.0.0"; required */
  const char* description; /* one sentence; may be NULL */
  /* The options (transforms.<alias>.<name>); the host checks a config against them before
   * on_start as the connector ABI's host does (required present, values parse as their type) and
   * refuses any option not declared here, naming the ones that are. Names holding `<...>` are not
   * supported here. */
  const sluice_config_def* config_defs;
  size_t config_def_count;

  /* Creates an instance for one alias of one task, given its options (the alias's prefix
   * stripped; declared defaults filled in; borrowed). Stores the instance in *instance. Keep
   * `api` and `ctx`: both are valid until on_destroy returns. Any thread. Required. */
  sluice_status (*on_start)(const sluice_transform_host_api* api, sluice_transform_ctx* ctx,
                            const sluice_config_entry* config, size_t config_count,
                            void** instance);

  /* TRANSFORMATION: rewrites `record` through the api's record functions and sets *verdict (the
   * host sets KEEP before the call). The task thread. Required for a transformation. */
  sluice_status (*on_apply)(void* instance, sluice_transform_record* record, uint32_t* verdict);

  /* PREDICATE: sets *result nonzero when the predicate holds for `record` (read-only). The task
   * thread. Required for a predicate. */
  sluice_status (*on_test)(void* instance, const sluice_transform_record* record,
                           int32_t* result);

  /* Frees the instance. Called once, after the last on_apply / on_test, also when on_start
   * failed after storing an instance. Any thread. Required. */
  void (*on_destroy)(void* instance);
} sluice_transform_descriptor;

/* The entry function: the library's descriptors (an array of *count pointers, static) for a host
 * of the given transform ABI version, or NULL (and *count 0) when the library cannot work with
 * it. Called once, when the library is loaded, on the loading thread.
 *
 *   SLUICE_EXPORT const sluice_transform_descriptor* const* sluice_transform_entry(
 *       uint32_t host_abi_major, uint32_t host_abi_minor, size_t* count); */
typedef const sluice_transform_descriptor* const* (*sluice_transform_entry_fn)(
    uint32_t host_abi_major, uint32_t host_abi_minor, size_t* count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLUICE_TRANSFORM_H_ */
