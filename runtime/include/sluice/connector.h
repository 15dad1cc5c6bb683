/*
 * sluice/connector.h — the Sluice connector ABI, version 1.6.
 *
 * This header is the whole contract between the Sluice worker (the "host") and a connector shared
 * object (the "plugin"). It is plain C11, it compiles as C++ too, and a connector includes nothing
 * else of Sluice and links nothing of Sluice: every host service reaches the plugin as a read-only
 * table of function pointers (sluice_host_api) handed to it at start.
 *
 * CONVENTIONS
 *
 *  1. Names. Types are `sluice_*`. Functions the PLUGIN implements are `on_*` members of
 *     sluice_connector_descriptor. Functions the HOST implements are members of sluice_host_api,
 *     called through the table (`api->log(...)`). The one exported symbol is
 *     SLUICE_CONNECTOR_ENTRY_SYMBOL.
 *  2. Versions. SLUICE_ABI_MAJOR changes only for incompatible changes; the host refuses a plugin
 *     whose major differs. SLUICE_ABI_MINOR grows when something is appended; a plugin built
 *     against an older minor still loads.
 *  3. Growth. Every struct that describes something (descriptor, config definition, host table,
 *     schema spec, record spec, notices, progress reports) starts with `size_t struct_size`, which
 *     the side that fills it sets to sizeof() as that side was compiled. STRUCTS ONLY EVER GROW AT
 *     THE END; NO MEMBER IS EVER REMOVED, REORDERED OR RETYPED. A reader must not touch a member
 *     that lies beyond the struct_size it was given (SLUICE_HAS_MEMBER tells). Arrays of such
 *     structs are walked with the struct_size of their elements as the stride, never with
 *     sizeof().
 *     The small value types carried inside them (sluice_str, sluice_bytes, sluice_datum,
 *     sluice_config_entry, sluice_str_pair, sluice_field_spec, sluice_scalar_entry,
 *     sluice_scalar_map, sluice_header) have no struct_size: they are FROZEN for the whole major
 *     version, so arrays of them can be indexed plainly; anything new goes into a growable struct.
 *  4. Strings and bytes are {ptr,len} views (sluice_str, sluice_bytes); they need not be
 *     NUL-terminated, and a NULL ptr is allowed only with len 0. Strings are UTF-8. Fields typed
 *     `const char *` in static tables (names, docs) are NUL-terminated.
 *  5. Ownership. Unless a function says otherwise, every pointer passed INTO a call is BORROWED
 *     until that call returns: the callee copies what it keeps. Pointers the host returns (schemas,
 *     values) are owned by the host and live as long as their function says (schemas until the
 *     task is destroyed, values until the batch is handed back). The plugin's static tables (the
 *     descriptor, config definitions) must live until the library is unloaded.
 *  6. Errors. Fallible calls return sluice_status (SLUICE_OK == 0). A plugin callback that fails
 *     should first call api->set_error(ctx, code, message) so the operator sees why; the host turns
 *     code and message into its own error naming the connector and task. Codes follow gRPC /
 *     absl numbering, chosen by what the caller should do: SLUICE_UNAVAILABLE means "retry later",
 *     SLUICE_INVALID_ARGUMENT "fix the configuration", SLUICE_FAILED_PRECONDITION "fix the world
 *     (the database, the server settings) first", SLUICE_INTERNAL "a bug". No C++ exception, no
 *     longjmp ever crosses this boundary, in either direction.
 *  7. Threads. Each function says which thread may call it. In short: connector callbacks run on
 *     one host thread at a time; a task's callbacks run on that task's own thread, except
 *     on_task_stop, which may come from any thread and only signals; host functions that take a
 *     batch or a value may only be called on the task thread inside on_task_poll.
 *  8. Hot path. Building records costs the host no heap allocation per field: schemas are built
 *     once and referenced by handle, and values are appended into a per-batch arena that the host
 *     reuses from poll to poll.
 *  9. Old and new on both sides. A plugin built against an older minor loads in a newer host
 *     unchanged. A plugin built against a newer minor may meet an older host: before calling a
 *     host function added after 1.0 it checks SLUICE_HAS_MEMBER(api, sluice_host_api, member)
 *     (the host's table is only as long as its struct_size says), or its entry function returns
 *     NULL when host_abi_minor is too old. What each minor appended is listed at
 *     SLUICE_ABI_MINOR.
 */
#ifndef SLUICE_CONNECTOR_H_
#define SLUICE_CONNECTOR_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================================================== */
/* Versions and the entry symbol                                                                  */
/* ============================================================================================== */

#define SLUICE_ABI_MAJOR 1
#define SLUICE_ABI_MINOR 6
/* What each minor appended:
 *   1.1  sluice_connector_descriptor.aliases / alias_count.
 *   1.2  api->task_progress_report, sluice_task_progress, sluice_task_phase,
 *        sluice_task_progress_init: a task tells the host its phase, snapshot progress and
 *        streaming lag, which the admin API shows.
 *   1.3  api->struct_copy: a struct that differs from one already built in a field or two is
 *        copied and those fields set, instead of set field by field again.
 *   1.4  sluice_connector_descriptor.on_offset_check: the connector checks an offset a user
 *        sets before the host writes it.
 *   1.5  (exactly-once) sluice_connector_descriptor.exactly_once_support /
 *        transaction_boundaries and api->transaction_commit: a connector says whether it can
 *        give exactly-once delivery and define its own transaction boundaries, and marks where
 *        a transaction ends (Kafka Connect's KIP-618).
 *   1.6  (metrics) sluice_record_spec.source_timestamp_ms: when a change happened at the source,
 *        for the host's commit-to-ack lag; sluice_task_progress's counters (events seen,
 *        transactions committed, queue room, snapshot completed and its duration), binlog purge
 *        headroom and `warning`, which the host serves on /metrics and shows in status. */

