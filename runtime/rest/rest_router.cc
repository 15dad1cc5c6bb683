#include "runtime/rest/rest_router.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/plugin/config_validation.h"
#include "runtime/rest/request_forwarder.h"
#include "runtime/rest/loggers_route.h"
#include "runtime/rest/metrics_route.h"
#include "runtime/rest_json/rest_json.h"

namespace sluice::rest {
namespace {

RestResponse Json(int status, std::string body) { return {status, std::move(body), ""}; }
RestResponse Empty(int status) { return {status, "", ""}; }
RestResponse ErrorResponse(int status, absl::string_view message) {
  return Json(status, ErrorJson(status, message));
}
// Jersey's answers for a path no resource has, and for a method the resource lacks.
RestResponse NoSuchPath() { return ErrorResponse(404, "HTTP 404 Not Found"); }
RestResponse NoSuchMethod() { return ErrorResponse(405, "HTTP 405 Method Not Allowed"); }

// A query flag: true when given as "true" (any case), as JAX-RS reads a boolean.
bool Flag(const RestRequest& request, const std::string& name) {
  auto it = request.params.find(name);
  return it != request.params.end() && absl::AsciiStrToLower(it->second) == "true";
}

bool HasParam(const RestRequest& request, const std::string& name, const std::string& value) {
  auto [begin, end] = request.params.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (it->second == value) return true;
  }
  return false;
}

// The connector plugin `type` of a validate path matches a config's `connector.class` when the
// class ends with it (Kafka Connect accepts the simple name or the full class name).
bool SamePlugin(absl::string_view connector_class, absl::string_view type) {
  return absl::EndsWith(connector_class, type) || absl::EndsWith(type, connector_class);
}

class Call {
 public:
  Call(herder::Herder& herder, const ServerInfo& info, const RestRequest& request,
       const RequestForwarder* forwarder)
      : herder_(herder), info_(info), request_(request), forwarder_(forwarder) {}

  RestResponse Route() {
    std::vector<std::string> p = absl::StrSplit(request_.path, '/', absl::SkipEmpty());
    const std::string& m = request_.method;
    if (p.empty()) return m == "GET" ? Json(200, ServerInfoJson(info_.version, info_.commit,
                                                                 info_.kafka_cluster_id))
                                     : NoSuchMethod();
    if (p[0] == "health" && p.size() == 1) {
      // KIP-1017: the worker has started (the herder is serving, or this would not be reached).
      return m == "GET" ? Json(200, HealthJson("healthy", "Worker has completed startup and is "
                                                          "ready to handle requests."))
                        : NoSuchMethod();
    }
    if (p[0] == "connectors") return Connectors(p);
    if (p[0] == "connector-plugins") return Plugins(p);
    if (p[0] == "admin" && p.size() >= 2 && p[1] == "loggers") return RouteLoggers(herder_, request_, p);
    if (p[0] == "metrics" && p.size() == 1) return RouteMetrics(herder_, request_);
    return NoSuchPath();
  }

