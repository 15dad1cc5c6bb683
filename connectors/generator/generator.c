/*
 * The generator connector: keyed records at a configured rate and key cardinality.
 *
 * It is the example of the Sluice connector ABI (plain C, built from sluice/connector.h alone) and
 * the runtime's test double: its source offset lets it resume exactly where it stopped, and its
 * `fail.*` settings make it fail on purpose so the host's error paths can be tested.
 *
 * Records, per task t of n:
 *   key    sluice.generator.Key   {id: int64}           id = t + n * (seq % key.cardinality)
 *   value  sluice.generator.Value {id: int64, seq: int64, task: int32, payload: string,
 *                                  ts: int64 (org.apache.kafka.connect.data.Timestamp)}
 *   source partition {"generator": <topic>, "task": t}, source offset {"seq": seq}
 * seq counts from 0 per task; a restarted task continues at committed seq + 1. Keys of different
 * tasks never collide, so per-key order is a property of one task.
 *
 * Progress (ABI 1.2, when the host has api->task_progress_report): after each poll, "streaming"
 * at "seq <last seq made>" with how far it is behind its rate schedule as the lag, or "idle" once
 * max.records is reached. Built against 1.2, it still
 * runs in a 1.0 host: it checks the host table's size before calling.
 *
 * Exactly-once (ABI 1.5): it says it supports it (a restarted task emits exactly the records after
 * the committed seq) and defines transaction boundaries: with `transaction.records` N > 0 it marks
 * one after every N-th record (api->transaction_commit, when the host has it).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sluice/connector.h"

#define GENERATOR_VERSION "1.0.0"
#define MAX_CONFIG 32
#define MAX_TEXT 256

/* ---- configuration ------------------------------------------------------------------------ */

static const sluice_config_def kConfigDefs[] = {
    {sizeof(sluice_config_def), "topic", SLUICE_CONFIG_STRING, NULL, 1, 0,
     "Topic the records are written to."},
    {sizeof(sluice_config_def), "key.cardinality", SLUICE_CONFIG_LONG, "100", 0, 0,
     "Number of distinct keys each task cycles through."},
    {sizeof(sluice_config_def), "rate.per.sec", SLUICE_CONFIG_DOUBLE, "0", 0, 0,
     "Records per second per task; 0 means as fast as the worker takes them."},
    {sizeof(sluice_config_def), "batch.size", SLUICE_CONFIG_INT, "100", 0, 0,
     "Most records returned by one poll."},
    {sizeof(sluice_config_def), "max.records", SLUICE_CONFIG_LONG, "-1", 0, 0,
     "Each task stops producing after this sequence number is reached (-1: never)."},
    {sizeof(sluice_config_def), "payload.bytes", SLUICE_CONFIG_INT, "16", 0, 0,
     "Length of the `payload` string of each value."},
    {sizeof(sluice_config_def), "fail.on.poll", SLUICE_CONFIG_LONG, "-1", 0, 0,
     "Test hook: the N-th poll (1-based) of each task fails (-1: never)."},
    {sizeof(sluice_config_def), "fail.on.start", SLUICE_CONFIG_BOOLEAN, "false", 0, 0,
     "Test hook: task start fails."},
    {sizeof(sluice_config_def), "fail.code", SLUICE_CONFIG_INT, "13", 0, 0,
     "Test hook: the status code of injected failures (13 INTERNAL, 14 UNAVAILABLE, ...)."},
    {sizeof(sluice_config_def), "transaction.records", SLUICE_CONFIG_LONG, "0", 0, 0,
     "A transaction boundary after every N-th record (seq % N == N - 1), for "
     "transaction.boundary=connector; 0: none."},
    {sizeof(sluice_config_def), "mark.every", SLUICE_CONFIG_LONG, "0", 0, 0,
     "Test hook: every N-th record (seq % N == N - 1) carries the header `generator.mark` (its "
     "key), so a predicate (HasHeaderKey) can pick it out; 0: none."},
};

/* A private copy of a config (the host's is borrowed only for the duration of a call). */
typedef struct config_copy {
  size_t count;
  char keys[MAX_CONFIG][MAX_TEXT];
  char values[MAX_CONFIG][MAX_TEXT];
} config_copy;