/* The one symbol a connector library exports (as a C name, with default visibility). */
#define SLUICE_CONNECTOR_ENTRY_SYMBOL "sluice_connector_entry"

/* Export macro for the entry function; the plugin may build with -fvisibility=hidden. */
#if defined(__GNUC__)
#define SLUICE_EXPORT __attribute__((visibility("default")))
#else
#define SLUICE_EXPORT
#endif

/* True when `ptr` (a struct whose struct_size says how much of it the other side filled) has
 * member `member`. Use it before reading any member added after ABI 1.0, e.g. before calling
 * api->task_progress_report: SLUICE_HAS_MEMBER(api, sluice_host_api, task_progress_report). */
#define SLUICE_HAS_MEMBER(ptr, type, member) \
  ((ptr)->struct_size >= offsetof(type, member) + sizeof(((type*)0)->member))

/* ============================================================================================== */
/* Basic types                                                                                    */
/* ============================================================================================== */

/* Status codes; the numbers are gRPC's (and absl::StatusCode's). */
typedef enum sluice_status {
  SLUICE_OK = 0,
  SLUICE_CANCELLED = 1, /* the operation was stopped on request */
  SLUICE_UNKNOWN = 2,
  SLUICE_INVALID_ARGUMENT = 3, /* bad configuration or argument: fix the input */
  SLUICE_DEADLINE_EXCEEDED = 4,
  SLUICE_NOT_FOUND = 5,
  SLUICE_ALREADY_EXISTS = 6,
  SLUICE_PERMISSION_DENIED = 7,
  SLUICE_RESOURCE_EXHAUSTED = 8,
  SLUICE_FAILED_PRECONDITION = 9, /* the world is not in a state that allows this: fix it first */
  SLUICE_ABORTED = 10,
  SLUICE_OUT_OF_RANGE = 11,
  SLUICE_UNIMPLEMENTED = 12,
  SLUICE_INTERNAL = 13,    /* a bug */
  SLUICE_UNAVAILABLE = 14, /* transient: the host retries after a back-off */
  SLUICE_DATA_LOSS = 15
} sluice_status;

/* A view of UTF-8 text; not necessarily NUL-terminated. */
typedef struct sluice_str {
  const char* ptr;
  size_t len;
} sluice_str;

/* A view of bytes. */
typedef struct sluice_bytes {
  const uint8_t* ptr;
  size_t len;
} sluice_bytes;

/* One configuration entry. Both views are borrowed (convention 5). */
typedef struct sluice_config_entry {
  sluice_str key;
  sluice_str value;
} sluice_config_entry;

/* Log levels, lowest to highest. */
typedef enum sluice_log_level {
  SLUICE_LOG_TRACE = 0,
  SLUICE_LOG_DEBUG = 1,
  SLUICE_LOG_INFO = 2,
  SLUICE_LOG_WARN = 3,
  SLUICE_LOG_ERROR = 4
} sluice_log_level;

/* ============================================================================================== */
/* Opaque host handles                                                                            */
/* ============================================================================================== */

/* The host's side of one connector instance or one task instance. Passed to every callback; the
 * plugin hands it back to host functions (logging, errors, offsets, schemas). Valid from the start
 * callback until the matching destroy callback returns. */
typedef struct sluice_ctx sluice_ctx;

/* An immutable schema built by api->schema_create. Owned by the host; valid until the task that
 * created it is destroyed. Safe to read from any thread. */
typedef struct sluice_schema sluice_schema;

/* A struct, array or map value under construction, living in one batch's arena. Owned by the
 * host; valid only inside the on_task_poll call that received its batch. */
typedef struct sluice_value sluice_value;

/* The batch of records one on_task_poll call fills. Owned by the host; valid only inside that
 * call. */
typedef struct sluice_batch sluice_batch;

/* ============================================================================================== */
/* Kafka Connect's data model                                                                     */
/* ============================================================================================== */

/* Schema types; the names are Kafka Connect's. */
typedef enum sluice_type {
  SLUICE_TYPE_INT8 = 1,
  SLUICE_TYPE_INT16 = 2,
  SLUICE_TYPE_INT32 = 3,
  SLUICE_TYPE_INT64 = 4,
  SLUICE_TYPE_FLOAT32 = 5,
  SLUICE_TYPE_FLOAT64 = 6,
  SLUICE_TYPE_BOOLEAN = 7,
  SLUICE_TYPE_STRING = 8,
  SLUICE_TYPE_BYTES = 9,
  SLUICE_TYPE_ARRAY = 10,
  SLUICE_TYPE_MAP = 11,
  SLUICE_TYPE_STRUCT = 12
} sluice_type;