 private:
  RestResponse Connectors(const std::vector<std::string>& p) {
    const std::string& m = request_.method;
    if (p.size() == 1) {
      if (m == "GET") return List();
      if (m == "POST") return Create();
      return NoSuchMethod();
    }
    const std::string& name = p[1];
    if (p.size() == 2) {
      if (m == "GET") return Info(herder_.Get(name), 200);
      if (m == "DELETE") return Done(herder_.Delete(name), 204);
      return NoSuchMethod();
    }
    const std::string& what = p[2];
    if (p.size() == 3) {
      if (what == "config") {
        if (m == "GET") return Config(name);
        if (m == "PUT") return PutConfig(name);
        if (m == "PATCH") return PatchConfig(name);
        return NoSuchMethod();
      }
      if (what == "status") return m == "GET" ? Status(name) : NoSuchMethod();
      if (what == "tasks") return m == "GET" ? Tasks(name) : NoSuchMethod();
      if (what == "restart") return m == "POST" ? Restart(name) : NoSuchMethod();
      if (what == "pause") return m == "PUT" ? Accepted(herder_.Pause(name)) : NoSuchMethod();
      if (what == "resume") return m == "PUT" ? Accepted(herder_.Resume(name)) : NoSuchMethod();
      if (what == "stop") {
        if (m != "PUT") return NoSuchMethod();
        absl::StatusOr<herder::ConnectorStatusInfo> stopped = herder_.Stop(name);
        return stopped.ok() ? Empty(204) : Error(stopped.status());
      }
      if (what == "topics") return m == "GET" ? Topics(name) : NoSuchMethod();
      if (what == "offsets") {
        if (m == "GET") return Offsets(name);
        if (m == "PATCH") return AlterOffsets(name);
        if (m == "DELETE") return ResetOffsets(name);
        return NoSuchMethod();
      }
      return NoSuchPath();
    }
    if (p.size() == 4 && what == "topics" && p[3] == "reset") {
      return m == "PUT" ? Done(herder_.ResetTopics(name), 202) : NoSuchMethod();
    }
    int task = 0;
    if (what != "tasks" || p.size() != 5 || !absl::SimpleAtoi(p[3], &task)) return NoSuchPath();
    if (p[4] == "status") return m == "GET" ? TaskStatus(name, task) : NoSuchMethod();
    if (p[4] == "restart") {
      if (m != "POST") return NoSuchMethod();
      absl::StatusOr<herder::ConnectorStatusInfo> status = herder_.RestartTask(name, task);
      return status.ok() ? Empty(204) : Error(status.status());
    }
    return NoSuchPath();
  }

  RestResponse Plugins(const std::vector<std::string>& p) {
    const std::string& m = request_.method;
    if (p.size() == 1) return m == "GET" ? Json(200, PluginsJson(herder_.Plugins())) : NoSuchMethod();
    if (p.size() == 3 && p[2] == "config") return m == "GET" ? PluginConfig(p[1]) : NoSuchMethod();
    if (p.size() == 4 && p[2] == "config" && p[3] == "validate") {
      return m == "PUT" ? Validate(p[1]) : NoSuchMethod();
    }
    return NoSuchPath();
  }

  RestResponse List() {
    const bool status = HasParam(request_, "expand", "status");
    const bool info = HasParam(request_, "expand", "info");
    return Json(200, ConnectorListJson(herder_.List(), status, info));
  }

  RestResponse Create() {
    absl::StatusOr<CreateRequest> parsed = ParseCreateRequest(request_.body);
    if (!parsed.ok()) return Error(parsed.status());
    if (parsed->name.empty()) return Error(400, "the request body has no connector `name`");
    absl::StatusOr<herder::ConnectorInfo> info =
        herder_.Create(parsed->name, std::move(parsed->config), parsed->initial_state);
    RestResponse out = Info(info, 201);
    if (out.status == 201) out.location = Location(parsed->name);  // the leader's answer too
    return out;
  }

  RestResponse Config(const std::string& name) {
    absl::StatusOr<herder::ConnectorInfo> info = herder_.Get(name);
    if (!info.ok()) return Error(info.status());
    return Json(200, ConfigJson(info->config));
  }

  RestResponse PutConfig(const std::string& name) {
    absl::StatusOr<ConfigMap> config = ParseConfigObject(request_.body);
    if (!config.ok()) return Error(config.status());
    bool created = false;
    RestResponse out = Info(herder_.PutConfig(name, *std::move(config), &created), 200);
    if (created && out.status == 200) out.status = 201;
    if (out.status == 201) out.location = Location(name);  // the leader's answer too
    return out;
  }

  RestResponse PatchConfig(const std::string& name) {
    absl::StatusOr<ConfigPatch> patch = ParseConfigPatch(request_.body);
    if (!patch.ok()) return Error(patch.status());
    return Info(herder_.PatchConfig(name, patch->set, patch->remove), 200);
  }

