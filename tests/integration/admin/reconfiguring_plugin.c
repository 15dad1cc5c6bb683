/* A test connector that asks the host to reconfigure its tasks once, half a second after it
 * starts: its task configs then carry "generation"="2" instead of "1". Its tasks produce nothing.
 * Built from the ABI header alone, like any plugin. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "sluice/connector.h"

typedef struct reconfiguring_connector {
  const sluice_host_api* api;
  sluice_ctx* ctx;
  atomic_int generation;
  atomic_int stopping;
  pthread_t thread;
} reconfiguring_connector;

static void* request_later(void* arg) {
  reconfiguring_connector* c = arg;
  struct timespec step = {0, 10 * 1000 * 1000};
  for (int i = 0; i < 50 && !atomic_load(&c->stopping); ++i) nanosleep(&step, NULL);
  if (!atomic_load(&c->stopping)) {
    atomic_store(&c->generation, 2);
    c->api->request_reconfiguration(c->ctx);
  }
  return NULL;
}

static sluice_status connector_start(const sluice_host_api* api, sluice_ctx* ctx,
                                     const sluice_config_entry* config, size_t count,
                                     void** instance) {
  (void)config;
  (void)count;
  reconfiguring_connector* c = calloc(1, sizeof(*c));
  if (c == NULL) return SLUICE_RESOURCE_EXHAUSTED;
  c->api = api;
  c->ctx = ctx;
  atomic_init(&c->generation, 1);
  atomic_init(&c->stopping, 0);
  if (pthread_create(&c->thread, NULL, request_later, c) != 0) {
    free(c);
    return SLUICE_INTERNAL;
  }
  *instance = c;
  return SLUICE_OK;
}

static sluice_status connector_task_configs(void* instance, size_t max_tasks,
                                            sluice_task_configs* out) {
  reconfiguring_connector* c = instance;
  (void)max_tasks;
  sluice_config_entry entry;
  entry.key = sluice_str_of("generation");
  entry.value = sluice_str_of(atomic_load(&c->generation) == 2 ? "2" : "1");
  return c->api->task_config_add(out, &entry, 1);
}

static void connector_stop(void* instance) {
  reconfiguring_connector* c = instance;
  atomic_store(&c->stopping, 1);
}

static void connector_destroy(void* instance) {
  reconfiguring_connector* c = instance;
  atomic_store(&c->stopping, 1);
  pthread_join(c->thread, NULL);
  free(c);
}

static sluice_status task_start(const sluice_host_api* api, sluice_ctx* ctx,
                                const sluice_config_entry* config, size_t count, void** instance) {
  (void)api;
  (void)ctx;
  (void)config;
  (void)count;
  *instance = malloc(1);
  return *instance == NULL ? SLUICE_RESOURCE_EXHAUSTED : SLUICE_OK;
}

static sluice_status task_poll(void* instance, sluice_batch* batch, int64_t timeout_ms) {
  (void)instance;
  (void)batch;
  struct timespec wait = {0, (long)(timeout_ms < 50 ? timeout_ms : 50) * 1000 * 1000};
  nanosleep(&wait, NULL);
  return SLUICE_OK;
}

static void task_stop(void* instance) { (void)instance; }
static void task_destroy(void* instance) { free(instance); }

static const sluice_connector_descriptor kDescriptor = {
    .struct_size = sizeof(sluice_connector_descriptor),
    .abi_major = SLUICE_ABI_MAJOR,
    .abi_minor = SLUICE_ABI_MINOR,
    .name = "reconfiguring",
    .version = "1.0.0",
    .description = "Test connector: asks for its tasks to be reconfigured once.",
    .kind = SLUICE_CONNECTOR_SOURCE,
    .config_defs = NULL,
    .config_def_count = 0,
    .on_connector_start = connector_start,
    .on_connector_task_configs = connector_task_configs,
    .on_connector_stop = connector_stop,
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
