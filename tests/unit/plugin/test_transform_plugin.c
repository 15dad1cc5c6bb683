/* Deliberately broken (or deliberately failing) transform libraries for the loader tests.
 * One source, one variant per MODULE target (see CMakeLists.txt):
 *   VARIANT_ABI_MAJOR         claims transform ABI major 99
 *   VARIANT_MISSING_CALLBACKS a transformation without on_apply, a predicate without on_test
 *   VARIANT_NO_DESCRIPTORS    its entry returns none
 *   VARIANT_BOTH_ENTRIES      also exports sluice_connector_entry
 *   VARIANT_DUPLICATE_CLASS   declares the same class twice
 *   VARIANT_BUILTIN_CLASS     declares Kafka's Filter
 *   VARIANT_KEY_FAMILY        declares an option `x.<N>.y`
 *   VARIANT_FAILING           a good library whose transform fails every record (set_error
 *                             "boom on <topic>") and whose predicate fails on every record that
 *                             carries a header `generator.mark` (set_error "cannot judge a marked
 *                             record"; the generator's mark.every sets it) and is false on others
 */
#include <stddef.h>
#include <string.h>

#include "sluice/transform.h"

static const sluice_transform_host_api* g_api;
static sluice_transform_ctx* g_ctx;
static int g_instance;

static sluice_status start(const sluice_transform_host_api* api, sluice_transform_ctx* ctx,
                           const sluice_config_entry* config, size_t n, void** instance) {
  (void)config;
  (void)n;
  g_api = api;
  g_ctx = ctx;
  *instance = &g_instance;
  return SLUICE_OK;
}

__attribute__((unused)) static sluice_status apply(void* instance, sluice_transform_record* record, uint32_t* verdict) {
  (void)instance;
  (void)verdict;
  char message[256] = "boom on ";
  sluice_str topic = g_api->record_topic(record);
  size_t n = topic.len < 200 ? topic.len : 200;
  memcpy(message + 8, topic.ptr, n);
  sluice_str s = {message, 8 + n};
  g_api->set_error(g_ctx, SLUICE_INVALID_ARGUMENT, s);
  return SLUICE_INVALID_ARGUMENT;
}

__attribute__((unused)) static sluice_status test(void* instance, const sluice_transform_record* record, int32_t* result) {
  (void)instance;
  *result = 0;
  sluice_datum mark;
  if (g_api->record_header_get(record, sluice_str_of("generator.mark"), &mark) == SLUICE_NOT_FOUND) {
    return SLUICE_OK;
  }
  g_api->set_error(g_ctx, SLUICE_INTERNAL, sluice_str_of("cannot judge a marked record"));
  return SLUICE_INTERNAL;
}

static void destroy(void* instance) { (void)instance; }

#ifdef VARIANT_KEY_FAMILY
static const sluice_config_def kDefs[] = {
    {sizeof(sluice_config_def), "x.<N>.y", SLUICE_CONFIG_STRING, NULL, 0, 0, "a family"},
};
#define DEFS kDefs, 1
#else
#define DEFS NULL, 0
#endif

#ifdef VARIANT_ABI_MAJOR
#define MAJOR 99
#else
#define MAJOR SLUICE_TRANSFORM_ABI_MAJOR
#endif

#ifdef VARIANT_MISSING_CALLBACKS
#define APPLY NULL
#define TEST NULL
#else
#define APPLY apply
#define TEST test
#endif

#if defined(VARIANT_BUILTIN_CLASS)
#define TRANSFORM_CLASS "org.apache.kafka.connect.transforms.Filter"
#elif defined(VARIANT_FAILING)
#define TRANSFORM_CLASS "com.example.test.Failing"
#else
#define TRANSFORM_CLASS "com.example.test.Broken"
#endif

static const sluice_transform_descriptor kTransform = {
    sizeof(sluice_transform_descriptor), MAJOR, SLUICE_TRANSFORM_ABI_MINOR,
    SLUICE_TRANSFORM_KIND_TRANSFORMATION, TRANSFORM_CLASS, "1.0.0", NULL, DEFS, start, APPLY, NULL,
    destroy,
};

static const sluice_transform_descriptor kPredicate = {
    sizeof(sluice_transform_descriptor), MAJOR, SLUICE_TRANSFORM_ABI_MINOR,
    SLUICE_TRANSFORM_KIND_PREDICATE,
#ifdef VARIANT_DUPLICATE_CLASS
    TRANSFORM_CLASS,
#elif defined(VARIANT_FAILING)
    "com.example.test.FailingPredicate",
#else
    "com.example.test.BrokenPredicate",
#endif
    "1.0.0", NULL, NULL, 0, start, NULL, TEST, destroy,
};

__attribute__((unused)) static const sluice_transform_descriptor* const kDescriptors[] = {&kTransform, &kPredicate};

SLUICE_EXPORT const sluice_transform_descriptor* const* sluice_transform_entry(uint32_t major,
                                                                              uint32_t minor,
                                                                              size_t* count) {
  (void)major;
  (void)minor;
#ifdef VARIANT_NO_DESCRIPTORS
  *count = 0;
  return NULL;
#else
  *count = 2;
  return kDescriptors;
#endif
}

#ifdef VARIANT_BOTH_ENTRIES
SLUICE_EXPORT const sluice_connector_descriptor* sluice_connector_entry(uint32_t major, uint32_t minor) {
  (void)major;
  (void)minor;
  return NULL;
}
#endif
