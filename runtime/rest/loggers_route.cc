#include "runtime/rest/loggers_route.h"

#include "absl/strings/ascii.h"
#include "rapidjson/document.h"
#include "runtime/rest_json/rest_json.h"

namespace sluice::rest {
namespace {

RestResponse Error(int status, absl::string_view message) {
  return {status, ErrorJson(status, message), ""};
}

RestResponse List(herder::Herder& herder) {
  return {200, LoggerLevelsJson(herder.LoggerLevels()), ""};
}

RestResponse Get(herder::Herder& herder, const std::string& name) {
  absl::StatusOr<logging::LoggerLevel> level = herder.LoggerLevel(name);
  if (!level.ok()) return Error(404, level.status().message());
  return {200, LoggerLevelJson(*level), ""};
}

RestResponse Put(herder::Herder& herder, const RestRequest& request, const std::string& name) {
  rapidjson::Document body;
  body.Parse(request.body.data(), request.body.size());
  if (body.HasParseError() || !body.IsObject()) {
    return Error(400, "the request body is not a JSON object such as {\"level\":\"DEBUG\"}");
  }
  auto level = body.FindMember("level");
  if (level == body.MemberEnd() || !level->value.IsString()) {
    return Error(400, "Desired 'level' parameter was not specified in request.");
  }
  absl::StatusOr<std::vector<std::string>> set =
      herder.SetLoggerLevel(name, level->value.GetString());
  // Kafka Connect answers an unknown level with 404 (NotFoundException), not 400.
  if (!set.ok()) return Error(404, set.status().message());
  auto scope = request.params.find("scope");
  if (scope != request.params.end() && absl::AsciiStrToLower(scope->second) == "cluster") {
    return {204, "", ""};
  }
  return {200, StringsJson(*set), ""};
}

}  // namespace

RestResponse RouteLoggers(herder::Herder& herder, const RestRequest& request,
                          const std::vector<std::string>& path) {
  const std::string& m = request.method;
  if (path.size() == 2) return m == "GET" ? List(herder) : Error(405, "HTTP 405 Method Not Allowed");
  if (path.size() != 3) return Error(404, "HTTP 404 Not Found");
  if (m == "GET") return Get(herder, path[2]);
  if (m == "PUT") return Put(herder, request, path[2]);
  return Error(405, "HTTP 405 Method Not Allowed");
}

}  // namespace sluice::rest
