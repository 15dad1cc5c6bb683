// How a cluster's follower sends the task configs its connector instances generate to the leader
// (herder::TaskConfigsSender): the Admin service's PutTaskConfigs RPC on the leader's published
// admin listener, over the credentials this worker reaches other workers with, with this
// worker's bearer token when its listener requires one (a cluster's workers share their worker
// properties, so the leader asks for the same), marked as already forwarded.
//
// Threads: the sender may be called from any thread (the herder's); it owns copies of what it
// needs, so it outlives the AdminServer that made it.
#ifndef SLUICE_RUNTIME_ADMIN_TASK_CONFIGS_SENDER_H_
#define SLUICE_RUNTIME_ADMIN_TASK_CONFIGS_SENDER_H_

#include <memory>
#include <string>

#include "grpcpp/security/credentials.h"
#include "runtime/herder/herder_types.h"

namespace sluice::admin {

// `token`: empty = none sent.
herder::TaskConfigsSender MakeTaskConfigsSender(
    std::shared_ptr<grpc::ChannelCredentials> peer_credentials, std::string token);

}  // namespace sluice::admin

#endif  // SLUICE_RUNTIME_ADMIN_TASK_CONFIGS_SENDER_H_