  // Kafka Connect answers an unknown connector's topics as an empty list, not 404: so do we.
  RestResponse Topics(const std::string& name) {
    absl::StatusOr<std::vector<std::string>> topics = herder_.Topics(name);
    if (absl::IsNotFound(topics.status())) topics = std::vector<std::string>{};
    if (!topics.ok()) return Error(topics.status());
    return Json(200, ActiveTopicsJson(name, *topics));
  }

  // KIP-875. Reading works in any state; altering and resetting only on a STOPPED connector,
  // which Kafka Connect answers 400 (a FailedPrecondition elsewhere is 409).
  RestResponse Offsets(const std::string& name) {
    absl::StatusOr<std::vector<herder::PartitionOffset>> offsets = herder_.Offsets(name);
    if (!offsets.ok()) return Error(offsets.status());
    return Json(200, ConnectorOffsetsJson(*offsets));
  }

  RestResponse AlterOffsets(const std::string& name) {
    absl::StatusOr<std::vector<herder::PartitionOffset>> offsets =
        ParseConnectorOffsets(request_.body);
    if (!offsets.ok()) return Error(offsets.status());
    if (offsets->empty()) {
      return Error(400, "Partitions / offsets need to be provided for an alter offsets request");
    }
    return OffsetsChanged(herder_.AlterOffsets(name, *offsets),
                          "The offsets for this connector have been altered successfully");
  }

  RestResponse ResetOffsets(const std::string& name) {
    return OffsetsChanged(herder_.ResetOffsets(name),
                          "The offsets for this connector have been reset successfully");
  }

  // Every offset of a Sluice connector is in the offsets topic (the runtime's, not the
  // connector's own store), so the answer is Kafka Connect's for a connector that says it
  // altered them all, not the one that warns of offsets kept elsewhere.
  RestResponse OffsetsChanged(const absl::Status& status, absl::string_view message) {
    if (absl::IsFailedPrecondition(status)) return Error(400, status.message());
    if (!status.ok()) return Error(status);
    return Json(200, MessageJson(message));
  }

  RestResponse Status(const std::string& name) {
    absl::StatusOr<herder::ConnectorStatusInfo> status = herder_.Status(name);
    if (!status.ok()) return Error(status.status());
    return Json(200, ConnectorStatusJson(*status));
  }

  RestResponse Tasks(const std::string& name) {
    absl::StatusOr<std::vector<ConfigMap>> tasks = herder_.TaskConfigs(name);
    if (!tasks.ok()) return Error(tasks.status());
    return Json(200, TaskInfosJson(name, *tasks));
  }

  RestResponse TaskStatus(const std::string& name, int task) {
    absl::StatusOr<herder::ConnectorStatusInfo> status = herder_.Status(name);
    if (!status.ok()) return Error(status.status());
    for (const herder::TaskStatusInfo& t : status->tasks) {
      if (t.id == task) return Json(200, TaskStatusJson(t));
    }
    return Error(404, absl::StrCat("No status found for task ", name, "-", task));
  }

  // Kafka Connect (KIP-745): without includeTasks and onlyFailed only the connector restarts,
  // 204 and no body; with either, 202 and the status.
  RestResponse Restart(const std::string& name) {
    const bool include_tasks = Flag(request_, "includeTasks");
    const bool only_failed = Flag(request_, "onlyFailed");
    absl::StatusOr<herder::ConnectorStatusInfo> status =
        herder_.Restart(name, include_tasks, only_failed);
    if (!status.ok()) return Error(status.status());
    if (!include_tasks && !only_failed) return Empty(204);
    return Json(202, ConnectorStatusJson(*status));
  }

  // The plugin whose name or alias is `type`, as `connector.class` finds one.
  RestResponse PluginConfig(const std::string& type) {
    for (const auto& plugin : herder_.Plugins()) {
      bool named = plugin->name() == type;
      for (const std::string& alias : plugin->aliases()) named = named || alias == type;
      if (named) return Json(200, PluginConfigJson(*plugin));
    }
    return Error(404, absl::StrCat("Unknown plugin ", type, "."));
  }

