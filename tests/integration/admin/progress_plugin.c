/* A test connector whose one task reports, after every poll, the progress its config describes
 * (api->task_progress_report, ABI 1.2) and produces nothing. Keys, all optional:
 *   progress.phase ("snapshot", "streaming", "idle"), progress.table, progress.rows.done,
 *   progress.rows.total, progress.tables.done, progress.tables.total, progress.lag.ms,
 *   progress.position
 * Built from the ABI header alone, like any plugin; checks the host table's size before calling. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sluice/connector.h"

#define MAX_TEXT 256

typedef struct progress_connector {
  const sluice_host_api* api;
  sluice_config_entry* config; /* copied, handed on to the task */
  char* text;
  size_t count;
} progress_connector;

typedef struct progress_task {
  const sluice_host_api* api;
  sluice_ctx* ctx;
  sluice_task_progress report;
  char table[MAX_TEXT];
  char position[MAX_TEXT];
} progress_task;

static void copy_text(char* out, sluice_str in) {
  size_t n = in.len < MAX_TEXT - 1 ? in.len : MAX_TEXT - 1;
  if (n > 0) memcpy(out, in.ptr, n);
  out[n] = '\0';
}

static int is_key(sluice_str key, const char* name) {
  return key.len == strlen(name) && memcmp(key.ptr, name, key.len) == 0;
}

static int64_t to_long(sluice_str value) {
  char text[32];
  copy_text(text, (sluice_str){value.ptr, value.len < sizeof(text) - 1 ? value.len : 31});
  return strtoll(text, NULL, 10);
}

static sluice_status connector_start(const sluice_host_api* api, sluice_ctx* ctx,
                                     const sluice_config_entry* config, size_t count,
                                     void** instance) {
  (void)ctx;
  progress_connector* c = calloc(1, sizeof(*c));
  size_t bytes = 0;
  for (size_t i = 0; i < count; ++i) bytes += config[i].key.len + config[i].value.len;
  if (c != NULL) {
    c->config = calloc(count + 1, sizeof(*c->config));
    c->text = malloc(bytes + 1);
  }
  if (c == NULL || c->config == NULL || c->text == NULL) {
    if (c != NULL) {
      free(c->config);
      free(c->text);
    }
    free(c);
    return SLUICE_RESOURCE_EXHAUSTED;
  }
  char* p = c->text;
  for (size_t i = 0; i < count; ++i) {
    if (config[i].key.len > 0) memcpy(p, config[i].key.ptr, config[i].key.len);
    c->config[i].key = (sluice_str){p, config[i].key.len};
    p += config[i].key.len;
    if (config[i].value.len > 0) memcpy(p, config[i].value.ptr, config[i].value.len);
    c->config[i].value = (sluice_str){p, config[i].value.len};
    p += config[i].value.len;
  }
  c->count = count;
  c->api = api;
  *instance = c;
  return SLUICE_OK;
}

static sluice_status connector_task_configs(void* instance, size_t max_tasks,
                                            sluice_task_configs* out) {
  progress_connector* c = instance;
  (void)max_tasks;
  return c->api->task_config_add(out, c->config, c->count);
}

static void connector_destroy(void* instance) {
  progress_connector* c = instance;
  free(c->config);
  free(c->text);
  free(c);
}

static sluice_status task_start(const sluice_host_api* api, sluice_ctx* ctx,
                                const sluice_config_entry* config, size_t count, void** instance) {
  progress_task* t = calloc(1, sizeof(*t));
  if (t == NULL) return SLUICE_RESOURCE_EXHAUSTED;
  t->api = api;
  t->ctx = ctx;
  t->report = sluice_task_progress_init(SLUICE_TASK_PHASE_UNKNOWN);
  for (size_t i = 0; i < count; ++i) {
    sluice_str k = config[i].key, v = config[i].value;
    if (is_key(k, "progress.phase")) {
      char phase[32];
      copy_text(phase, (sluice_str){v.ptr, v.len < 31 ? v.len : 31});
      if (strcmp(phase, "snapshot") == 0) t->report.phase = SLUICE_TASK_PHASE_SNAPSHOT;
      if (strcmp(phase, "streaming") == 0) t->report.phase = SLUICE_TASK_PHASE_STREAMING;
      if (strcmp(phase, "idle") == 0) t->report.phase = SLUICE_TASK_PHASE_IDLE;
    } else if (is_key(k, "progress.table")) {
      copy_text(t->table, v);
      t->report.table = sluice_str_of(t->table);
    } else if (is_key(k, "progress.position")) {
      copy_text(t->position, v);
      t->report.position = sluice_str_of(t->position);
    } else if (is_key(k, "progress.rows.done")) {
      t->report.table_rows_done = to_long(v);
    } else if (is_key(k, "progress.rows.total")) {
      t->report.table_rows_total = to_long(v);
    } else if (is_key(k, "progress.tables.done")) {
      t->report.tables_done = to_long(v);
    } else if (is_key(k, "progress.tables.total")) {
      t->report.tables_total = to_long(v);
    } else if (is_key(k, "progress.lag.ms")) {
      t->report.lag_ms = to_long(v);
    }
  }
  *instance = t;
  return SLUICE_OK;
}

static sluice_status task_poll(void* instance, sluice_batch* batch, int64_t timeout_ms) {
  progress_task* t = instance;
  (void)batch;
  struct timespec wait = {0, (long)(timeout_ms < 50 ? timeout_ms : 50) * 1000 * 1000};
  nanosleep(&wait, NULL);
  if (SLUICE_HAS_MEMBER(t->api, sluice_host_api, task_progress_report)) {
    (void)t->api->task_progress_report(t->ctx, &t->report);
  }
  return SLUICE_OK;
}

static void task_stop(void* instance) { (void)instance; }
static void task_destroy(void* instance) { free(instance); }

static const sluice_connector_descriptor kDescriptor = {
    .struct_size = sizeof(sluice_connector_descriptor),
    .abi_major = SLUICE_ABI_MAJOR,
    .abi_minor = SLUICE_ABI_MINOR,
    .name = "progress-reporting",
    .version = "1.0.0",
    .description = "Test connector: reports the progress its config describes.",
    .kind = SLUICE_CONNECTOR_SOURCE,
    .config_defs = NULL,
    .config_def_count = 0,
    .on_connector_start = connector_start,
    .on_connector_task_configs = connector_task_configs,
    .on_connector_stop = NULL,
    .on_connector_destroy = connector_destroy,
    .on_task_start = task_start,
    .on_task_poll = task_poll,
    .on_task_acknowledged = NULL,
    .on_task_stop = task_stop,
    .on_task_destroy = task_destroy,
};

SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(uint32_t host_abi_major,
                                                                        uint32_t host_abi_minor) {
  (void)host_abi_minor;
  return host_abi_major == SLUICE_ABI_MAJOR ? &kDescriptor : NULL;
}
