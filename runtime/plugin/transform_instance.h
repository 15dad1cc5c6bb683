// The host side of the transform ABI (sluice/transform.h): the sluice_transform_host_api table,
// the record handle it reads and rewrites, and the adapters that run one plugin instance as a
// transform::Transformation or transform::Predicate in a chain.
//
// An adapter owns its instance (on_start when made, on_destroy when destroyed) and holds the
// library. It is used as the chain uses every stage: on one task thread (ABI convention 6).
#ifndef SLUICE_RUNTIME_PLUGIN_TRANSFORM_INSTANCE_H_
#define SLUICE_RUNTIME_PLUGIN_TRANSFORM_INSTANCE_H_

#include <memory>

#include "runtime/common/log.h"
#include "runtime/plugin/transform_library.h"
#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"
#include "sluice/transform.h"

namespace sluice::plugin {

// Reads the options the descriptor declares from `options` (required ones present, values parsed
// as their type; problems recorded under the option's key; undeclared ones are refused by the
// chain's Finish()), then calls on_start. nullptr when the options are refused or on_start fails
// (its message recorded as a problem of `type`).
std::unique_ptr<transform::Transformation> MakePluginTransformation(
    std::shared_ptr<const TransformLibrary> library, const sluice_transform_descriptor& d,
    const LogSink& log, transform::TransformOptions& options);
std::unique_ptr<transform::Predicate> MakePluginPredicate(
    std::shared_ptr<const TransformLibrary> library, const sluice_transform_descriptor& d,
    const LogSink& log, transform::TransformOptions& options);

// The config definition at index `i`, walked by the elements' own struct_size.
const sluice_config_def* TransformConfigDefAt(const sluice_transform_descriptor& d, size_t i);

// The host's function table (static).
const sluice_transform_host_api* TransformHostApi();

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_TRANSFORM_INSTANCE_H_