  RestResponse Validate(const std::string& type) {
    absl::StatusOr<ConfigMap> config = ParseConfigObject(request_.body);
    if (!config.ok()) return Error(config.status());
    if (std::optional<std::string> given = plugin::Lookup(*config, "connector.class")) {
      if (!SamePlugin(*given, type)) {
        return Error(400, absl::StrCat("Included connector type ", *given,
                                       " does not match request type ", type));
      }
    } else {
      config->emplace_back("connector.class", type);
    }
    plugin::ConfigValidation validation = herder_.Validate(*config);
    if (validation.plugin.empty()) {
      return Error(400, validation.ToStatus(absl::StrCat("connector plugin ", type)).message());
    }
    std::shared_ptr<const plugin::Plugin> found;
    for (const auto& plugin : herder_.Plugins()) {
      if (plugin->name() == validation.plugin) found = plugin;
    }
    return Json(200, ConfigInfosJson(validation, found.get(), *config));
  }

  // The new connector's URL as Jersey builds it: absolute, from the request's own base (the
  // Host it was sent to), the name escaped as a path segment.
  std::string Location(const std::string& name) const {
    std::string escaped;
    for (unsigned char c : name) {
      if (absl::ascii_isalnum(c) || absl::string_view("-._~!$&'()*+,;=:@").find(c) !=
                                        absl::string_view::npos) {
        escaped.push_back(static_cast<char>(c));
      } else {
        absl::StrAppend(&escaped, "%", absl::Hex(c, absl::kZeroPad2));
      }
    }
    const std::string path = absl::StrCat("/connectors/", escaped);
    if (request_.base_url.empty()) return path;
    return absl::StrCat(request_.base_url, path);
  }

  RestResponse Info(const absl::StatusOr<herder::ConnectorInfo>& info, int status) {
    if (!info.ok()) return Error(info.status());
    return Json(status, ConnectorInfoJson(*info));
  }
  RestResponse Accepted(const absl::StatusOr<herder::ConnectorStatusInfo>& status) {
    return status.ok() ? Empty(202) : Error(status.status());
  }
  RestResponse Done(const absl::Status& status, int code) {
    return status.ok() ? Empty(code) : Error(status);
  }

  RestResponse Error(int status, absl::string_view message) { return ErrorResponse(status, message); }
  // A herder error as Kafka Connect answers it; a RequestTargetError (a cluster's follower) is
  // the answer of the worker it names to the same request (RequestForwarder).
  RestResponse Error(const absl::Status& status) {
    if (std::optional<herder::WorkerAddress> target = herder::RequestTargetOf(status);
        target && forwarder_ != nullptr) {
      return forwarder_->Forward(request_, target->id);
    }
    // Kafka Connect's words for a request a rebalance got in the way of, which clients written
    // for it match to retry; the herder's reason stays in the worker's answer over gRPC.
    if (status.code() == absl::StatusCode::kAborted) return Error(409, kRebalanceMessage);
    return Error(HttpStatusOf(status), status.message());
  }

  herder::Herder& herder_;
  const ServerInfo& info_;
  const RestRequest& request_;
  const RequestForwarder* const forwarder_;
};

}  // namespace

int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:  // a cluster's rebalance under way: retry
      return 409;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    default:
      return 500;
  }
}

RestResponse StartingResponse(const std::string& path) {
  if (path == "/health") return Json(503, HealthJson("starting", "Worker is still starting up."));
  return ErrorResponse(503,
                       "the worker is starting (reaching the Kafka cluster, restoring its "
                       "connectors); retry in a moment");
}

RestResponse RestRouter::Handle(const RestRequest& request) const {
  return Call(*herder_, info_, request, forwarder_).Route();
}

}  // namespace sluice::rest