static int copy_config(config_copy* out, const sluice_config_entry* in, size_t n) {
  if (n > MAX_CONFIG) return 0;
  out->count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (in[i].key.len >= MAX_TEXT || in[i].value.len >= MAX_TEXT) return 0;
    memcpy(out->keys[i], in[i].key.ptr, in[i].key.len);
    out->keys[i][in[i].key.len] = '\0';
    memcpy(out->values[i], in[i].value.ptr, in[i].value.len);
    out->values[i][in[i].value.len] = '\0';
    out->count++;
  }
  return 1;
}

/* The value of `key`, else its declared default, else NULL. */
static const char* config_get(const config_copy* c, const char* key) {
  for (size_t i = 0; i < c->count; ++i) {
    if (strcmp(c->keys[i], key) == 0) return c->values[i];
  }
  for (size_t i = 0; i < sizeof(kConfigDefs) / sizeof(kConfigDefs[0]); ++i) {
    if (strcmp(kConfigDefs[i].name, key) == 0) return kConfigDefs[i].default_value;
  }
  return NULL;
}

static int64_t config_long(const config_copy* c, const char* key) {
  const char* v = config_get(c, key);
  return v == NULL ? 0 : strtoll(v, NULL, 10);
}

static void fail(const sluice_host_api* api, sluice_ctx* ctx, sluice_status code, const char* msg) {
  api->set_error(ctx, code, sluice_str_of(msg));
}

/* ---- connector ---------------------------------------------------------------------------- */

typedef struct generator_connector {
  const sluice_host_api* api;
  sluice_ctx* ctx;
  config_copy config;
} generator_connector;

static sluice_status connector_start(const sluice_host_api* api, sluice_ctx* ctx,
                                     const sluice_config_entry* config, size_t count,
                                     void** instance) {
  generator_connector* c = calloc(1, sizeof(*c));
  if (c == NULL) {
    fail(api, ctx, SLUICE_RESOURCE_EXHAUSTED, "out of memory");
    return SLUICE_RESOURCE_EXHAUSTED;
  }
  c->api = api;
  c->ctx = ctx;
  /* Two slots are kept free for task.id and task.count. */
  if (count + 2 > MAX_CONFIG || !copy_config(&c->config, config, count)) {
    free(c);
    fail(api, ctx, SLUICE_INVALID_ARGUMENT, "generator: too many or too long config entries");
    return SLUICE_INVALID_ARGUMENT;
  }
  *instance = c;
  return SLUICE_OK;
}

static sluice_status connector_task_configs(void* instance, size_t max_tasks,
                                            sluice_task_configs* out) {
  generator_connector* c = instance;
  sluice_config_entry entries[MAX_CONFIG];
  char id[32], total[32];
  size_t n = 0;
  for (size_t i = 0; i < c->config.count; ++i) {
    entries[n].key = sluice_str_of(c->config.keys[i]);
    entries[n].value = sluice_str_of(c->config.values[i]);
    ++n;
  }
  snprintf(total, sizeof(total), "%zu", max_tasks);
  entries[n].key = sluice_str_of("task.count");
  entries[n].value = sluice_str_of(total);
  ++n;
  for (size_t t = 0; t < max_tasks; ++t) {
    snprintf(id, sizeof(id), "%zu", t);
    entries[n].key = sluice_str_of("task.id");
    entries[n].value = sluice_str_of(id);
    sluice_status st = c->api->task_config_add(out, entries, n + 1);
    if (st != SLUICE_OK) return st;
  }
  return SLUICE_OK;
}

static void connector_destroy(void* instance) { free(instance); }

/* ---- task --------------------------------------------------------------------------------- */

typedef struct generator_task {
  const sluice_host_api* api;
  sluice_ctx* ctx;
  char topic[MAX_TEXT];
  int64_t task_id, task_count, cardinality, batch_size, max_records, fail_on_poll, payload_bytes;
  sluice_status fail_code;
  double rate;
  int64_t next_seq; /* the seq of the next record */
  int64_t polls;
  int64_t started_ns;  /* monotonic clock when the rate schedule started */
  int64_t started_seq; /* next_seq at that time */
  int64_t last_acked_seq;
  int can_report_progress; /* the host's table has task_progress_report (ABI >= 1.2) */
  int can_mark_transactions; /* the host's table has transaction_commit (ABI >= 1.5) */
  int64_t transaction_records;
  int64_t mark_every;
  atomic_int stopping;
  const sluice_schema *key_schema, *value_schema;
  int32_t f_id, f_seq, f_task, f_payload, f_ts;
  char* payload;
} generator_task;