/* Which member of sluice_datum is set. */
typedef enum sluice_datum_kind {
  SLUICE_DATUM_NULL = 0,
  SLUICE_DATUM_INT = 1,     /* .i: for INT8..INT64 (range-checked against the schema) */
  SLUICE_DATUM_FLOAT = 2,   /* .f: for FLOAT32 / FLOAT64 */
  SLUICE_DATUM_BOOLEAN = 3, /* .b: 0 or 1, for BOOLEAN */
  SLUICE_DATUM_STRING = 4,  /* .str: for STRING */
  SLUICE_DATUM_BYTES = 5,   /* .bytes: for BYTES (Decimal: unscaled big-endian two's complement) */
  SLUICE_DATUM_VALUE = 6    /* .value: a struct, array or map built in the same batch */
} sluice_datum_kind;

/* One value as the plugin passes it to the host: a small tagged union, built on the stack.
 * Strings and bytes are copied by the host into the batch arena before the call returns. */
typedef struct sluice_datum {
  uint32_t kind; /* a sluice_datum_kind */
  union {
    int64_t i;
    double f;
    int32_t b;
    sluice_str str;
    sluice_bytes bytes;
    const sluice_value* value;
  } u;
} sluice_datum;

/* A name/value string pair, for schema parameters and the like. */
typedef struct sluice_str_pair {
  sluice_str name;
  sluice_str value;
} sluice_str_pair;

/* One field of a struct schema. */
typedef struct sluice_field_spec {
  sluice_str name;
  const sluice_schema* schema;
} sluice_field_spec;

/* Everything that describes a schema (Kafka Connect's SchemaBuilder, as a struct). Zero-initialise
 * it, set struct_size = sizeof(sluice_schema_spec), then fill what applies. */
typedef struct sluice_schema_spec {
  size_t struct_size;
  uint32_t type;       /* a sluice_type */
  int32_t optional;    /* nonzero: the value may be null */
  sluice_str name;     /* logical or record name, e.g. "org.apache.kafka.connect.data.Decimal";
                          len 0 = none */
  int32_t has_version; /* nonzero: `version` is set */
  int32_t version;
  sluice_str doc;                    /* len 0 = none */
  const sluice_str_pair* parameters; /* e.g. {"scale","2"}; kept in this order */
  size_t parameter_count;
  const sluice_datum* default_value; /* NULL = none; primitives only (INT..BYTES kinds) */
  const sluice_field_spec* fields;   /* STRUCT: the fields, in order; names must be unique */
  size_t field_count;
  const sluice_schema* key_schema;   /* MAP: the key schema */
  const sluice_schema* value_schema; /* ARRAY: the element schema; MAP: the value schema */
} sluice_schema_spec;

/* A primitive in a source partition or source offset (flat maps, as Kafka Connect stores them). */
typedef enum sluice_scalar_kind {
  SLUICE_SCALAR_NULL = 0,
  SLUICE_SCALAR_INT = 1,     /* .i */
  SLUICE_SCALAR_FLOAT = 2,   /* .f */
  SLUICE_SCALAR_BOOLEAN = 3, /* .b */
  SLUICE_SCALAR_STRING = 4   /* .str */
} sluice_scalar_kind;

typedef struct sluice_scalar_entry {
  sluice_str key;
  uint32_t kind; /* a sluice_scalar_kind */
  union {
    int64_t i;
    double f;
    int32_t b;
    sluice_str str;
  } u;
} sluice_scalar_entry;

/* A flat map: entries in a stable order. Offsets read back from Kafka carry integers as INT and
 * fractions as FLOAT, whatever width they were written with. */
typedef struct sluice_scalar_map {
  const sluice_scalar_entry* entries;
  size_t count;
} sluice_scalar_map;

/* A record header. Converted with the worker's header converter. */
typedef struct sluice_header {
  sluice_str key;
  const sluice_schema* schema; /* NULL only with a NULL datum */
  sluice_datum value;
} sluice_header;

/* One source record, as passed to api->record_append. Zero-initialise, set struct_size, fill. */
typedef struct sluice_record_spec {
  size_t struct_size;
  sluice_str topic;                /* required */
  int32_t partition;               /* Kafka partition, or -1 to let the key choose (murmur2) */
  const sluice_schema* key_schema; /* NULL with a NULL key: no key */
  sluice_datum key;
  const sluice_schema* value_schema; /* NULL with a NULL value: a tombstone */
  sluice_datum value;
  int64_t timestamp_ms; /* record timestamp; -1 = let the producer stamp it */
  const sluice_header* headers;
  size_t header_count;
  sluice_scalar_map source_partition; /* e.g. {"server": "shop"}; may be empty */
  sluice_scalar_map source_offset;    /* e.g. {"file": ..., "pos": ...}; may be empty */
  /* ---- appended in ABI 1.6 (read only when struct_size covers it) ---- */
  /* When the change this record carries happened at the source, in Unix ms (a binlog event's
   * time): the host measures from it to Kafka's acknowledgement, its commit-to-ack lag per topic
   * (docs/metrics.md). 0 or less: the record has no such time (snapshot rows, heartbeats), and
   * no lag is kept for it. Not the record's Kafka timestamp (`timestamp_ms`). */
  int64_t source_timestamp_ms;
} sluice_record_spec;

/* ============================================================================================== */
/* Configuration definition                                                                       */
/* ============================================================================================== */

typedef enum sluice_config_type {
  SLUICE_CONFIG_STRING = 1,
  SLUICE_CONFIG_INT = 2,  /* 32-bit signed */
  SLUICE_CONFIG_LONG = 3, /* 64-bit signed */
  SLUICE_CONFIG_DOUBLE = 4,
  SLUICE_CONFIG_BOOLEAN = 5, /* "true" / "false" (any case) */
  SLUICE_CONFIG_LIST = 6,    /* comma-separated */
  SLUICE_CONFIG_PASSWORD = 7 /* a string the host never logs or shows */
} sluice_config_type;

