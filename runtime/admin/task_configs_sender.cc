#include "runtime/admin/task_configs_sender.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "runtime/admin/admin_service.h"

namespace sluice::admin {
namespace {

// The herder thread waits for the answer: a leader that does not answer by then is asked again
// at the next tick.
constexpr auto kSendTimeout = std::chrono::seconds(5);

}  // namespace

herder::TaskConfigsSender MakeTaskConfigsSender(
    std::shared_ptr<grpc::ChannelCredentials> peer_credentials, std::string token) {
  return [peer_credentials = std::move(peer_credentials), token = std::move(token)](
             const herder::WorkerAddress& leader, const std::string& from,
             const std::string& name, const std::vector<ConfigMap>& tasks) -> absl::Status {
    if (leader.admin.empty()) {
      return absl::AbortedError(
          absl::StrCat("the leader ", leader.id, " published no admin listener to send to"));
    }
    pb::PutTaskConfigsRequest request;
    request.set_name(name);
    request.set_from_worker(from);
    for (const ConfigMap& task : tasks) {
      pb::OrderedConfig* config = request.add_tasks();
      for (const auto& [key, value] : task) {
        pb::ConfigEntry* entry = config->add_entries();
        entry->set_key(key);
        entry->set_value(value);
      }
    }
    std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(leader.admin, peer_credentials);
    std::unique_ptr<pb::Admin::Stub> stub = pb::Admin::NewStub(channel);
    grpc::ClientContext call;
    call.set_deadline(std::chrono::system_clock::now() + kSendTimeout);
    if (!token.empty()) call.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    call.AddMetadata(kForwardMetadataKey, "false");
    pb::PutTaskConfigsResponse reply;
    const grpc::Status answer = stub->PutTaskConfigs(&call, request, &reply);
    if (answer.ok()) return absl::OkStatus();
    // gRPC's codes are absl's (admin.proto's header).
    return absl::Status(static_cast<absl::StatusCode>(answer.error_code()),
                        absl::StrCat("sending its task configs to the leader ", leader.id, " (",
                                     leader.admin, "): ", answer.error_message()));
  };
}

}  // namespace sluice::admin