static int64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ns(int64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static sluice_status build_schemas(generator_task* t) {
  const sluice_host_api* api = t->api;
  const sluice_schema *i64 = NULL, *i32 = NULL, *str = NULL, *ts = NULL;
  sluice_schema_spec spec;
  sluice_status st;

  memset(&spec, 0, sizeof(spec));
  spec.struct_size = sizeof(spec);
  spec.type = SLUICE_TYPE_INT64;
  if ((st = api->schema_create(t->ctx, &spec, &i64)) != SLUICE_OK) return st;
  spec.type = SLUICE_TYPE_INT32;
  if ((st = api->schema_create(t->ctx, &spec, &i32)) != SLUICE_OK) return st;
  spec.type = SLUICE_TYPE_STRING;
  if ((st = api->schema_create(t->ctx, &spec, &str)) != SLUICE_OK) return st;
  spec.type = SLUICE_TYPE_INT64;
  spec.name = sluice_str_of("org.apache.kafka.connect.data.Timestamp");
  spec.has_version = 1;
  spec.version = 1;
  if ((st = api->schema_create(t->ctx, &spec, &ts)) != SLUICE_OK) return st;

  sluice_field_spec key_fields[] = {{sluice_str_of("id"), i64}};
  memset(&spec, 0, sizeof(spec));
  spec.struct_size = sizeof(spec);
  spec.type = SLUICE_TYPE_STRUCT;
  spec.name = sluice_str_of("sluice.generator.Key");
  spec.fields = key_fields;
  spec.field_count = 1;
  if ((st = api->schema_create(t->ctx, &spec, &t->key_schema)) != SLUICE_OK) return st;

  sluice_field_spec value_fields[] = {
      {sluice_str_of("id"), i64},      {sluice_str_of("seq"), i64}, {sluice_str_of("task"), i32},
      {sluice_str_of("payload"), str}, {sluice_str_of("ts"), ts},
  };
  spec.name = sluice_str_of("sluice.generator.Value");
  spec.fields = value_fields;
  spec.field_count = sizeof(value_fields) / sizeof(value_fields[0]);
  if ((st = api->schema_create(t->ctx, &spec, &t->value_schema)) != SLUICE_OK) return st;

  /* Field indexes are looked up once, not per record. */
  t->f_id = api->schema_field_index(t->value_schema, sluice_str_of("id"));
  t->f_seq = api->schema_field_index(t->value_schema, sluice_str_of("seq"));
  t->f_task = api->schema_field_index(t->value_schema, sluice_str_of("task"));
  t->f_payload = api->schema_field_index(t->value_schema, sluice_str_of("payload"));
  t->f_ts = api->schema_field_index(t->value_schema, sluice_str_of("ts"));
  return SLUICE_OK;
}

static void partition_entries(const generator_task* t, sluice_scalar_entry out[2]) {
  out[0].key = sluice_str_of("generator");
  out[0].kind = SLUICE_SCALAR_STRING;
  out[0].u.str = sluice_str_of(t->topic);
  out[1].key = sluice_str_of("task");
  out[1].kind = SLUICE_SCALAR_INT;
  out[1].u.i = t->task_id;
}

/* Resumes after the committed offset, if any. */
static sluice_status resume_from_offset(generator_task* t) {
  sluice_scalar_entry part[2];
  sluice_scalar_map partition = {part, 2};
  sluice_scalar_map offset = {NULL, 0};
  partition_entries(t, part);
  sluice_status st = t->api->offset_get(t->ctx, partition, &offset);
  if (st == SLUICE_NOT_FOUND) return SLUICE_OK;
  if (st != SLUICE_OK) return st;
  for (size_t i = 0; i < offset.count; ++i) {
    const sluice_scalar_entry* e = &offset.entries[i];
    if (e->key.len == 3 && memcmp(e->key.ptr, "seq", 3) == 0 && e->kind == SLUICE_SCALAR_INT) {
      t->next_seq = e->u.i + 1;
      return SLUICE_OK;
    }
  }
  fail(t->api, t->ctx, SLUICE_DATA_LOSS, "generator: committed offset has no integer `seq`");
  return SLUICE_DATA_LOSS;
}

static sluice_status task_start(const sluice_host_api* api, sluice_ctx* ctx,
                                const sluice_config_entry* config, size_t count, void** instance) {
  config_copy* c = malloc(sizeof(*c));
  generator_task* t = calloc(1, sizeof(*t));
  sluice_status st = SLUICE_OK;
  if (c == NULL || t == NULL) {
    free(c);
    free(t);
    fail(api, ctx, SLUICE_RESOURCE_EXHAUSTED, "out of memory");
    return SLUICE_RESOURCE_EXHAUSTED;
  }
  t->api = api;
  t->ctx = ctx;
  /* A 1.0 host's table ends before this member: reading it would read past the host's struct. */
  t->can_report_progress = SLUICE_HAS_MEMBER(api, sluice_host_api, task_progress_report) &&
                           api->task_progress_report != NULL;
  atomic_init(&t->stopping, 0);
  if (!copy_config(c, config, count)) {
    fail(api, ctx, SLUICE_INVALID_ARGUMENT, "generator: too many or too long config entries");
    st = SLUICE_INVALID_ARGUMENT;
    goto out;
  }
  snprintf(t->topic, sizeof(t->topic), "%s", config_get(c, "topic") ? config_get(c, "topic") : "");
  t->task_id = config_long(c, "task.id");
  t->task_count = config_long(c, "task.count");
  t->cardinality = config_long(c, "key.cardinality");
  t->batch_size = config_long(c, "batch.size");
  t->max_records = config_long(c, "max.records");
  t->fail_on_poll = config_long(c, "fail.on.poll");
  t->fail_code = (sluice_status)config_long(c, "fail.code");
  t->transaction_records = config_long(c, "transaction.records");
  t->mark_every = config_long(c, "mark.every");
  t->can_mark_transactions = SLUICE_HAS_MEMBER(api, sluice_host_api, transaction_commit) &&
                             api->transaction_commit != NULL;
  t->payload_bytes = config_long(c, "payload.bytes");
  t->rate = strtod(config_get(c, "rate.per.sec"), NULL);
  if (t->topic[0] == '\0' || t->cardinality <= 0 || t->batch_size <= 0 || t->task_count <= 0 ||
      t->payload_bytes < 0 || t->rate < 0) {
    fail(api, ctx, SLUICE_INVALID_ARGUMENT,
         "generator: `topic` must be set; `key.cardinality`, `batch.size` and the task count must "
         "be positive; `payload.bytes` and `rate.per.sec` must not be negative");
    st = SLUICE_INVALID_ARGUMENT;
    goto out;
  }
  if (strcmp(config_get(c, "fail.on.start"), "true") == 0) {
    fail(api, ctx, t->fail_code, "generator: failing task start as configured (fail.on.start)");
    st = t->fail_code;
    goto out;
  }
  t->payload = malloc((size_t)t->payload_bytes + 1);
  if (t->payload == NULL) {
    fail(api, ctx, SLUICE_RESOURCE_EXHAUSTED, "out of memory");
    st = SLUICE_RESOURCE_EXHAUSTED;
    goto out;
  }
  for (int64_t i = 0; i < t->payload_bytes; ++i) t->payload[i] = (char)('a' + i % 26);
  t->payload[t->payload_bytes] = '\0';
  if ((st = build_schemas(t)) != SLUICE_OK) goto out;
  if ((st = resume_from_offset(t)) != SLUICE_OK) goto out;
  t->last_acked_seq = t->next_seq - 1;
  t->started_ns = monotonic_ns();
  t->started_seq = t->next_seq;
  {
    char line[128];
    snprintf(line, sizeof(line), "generator task %lld starts at seq %lld", (long long)t->task_id,
             (long long)t->next_seq);
    api->log(ctx, SLUICE_LOG_INFO, sluice_str_of(line));
  }
out:
  free(c);
  if (st != SLUICE_OK) {
    free(t->payload);
    free(t);
    return st;
  }
  *instance = t;
  return SLUICE_OK;
}

/* Appends the record with sequence number t->next_seq. */
static sluice_status append_one(generator_task* t, sluice_batch* batch) {
  const sluice_host_api* api = t->api;
  int64_t seq = t->next_seq;
  int64_t id = t->task_id + t->task_count * (seq % t->cardinality);

  sluice_value* key = api->struct_new(batch, t->key_schema);
  sluice_value* value = api->struct_new(batch, t->value_schema);
  if (key == NULL || value == NULL) return SLUICE_INTERNAL;
  sluice_datum d = sluice_datum_int(id);
  /* Errors are sticky in the batch (see the header); checking the record is enough. */
  api->struct_set(key, 0, &d);
  api->struct_set(value, (uint32_t)t->f_id, &d);
  d = sluice_datum_int(seq);
  api->struct_set(value, (uint32_t)t->f_seq, &d);
  d = sluice_datum_int(t->task_id);
  api->struct_set(value, (uint32_t)t->f_task, &d);
  d = sluice_datum_string(t->payload, (size_t)t->payload_bytes);
  api->struct_set(value, (uint32_t)t->f_payload, &d);
  int64_t now = wall_ms();
  d = sluice_datum_int(now);
  api->struct_set(value, (uint32_t)t->f_ts, &d);

  sluice_scalar_entry part[2];
  sluice_scalar_entry off[1];
  partition_entries(t, part);
  off[0].key = sluice_str_of("seq");
  off[0].kind = SLUICE_SCALAR_INT;
  off[0].u.i = seq;

  sluice_record_spec r;
  memset(&r, 0, sizeof(r));
  r.struct_size = sizeof(r);
  r.topic = sluice_str_of(t->topic);
  r.partition = -1;
  r.key_schema = t->key_schema;
  r.key = sluice_datum_value(key);
  r.value_schema = t->value_schema;
  r.value = sluice_datum_value(value);
  r.timestamp_ms = now;
  r.source_partition.entries = part;
  r.source_partition.count = 2;
  r.source_offset.entries = off;
  r.source_offset.count = 1;
  sluice_header mark;
  if (t->mark_every > 0 && seq % t->mark_every == t->mark_every - 1) {
    mark.key = sluice_str_of("generator.mark");
    mark.schema = t->key_schema;
    mark.value = sluice_datum_value(key);
    r.headers = &mark;
    r.header_count = 1;
  }
  sluice_status st = api->record_append(batch, &r);
  if (st != SLUICE_OK) return st;
  t->next_seq++;
  if (t->can_mark_transactions && t->transaction_records > 0 &&
      (seq + 1) % t->transaction_records == 0) {
    st = api->transaction_commit(batch);
  }
  return st;
}

static sluice_status poll_records(generator_task* t, sluice_batch* batch, int64_t timeout_ms) {
  t->polls++;
  if (t->fail_on_poll > 0 && t->polls == t->fail_on_poll) {
    char msg[128];
    snprintf(msg, sizeof(msg), "generator: failing poll %lld as configured (fail.on.poll)",
             (long long)t->polls);
    fail(t->api, t->ctx, t->fail_code, msg);
    return t->fail_code;
  }
  int64_t deadline = monotonic_ns() + timeout_ms * 1000000;
  for (;;) {
    if (atomic_load(&t->stopping)) return SLUICE_OK;
    int64_t limit = t->batch_size;
    if (t->max_records >= 0 && t->max_records - t->next_seq < limit) {
      limit = t->max_records - t->next_seq;
      if (limit < 0) limit = 0;
    }
    int64_t now = monotonic_ns();
    int64_t wait_ns = 0;
    if (limit > 0 && t->rate > 0) {
      /* Records due by now under the rate, counted from when the schedule started. */
      int64_t due = t->started_seq + (int64_t)((double)(now - t->started_ns) * t->rate / 1e9);
      if (due - t->next_seq < limit) limit = due - t->next_seq;
      if (limit <= 0) {
        int64_t next_due_ns =
            t->started_ns + (int64_t)((double)(t->next_seq + 1 - t->started_seq) * 1e9 / t->rate);
        wait_ns = next_due_ns - now;
        limit = 0;
      }
    } else if (limit == 0) {
      wait_ns = deadline - now; /* done (max.records): idle until the timeout */
    }
    for (int64_t i = 0; i < limit; ++i) {
      sluice_status st = append_one(t, batch);
      if (st != SLUICE_OK) return st;
    }
    if (limit > 0 || now >= deadline) return SLUICE_OK;
    if (wait_ns > deadline - now) wait_ns = deadline - now;
    /* Sleep in slices so a stop request is noticed within 10 ms. */
    if (wait_ns > 10000000) wait_ns = 10000000;
    if (wait_ns > 0) sleep_ns(wait_ns);
  }
}

/* Tells the host where the task is; a refused report changes nothing, so its code is ignored. */
static void report_progress(generator_task* t) {
  if (!t->can_report_progress) return;
  const int done = t->max_records >= 0 && t->next_seq >= t->max_records;
  sluice_task_progress p =
      sluice_task_progress_init(done ? SLUICE_TASK_PHASE_IDLE : SLUICE_TASK_PHASE_STREAMING);
  char position[32];
  int n = snprintf(position, sizeof(position), "seq %lld", (long long)(t->next_seq - 1));
  if (t->next_seq > 0 && n > 0) p.position = sluice_str_of(position);
  if (!done && t->rate > 0) {
    /* Lag: how long ago the oldest record due by the rate schedule but not made yet fell due
     * (the worker holding polls back makes it grow); 0 when on schedule. */
    double due = (double)t->started_seq + (double)(monotonic_ns() - t->started_ns) * t->rate / 1e9;
    double behind = due - (double)t->next_seq;
    p.lag_ms = behind > 1 ? (int64_t)(behind * 1000.0 / t->rate) : 0;
  }
  (void)t->api->task_progress_report(t->ctx, &p);
}

static sluice_status task_poll(void* instance, sluice_batch* batch, int64_t timeout_ms) {
  generator_task* t = instance;
  sluice_status st = poll_records(t, batch, timeout_ms);
  if (st == SLUICE_OK) report_progress(t);
  return st;
}

static void task_acknowledged(void* instance, const sluice_ack_notice* notice) {
  generator_task* t = instance;
  for (size_t i = 0; i < notice->source_offset.count; ++i) {
    const sluice_scalar_entry* e = &notice->source_offset.entries[i];
    if (e->kind == SLUICE_SCALAR_INT && e->key.len == 3 && memcmp(e->key.ptr, "seq", 3) == 0) {
      t->last_acked_seq = e->u.i;
    }
  }
}

static void task_stop(void* instance) {
  generator_task* t = instance;
  atomic_store(&t->stopping, 1);
}

static void task_destroy(void* instance) {
  generator_task* t = instance;
  char line[128];
  snprintf(line, sizeof(line),
           "generator task %lld stops before seq %lld (acknowledged up to %lld)",
           (long long)t->task_id, (long long)t->next_seq, (long long)t->last_acked_seq);
  t->api->log(t->ctx, SLUICE_LOG_INFO, sluice_str_of(line));
  free(t->payload);
  free(t);
}

/* ---- entry -------------------------------------------------------------------------------- */

static const sluice_connector_descriptor kDescriptor = {
    .struct_size = sizeof(sluice_connector_descriptor),
    .abi_major = SLUICE_ABI_MAJOR,
    .abi_minor = SLUICE_ABI_MINOR,
    .name = "generator",
    .version = GENERATOR_VERSION,
    .description = "Generates keyed records at a configured rate; the example connector.",
    .kind = SLUICE_CONNECTOR_SOURCE,
    .config_defs = kConfigDefs,
    .config_def_count = sizeof(kConfigDefs) / sizeof(kConfigDefs[0]),
    .on_connector_start = connector_start,
    .on_connector_task_configs = connector_task_configs,
    .on_connector_stop = NULL,
    .on_connector_destroy = connector_destroy,
    .on_task_start = task_start,
    .on_task_poll = task_poll,
    .on_task_acknowledged = task_acknowledged,
    .on_task_stop = task_stop,
    .on_task_destroy = task_destroy,
    .aliases = NULL,
    .alias_count = 0,
    .on_offset_check = NULL,
    /* A restarted task continues at committed seq + 1, so it emits exactly the records after the
     * committed offset; transaction.records marks boundaries. */
    .exactly_once_support = SLUICE_EXACTLY_ONCE_SUPPORTED,
    .transaction_boundaries = SLUICE_TRANSACTION_BOUNDARIES_SUPPORTED,
};

SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor) {
  /* A 1.0 host is fine too: progress reports are skipped when its table lacks the call. */
  (void)host_abi_minor;
  if (host_abi_major != SLUICE_ABI_MAJOR) return NULL;
  return &kDescriptor;
}