/* One key a connector accepts. Lives in the plugin's static storage. The host validates a config
 * against these before calling on_connector_start: required keys present, values parse as their
 * type; unknown keys are passed through (they may be meant for the worker, e.g. tasks.max), and
 * validate warns about those that are not Kafka Connect's either. A name holding `<...>` declares
 * a family of keys (`column.mask.with.<N>.chars`; `<...>` is any non-empty text), not type-checked
 * (older hosts look such names up literally and never find them). */
typedef struct sluice_config_def {
  size_t struct_size;
  const char* name;          /* e.g. "topic" */
  uint32_t type;             /* a sluice_config_type */
  const char* default_value; /* NULL = no default */
  int32_t required;          /* nonzero: the key must be present (a default then makes no sense) */
  int32_t secret;            /* nonzero: never logged or shown (PASSWORD implies it) */
  const char* doc;           /* one or two sentences, shown by the admin API */
} sluice_config_def;

/* A key the host adds to the config it passes to on_task_start (never to the stored config): the
 * topics this connector wrote to since it was created or its topics were last reset (Kafka
 * Connect's "active topics", kept in the status topic), comma-separated, empty when none. A task
 * that finds no committed offset although this is not empty knows its offsets were lost (an
 * offsets topic deleted or emptied) rather than never written. Absent when the host cannot tell
 * (a standalone worker keeps no status topic). Added in ABI 1.3; no struct changes. */
#define SLUICE_TASK_CONFIG_ACTIVE_TOPICS "sluice.connector.active.topics"

/* ============================================================================================== */
/* Notices from the host to the task                                                              */
/* ============================================================================================== */

/* Passed to on_task_acknowledged: every record of `source_partition` up to and including the one
 * that carried `source_offset` is acknowledged by Kafka. When `committed` is nonzero the offset
 * is also durably written to the offsets topic, so a restart will resume after it. */
typedef struct sluice_ack_notice {
  size_t struct_size;
  sluice_scalar_map source_partition;
  sluice_scalar_map source_offset;
  int32_t committed;
} sluice_ack_notice;

/* Collects task configurations in on_connector_task_configs; see api->task_config_add. */
typedef struct sluice_task_configs sluice_task_configs;

/* ============================================================================================== */
/* Progress, from the task to the host (ABI 1.2)                                                  */
/* ============================================================================================== */

/* What a task is doing. New phases come with a new minor version. */
typedef enum sluice_task_phase {
  SLUICE_TASK_PHASE_UNKNOWN = 0,   /* the task does not say */
  SLUICE_TASK_PHASE_SNAPSHOT = 1,  /* reading the data that exists (an initial snapshot) */
  SLUICE_TASK_PHASE_STREAMING = 2, /* following changes as they happen (a binlog, a log) */
  SLUICE_TASK_PHASE_IDLE = 3       /* nothing left to do, e.g. a snapshot-only run that finished */
} sluice_task_phase;

/* Longest string the host keeps from a progress report, in bytes; a longer `table` or `position`
 * is cut at a character boundary and ends in "...". */
#define SLUICE_TASK_PROGRESS_MAX_TEXT 1024

/* One progress report, as passed to api->task_progress_report. Start from
 * sluice_task_progress_init (it sets struct_size and every count to -1), then set what applies:
 * -1 (any negative value) means "unknown", a string of length 0 "none". A report replaces the
 * previous one entirely, so fill every member you know each time. */
typedef struct sluice_task_progress {
  size_t struct_size;
  uint32_t phase; /* a sluice_task_phase */
  /* SNAPSHOT. */
  sluice_str table;         /* the table being read, e.g. "inventory.orders"; len 0 = between */
  int64_t table_rows_done;  /* rows of `table` read so far */
  int64_t table_rows_total; /* rows `table` is estimated to hold (may be exceeded: an estimate) */
  int64_t tables_done;      /* tables read completely */
  int64_t tables_total;     /* tables to read in all */
  /* STREAMING (a snapshot may set `position` too: where streaming will start). */
  int64_t lag_ms;      /* now minus the source time of the last change read; 0 = caught up */
  sluice_str position; /* where in the source, e.g. "mariadb-bin.000003:1234" or a GTID set */
  /* ---- appended in ABI 1.6 (the host reads them only when struct_size covers them) ---- */
  /* Counters since the task started (Debezium's streaming and snapshot metrics). */
  int64_t events_seen;              /* change events read from the source (TotalNumberOfEventsSeen) */
  int64_t committed_transactions;   /* source transactions read to their commit */
  int64_t queue_remaining_capacity; /* room left in the task's own queue between its reader and
                                     * poll, in events (QueueRemainingCapacity) */
  int64_t snapshot_completed;       /* 1: the initial snapshot is complete, 0: not (yet) */
  int64_t snapshot_duration_ms;     /* how long the snapshot ran (or has run, while it runs) */
  /* How much of the source's log is kept behind the task's position before the source would
   * discard what the task still needs (a MySQL binlog purge): bytes, and seconds. */
  int64_t purge_headroom_bytes;
  int64_t purge_headroom_seconds;
  /* Something the operator should act on, shown with the task's status ("binlog purge headroom
   * 12 MB ..."); len 0 = none. Cut like `table` at SLUICE_TASK_PROGRESS_MAX_TEXT. */
  sluice_str warning;
} sluice_task_progress;

