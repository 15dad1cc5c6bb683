// The REST forwarding of a follower's request to the worker that performs it, against a real
// HTTP server standing in for that worker: the request goes as it came (method, path, query,
// body, Authorization), with Kafka Connect's `forward` hop bound, and the answer comes back as
// that worker gave it; a worker gone or a request out of hops is a 409, a silent worker a 500.
#include "runtime/rest/request_forwarder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "httplib.h"

namespace sluice::rest {
namespace {

// The worker forwarded to: remembers the last request and answers 201 with a body of its own.
class Target {
 public:
  Target() {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      absl::MutexLock lock(&mu_);
      last_ = request;
      response.status = 201;
      response.set_content(R"({"name":"orders","from":"leader"})", "application/json");
    });
    server_.Delete(".*", [](const httplib::Request&, httplib::Response& response) {
      response.status = 409;
      response.set_content(R"({"error_code":409,"message":"Connector orders already exists"})",
                           "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Target() {
    server_.stop();
    thread_.join();
  }
  std::string id() const { return absl::StrCat("127.0.0.1:", port_); }
  httplib::Request last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  httplib::Request last_;
};

RestRequest Create() {
  RestRequest r;
  r.method = "POST";
  r.path = "/connectors/a b";
  r.params.emplace("expand", "status");
  r.body = R"({"name":"orders","config":{}})";
  r.authorization = "Bearer s3cret";
  return r;
}

TEST(RequestForwarder, SendsTheRequestAsItCameAndRelaysTheAnswer) {
  Target target;
  const RequestForwarder forwarder{config::WorkerConfig{}};
  const RestResponse answer = forwarder.Forward(Create(), target.id());
  EXPECT_EQ(answer.status, 201);
  EXPECT_EQ(answer.body, R"({"name":"orders","from":"leader"})");
  const httplib::Request got = target.last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.path, "/connectors/a b");
  EXPECT_EQ(got.get_param_value("expand"), "status");
  EXPECT_EQ(got.body, R"({"name":"orders","config":{}})");
  EXPECT_EQ(got.get_header_value("Authorization"), "Bearer s3cret");
  EXPECT_EQ(got.get_header_value("Content-Type"), "application/json");
  // The first hop allows the target one more (Kafka Connect's forward=true).
  EXPECT_EQ(got.get_param_value("forward"), "true");
}

TEST(RequestForwarder, ErrorsComeBackWithTheTargetsCodeAndBody) {
  Target target;
  RestRequest request = Create();
  request.method = "DELETE";
  request.body.clear();
  const RestResponse answer = RequestForwarder{config::WorkerConfig{}}.Forward(request, target.id());
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.body, R"({"error_code":409,"message":"Connector orders already exists"})");
}

TEST(RequestForwarder, ASecondHopIsTheLastAndAThirdIsRefused) {
  Target target;
  const RequestForwarder forwarder{config::WorkerConfig{}};
  RestRequest request = Create();
  request.params.emplace("forward", "true");
  EXPECT_EQ(forwarder.Forward(request, target.id()).status, 201);
  EXPECT_EQ(target.last().get_param_value("forward"), "false");
  EXPECT_EQ(target.last().get_param_value_count("forward"), 1u);

  request.params.erase("forward");
  request.params.emplace("forward", "false");
  const RestResponse refused = forwarder.Forward(request, target.id());
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body, absl::StrCat(R"({"error_code":409,"message":")",
                                       kConflictingOperationMessage, R"("})"));
}

// The worker named left (a leader change under way): retry, as during a rebalance.
TEST(RequestForwarder, ATargetNothingListensOnIsARetry) {
  int port = 0;
  {
    Target gone;
    port = std::stoi(gone.id().substr(gone.id().find(':') + 1));
  }
  const RestResponse answer = RequestForwarder{config::WorkerConfig{}, absl::Seconds(2)}.Forward(
      Create(), absl::StrCat("127.0.0.1:", port));
  EXPECT_EQ(answer.status, 409);
  EXPECT_EQ(answer.body,
            absl::StrCat(R"({"error_code":409,"message":")", kRebalanceMessage, R"("})"));
}

TEST(RequestForwarder, ATargetThatDoesNotAnswerInTimeIsAServerError) {
  httplib::Server silent;
  silent.Post(".*", [](const httplib::Request&, httplib::Response& response) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    response.status = 201;
  });
  const int port = silent.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { silent.listen_after_bind(); });
  while (!silent.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const RestResponse answer = RequestForwarder{config::WorkerConfig{}, absl::Seconds(1)}.Forward(
      Create(), absl::StrCat("127.0.0.1:", port));
  silent.stop();
  thread.join();
  EXPECT_EQ(answer.status, 500);
  EXPECT_NE(answer.body.find("IO Error trying to forward REST request"), std::string::npos)
      << answer.body;
}

}  // namespace
}  // namespace sluice::rest