/* ============================================================================================== */
/* Host functions: the table the host hands to the plugin                                         */
/* ============================================================================================== */

/* The host's services. The table is read-only and lives at least until the last destroy callback
 * returns. MEMBERS ARE ONLY EVER APPENDED; check SLUICE_HAS_MEMBER before using one added after
 * ABI 1.0. */
typedef struct sluice_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  /* ---- diagnostics ---------------------------------------------------------------------- */

  /* Writes one log line, attributed to the connector or task of `ctx`.
   * Thread: any. Ownership: `message` borrowed. Failure: none (a line may be dropped). */
  void (*log)(sluice_ctx* ctx, sluice_log_level level, sluice_str message);

  /* Records why the callback now running failed. Call it just before returning a non-OK status;
   * the last call wins. The host reports `message` with the connector and task named.
   * Thread: the thread running a callback for `ctx`. Ownership: `message` copied.
   * Failure: none. */
  void (*set_error)(sluice_ctx* ctx, sluice_status code, sluice_str message);

  /* Asks the host to call on_connector_task_configs again and restart the tasks with the result
   * (Kafka Connect's requestTaskReconfiguration), e.g. because the set of tables changed.
   * Thread: any, until the connector's destroy returns; it only queues a request.
   * Failure: SLUICE_FAILED_PRECONDITION when `ctx` is not a connector context. */
  sluice_status (*request_reconfiguration)(sluice_ctx* ctx);

  /* ---- configuration -------------------------------------------------------------------- */

  /* Adds one task configuration while on_connector_task_configs runs.
   * Thread: inside on_connector_task_configs. Ownership: entries copied.
   * Failure: SLUICE_RESOURCE_EXHAUSTED once max_tasks configs were added. */
  sluice_status (*task_config_add)(sluice_task_configs* out, const sluice_config_entry* entries,
                                   size_t count);

  /* ---- committed offsets ---------------------------------------------------------------- */

  /* Looks up the last committed offset of `partition` for this task's connector, as read from the
   * offsets topic when the task started. `partition` matches field by field in order (the topic's
   * key is its JSON in that order): pass the fields in the order the records carry them. On
   * SLUICE_OK, *out points at host memory valid until the task is destroyed; SLUICE_NOT_FOUND when
   * there is none (start from the beginning).
   * Thread: the task thread. Ownership: `partition` borrowed.
   * Failure: SLUICE_FAILED_PRECONDITION when `ctx` is not a task context. */
  sluice_status (*offset_get)(sluice_ctx* ctx, sluice_scalar_map partition, sluice_scalar_map* out);

  /* ---- schemas -------------------------------------------------------------------------- */

  /* Builds an immutable schema; do it once (at task start, or the first time a table is seen) and
   * reuse the handle for every record. On SLUICE_OK *out is valid until the task is destroyed.
   * Thread: the task thread. Ownership: `spec` and everything it points to borrowed (copied);
   * the schemas it references must come from the same task.
   * Failure: SLUICE_INVALID_ARGUMENT with the reason logged and kept as the task's error (unknown
   * type, missing element schema, duplicate field name, default of the wrong kind, ...). */
  sluice_status (*schema_create)(sluice_ctx* ctx, const sluice_schema_spec* spec,
                                 const sluice_schema** out);

  /* Returns the index of field `name` in struct schema `schema`, or -1 when there is none.
   * Look indexes up once and keep them. Thread: any. */
  int32_t (*schema_field_index)(const sluice_schema* schema, sluice_str name);

  /* ---- values (inside on_task_poll only) ------------------------------------------------ */
  /* Value building never allocates on the heap per field: values live in the batch's arena.
   * A failed call returns NULL or an error AND marks the batch failed ("sticky", like a stream's
   * failbit): the host then fails the poll with the first such error, naming the field, so a
   * plugin may check return codes once per record instead of once per field. */

  /* A new struct of struct schema `schema`, every field null (or its default). Returns NULL on
   * failure (not a struct schema). */
  sluice_value* (*struct_new)(sluice_batch* batch, const sluice_schema* schema);

  /* Sets field `field_index` of `s`. The datum's kind must fit the field's schema type (INT for
   * INT8..INT64 within range, FLOAT for FLOAT32/64, ...); NULL only for optional fields or
   * fields with a default (written in its place); a VALUE
   * must be of the field's schema and built in the same batch. */
  sluice_status (*struct_set)(sluice_value* s, uint32_t field_index, const sluice_datum* datum);

  /* A new array of array schema `schema`; `capacity_hint` elements are reserved up front. */
  sluice_value* (*array_new)(sluice_batch* batch, const sluice_schema* schema,
                             size_t capacity_hint);

  /* Appends one element, checked against the array's element schema. */
  sluice_status (*array_append)(sluice_value* array, const sluice_datum* datum);

  /* A new map of map schema `schema`. */
  sluice_value* (*map_new)(sluice_batch* batch, const sluice_schema* schema, size_t capacity_hint);

  /* Adds one entry, checked against the map's key and value schemas. Keys are not deduplicated. */
  sluice_status (*map_put)(sluice_value* map, const sluice_datum* key, const sluice_datum* value);

  /* ---- records (inside on_task_poll only) ----------------------------------------------- */

  /* Appends one record to `batch`. The key and value are checked against their schemas; the
   * topic, headers, source partition and offset are copied into the batch. Records are produced
   * in the order they are appended; records of one source partition must carry increasing
   * offsets. Failure: SLUICE_INVALID_ARGUMENT (and the batch is marked failed). */
  sluice_status (*record_append)(sluice_batch* batch, const sluice_record_spec* record);

  /* The number of records appended to `batch` so far. */
  size_t (*batch_size)(const sluice_batch* batch);

  /* ---- ABI 1.2 ------------------------------------------------------------------------ */
  /* A plugin that may run in an older host (1.0, 1.1) checks
   * SLUICE_HAS_MEMBER(api, sluice_host_api, task_progress_report) before calling it
   * (convention 9). */
  /* Tells the host what the task is doing: its phase and, in a snapshot, the table being read with
   * its rows done and estimated total and the tables done and in all, or, streaming, how far the
   * task is behind its source and where it reads. The host keeps the latest report per task (each
   * replaces the one before), shows it in the admin API's task status and Watch stream, and
   * forgets it when the task is stopped or restarted (a failed task keeps its last one, which
   * tells where it failed). Cheap enough to call every poll: the host takes a lock and
   * copies the two strings into buffers it reserved when the task started (no heap allocation).
   * Thread: any, from on_task_start until on_task_destroy returns; it only records.
   * Ownership: `progress` and its strings borrowed (copied; see SLUICE_TASK_PROGRESS_MAX_TEXT).
   * Failure: SLUICE_INVALID_ARGUMENT for a NULL `progress`, a struct_size smaller than ABI 1.2's
   * sluice_task_progress, an unknown phase, or a NULL string with a length;
   * SLUICE_FAILED_PRECONDITION when `ctx` is not a task context. A refused report changes nothing
   * and never fails the task (ignoring the code is fine); the host logs the first refusal of each
   * task. */
  sluice_status (*task_progress_report)(sluice_ctx* ctx, const sluice_task_progress* progress);

  /* ---- ABI 1.3 ------------------------------------------------------------------------ */
  /* Check SLUICE_HAS_MEMBER(api, sluice_host_api, struct_copy) before calling it. */

  /* A new struct in the batch of `s`, with `s`'s schema and the values its fields hold now, for a
   * struct that differs from one already built in a field or two (the `source` block of the rows
   * of one binlog event differs only in its row number): copy it, then struct_set what differs.
   * The copy is shallow: strings are not copied again, and a nested struct, array or map is
   * shared, so setting a field of a nested value shows in both (set the copy's own fields only).
   * Costs one allocation in the batch's arena and no check per field (each was checked when set).
   * Thread: inside on_task_poll, like the other value functions. Ownership: `s` borrowed.
   * Failure: NULL, and the batch marked failed, when `s` is not a struct of a batch. */
  sluice_value* (*struct_copy)(const sluice_value* s);

  /* ---- ABI 1.5: exactly-once (kept in a block of its own) ----------------------------- */
  /* Check SLUICE_HAS_MEMBER(api, sluice_host_api, transaction_commit) before calling it. */

  /* Marks a transaction boundary after the records appended to `batch` so far (Kafka Connect's
   * TransactionContext.commitTransaction(record) for the last record appended): with the worker's
   * exactly.once.source.support=enabled and the connector's transaction.boundary=connector, the
   * host commits one Kafka transaction holding every record up to here (and the offsets they
   * carry) before it produces the records appended after. Without that setting the mark is
   * ignored, so a connector may always call it. A mark before any record of a poll ends the
   * transaction the earlier polls left open; two marks with no record between count once.
   * A connector that defines boundaries must mark one after a record whose acknowledgement it
   * waits for (e.g. a position it wants durable before it goes on): until the transaction that
   * holds a record commits, its offset is not committed.
   * Thread: inside on_task_poll, like record_append. Ownership: `batch` borrowed.
   * Failure: SLUICE_INVALID_ARGUMENT for a NULL batch. */
  sluice_status (*transaction_commit)(sluice_batch* batch);
} sluice_host_api;

/* ============================================================================================== */
/* Plugin callbacks: the descriptor the plugin returns                                           */
/* ============================================================================================== */

typedef enum sluice_connector_kind { SLUICE_CONNECTOR_SOURCE = 1 } sluice_connector_kind;

/* What a connector library is and does. Returned by the entry function; lives in the plugin's
 * static storage until the library is unloaded. Callbacks marked REQUIRED must be non-NULL or the
 * host refuses the plugin; OPTIONAL ones may be NULL.
 *
 * Lifecycle of one connector:
 *   on_connector_start(config) → on_connector_task_configs(max_tasks) → for each task config:
 *   on_task_start(task config) → on_task_poll(...)* → [on_task_acknowledged(...)*, interleaved,
 *   same thread] → on_task_stop (any thread) → on_task_destroy; then on_connector_stop →
 *   on_connector_destroy. A start callback that fails is followed by no other call on that
 *   instance (the plugin cleans up before returning).
 */
typedef struct sluice_connector_descriptor {
  size_t struct_size;
  uint32_t abi_major;      /* SLUICE_ABI_MAJOR as the plugin was compiled */
  uint32_t abi_minor;      /* SLUICE_ABI_MINOR as the plugin was compiled */
  const char* name;        /* e.g. "generator"; [A-Za-z0-9._-]+, unique per host with version */
  const char* version;     /* e.g. "1.2.0" */
  const char* description; /* one line, for the admin API */
  uint32_t kind;           /* a sluice_connector_kind */
  const sluice_config_def* config_defs; /* walked with each element's struct_size as stride */
  size_t config_def_count;

  /* REQUIRED. Creates a connector instance from a validated `config` and stores the plugin's
   * instance pointer in *instance. Should not block on remote systems for long: connect lazily or
   * in the tasks. Thread: a host control thread. Ownership: `api` lives until destroy returns;
   * `ctx` until destroy returns; `config` borrowed (copy what you keep).
   * Failure: non-OK status after api->set_error; no further call is made on this instance.
   * Also the connector's check of its config: validate and create start a throwaway instance (and
   * ask it for tasks.max task configs) before destroying it, so do no I/O here; the error names
   * its key first in backticks, and SLUICE_LOG_WARN lines logged here become validate's warnings. */
  sluice_status (*on_connector_start)(const sluice_host_api* api, sluice_ctx* ctx,
                                      const sluice_config_entry* config, size_t config_count,
                                      void** instance);

  /* REQUIRED. Produces at most `max_tasks` task configurations (Kafka Connect's tasks.max) by
   * calling api->task_config_add once per task. Thread: the host control thread.
   * Failure: non-OK status after api->set_error. */
  sluice_status (*on_connector_task_configs)(void* instance, size_t max_tasks,
                                             sluice_task_configs* out);

  /* OPTIONAL. The connector is being shut down; release remote resources.
   * Thread: the host control thread. */
  void (*on_connector_stop)(void* instance);

  /* REQUIRED. Frees the instance. Nothing is called on it afterwards.
   * Thread: the host control thread. */
  void (*on_connector_destroy)(void* instance);

  /* REQUIRED. Creates a task from its task config (one of those from on_connector_task_configs).
   * Read committed offsets here with api->offset_get to decide where to resume.
   * Thread: the task's thread (all later task callbacks but on_task_stop run on it).
   * Ownership: as on_connector_start. Failure: as on_connector_start. */
  sluice_status (*on_task_start)(const sluice_host_api* api, sluice_ctx* ctx,
                                 const sluice_config_entry* config, size_t config_count,
                                 void** instance);

  /* REQUIRED. Appends the records available now to `batch` with api->record_append, waiting at
   * most `timeout_ms` for the first one. Returning SLUICE_OK with an empty batch is normal (idle).
   * The host bounds in-flight data: it calls poll again only when there is room, so a plugin
   * should append what it has and return rather than buffer without bound.
   * Thread: the task thread. Ownership: `batch` and every value built in it are valid only until
   * this call returns. Failure: non-OK status after api->set_error; records appended before the
   * failure are discarded. SLUICE_UNAVAILABLE is transient: the host polls again after a
   * back-off (100 ms, doubling up to 10 s); other codes fail the task. */
  sluice_status (*on_task_poll)(void* instance, sluice_batch* batch, int64_t timeout_ms);

  /* OPTIONAL. Tells the task that records are acknowledged (see sluice_ack_notice), e.g. to let a
   * source release what it held for them. Thread: the task thread, between polls.
   * Ownership: `notice` borrowed. */
  void (*on_task_acknowledged)(void* instance, const sluice_ack_notice* notice);

  /* REQUIRED. Asks the task to stop: a poll in progress should return soon. MUST NOT block or
   * free anything; typically it sets an atomic flag or writes to an eventfd.
   * Thread: ANY thread, possibly while on_task_poll runs; possibly more than once. */
  void (*on_task_stop)(void* instance);

  /* REQUIRED. Frees the task. Called after the last poll returned.
   * Thread: the task thread. */
  void (*on_task_destroy)(void* instance);

  /* ---- appended in ABI 1.1: read only when struct_size covers them --------------------------- */

  /* OPTIONAL. Further names a connector.class may give for this connector, e.g. the Java class
   * name of the connector it stands in for ("io.debezium.connector.mysql.MySqlConnector"), so one
   * library answers to all of them. `alias_count` NUL-terminated strings spelled like `name`, in
   * static storage; NULL with 0 for none. Like `name`, each must be unique per host and version:
   * a library whose name or alias another loaded library already answers to is refused. */
  const char* const* aliases;
  size_t alias_count;

  /* ---- appended in ABI 1.4: read only when struct_size covers it ------------------------------ */

  /* OPTIONAL. Checks an offset a user asks the host to write for this connector (the admin API's
   * AlterOffsets, `sluice offsets set`) before anything is written: SLUICE_OK accepts it;
   * SLUICE_INVALID_ARGUMENT, after api->set_error(ctx, ...) saying what is wrong and what the
   * connector accepts, refuses it and the host writes none of the offsets asked for. Removing an
   * offset (a reset) is not checked. `partition` and `offset` are what the user gave, as the
   * ABI's scalar maps (as api->offset_get answers); `config` is the connector's config as stored
   * (config provider references such as ${file:...} unresolved). No instance exists: the
   * connector is stopped while its offsets change. Without this callback (plugins built before
   * 1.4) the host checks only that both are JSON objects of scalars.
   * Thread: a host control thread. Ownership: everything borrowed until the call returns.
   * Only api->log and api->set_error may be called with `ctx`. */
  sluice_status (*on_offset_check)(const sluice_host_api* api, sluice_ctx* ctx,
                                   const sluice_config_entry* config, size_t config_count,
                                   sluice_scalar_map partition, sluice_scalar_map offset);

  /* ---- appended in ABI 1.5 (exactly-once, a block of its own): read only when struct_size
   * covers them ------------------------------------------------------------------------------ */

  /* A sluice_exactly_once_support: whether this connector's tasks deliver each record exactly
   * once when the host commits their records and offsets in one Kafka transaction, i.e. whether a
   * task restarted from a committed offset emits exactly the records after it (Kafka Connect's
   * SourceConnector.exactlyOnceSupport). A connector config with exactly.once.support=required
   * is refused unless this is SLUICE_EXACTLY_ONCE_SUPPORTED. 0 (plugins built before 1.5):
   * not said. */
  uint32_t exactly_once_support;

  /* A sluice_transaction_boundaries: whether the tasks mark transaction boundaries with
   * api->transaction_commit (Kafka Connect's SourceConnector.canDefineTransactionBoundaries). A
   * connector config with transaction.boundary=connector is refused unless this is
   * SLUICE_TRANSACTION_BOUNDARIES_SUPPORTED. */
  uint32_t transaction_boundaries;
} sluice_connector_descriptor;

/* ABI 1.5: sluice_connector_descriptor.exactly_once_support. */
typedef enum sluice_exactly_once_support {
  SLUICE_EXACTLY_ONCE_NOT_SAID = 0,    /* Kafka Connect's null: the connector does not say */
  SLUICE_EXACTLY_ONCE_SUPPORTED = 1,   /* ExactlyOnceSupport.SUPPORTED */
  SLUICE_EXACTLY_ONCE_UNSUPPORTED = 2  /* ExactlyOnceSupport.UNSUPPORTED */
} sluice_exactly_once_support;

/* ABI 1.5: sluice_connector_descriptor.transaction_boundaries. */
typedef enum sluice_transaction_boundaries {
  SLUICE_TRANSACTION_BOUNDARIES_UNSUPPORTED = 0, /* ConnectorTransactionBoundaries.UNSUPPORTED */
  SLUICE_TRANSACTION_BOUNDARIES_SUPPORTED = 1    /* ConnectorTransactionBoundaries.SUPPORTED */
} sluice_transaction_boundaries;

/* The entry function. The host calls it once after loading the library, passing its own ABI
 * version; the plugin returns its descriptor (static storage), or NULL when it cannot work with
 * that host (e.g. it needs a host function a newer minor added). Thread: a host control thread.
 * Must not call into the host. */
typedef const sluice_connector_descriptor* (*sluice_connector_entry_fn)(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor);

/* Declaration of the entry function a plugin defines:
 *   SLUICE_EXPORT const sluice_connector_descriptor *sluice_connector_entry(uint32_t, uint32_t); */
SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor);

/* ============================================================================================== */
/* Conveniences (header-only; no host symbol involved)                                            */
/* ============================================================================================== */

static inline sluice_str sluice_str_of(const char* nul_terminated) {
  sluice_str s;
  size_t n = 0;
  if (nul_terminated != NULL) {
    while (nul_terminated[n] != '\0') ++n;
  }
  s.ptr = nul_terminated;
  s.len = n;
  return s;
}

static inline sluice_datum sluice_datum_null(void) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_NULL;
  d.u.i = 0;
  return d;
}

static inline sluice_datum sluice_datum_int(int64_t v) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_INT;
  d.u.i = v;
  return d;
}

static inline sluice_datum sluice_datum_float(double v) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_FLOAT;
  d.u.f = v;
  return d;
}

static inline sluice_datum sluice_datum_boolean(int v) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_BOOLEAN;
  d.u.b = v ? 1 : 0;
  return d;
}

static inline sluice_datum sluice_datum_string(const char* ptr, size_t len) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_STRING;
  d.u.str.ptr = ptr;
  d.u.str.len = len;
  return d;
}

static inline sluice_datum sluice_datum_bytes(const uint8_t* ptr, size_t len) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_BYTES;
  d.u.bytes.ptr = ptr;
  d.u.bytes.len = len;
  return d;
}

static inline sluice_datum sluice_datum_value(const sluice_value* v) {
  sluice_datum d;
  d.kind = SLUICE_DATUM_VALUE;
  d.u.value = v;
  return d;
}

/* A progress report in `phase` with nothing known yet: struct_size set, counts and lag -1, no
 * strings. */
static inline sluice_task_progress sluice_task_progress_init(sluice_task_phase phase) {
  sluice_task_progress p;
  p.struct_size = sizeof(sluice_task_progress);
  p.phase = (uint32_t)phase;
  p.table.ptr = NULL;
  p.table.len = 0;
  p.table_rows_done = -1;
  p.table_rows_total = -1;
  p.tables_done = -1;
  p.tables_total = -1;
  p.lag_ms = -1;
  p.position.ptr = NULL;
  p.position.len = 0;
  p.events_seen = -1;
  p.committed_transactions = -1;
  p.queue_remaining_capacity = -1;
  p.snapshot_completed = -1;
  p.snapshot_duration_ms = -1;
  p.purge_headroom_bytes = -1;
  p.purge_headroom_seconds = -1;
  p.warning.ptr = NULL;
  p.warning.len = 0;
  return p;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLUICE_CONNECTOR_H_ */
