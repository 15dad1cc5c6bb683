#include "tests/integration/cluster/cluster_run.h"

#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "runtime/kafka/topic_admin.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

// docs/logging.md: "<ts> INFO  herder <message>"; the herder logs "connector <name> runs here
// from epoch N" and "connector <name> no longer runs here", and the same of "task <name>-<id>".
constexpr char kHerder[] = " herder ";

}  // namespace

ClusterRun::ClusterRun(const std::string& name, const std::string& settings, Timings timings)
    : prefix_(UniqueName(name)), settings_(settings), timings_(timings) {
  directory_ = absl::StrCat(BinaryDir(), "/tests/integration/cluster/", prefix_);
  mkdir(directory_.c_str(), 0755);
}

void ClusterRun::StartWorker(size_t i, const std::string& plugin_path,
                             const std::string& settings, const std::string& failpoints) {
  if (i >= workers_.size()) workers_.resize(i + 1);
  Worker& w = workers_[i];
  if (w.config.empty()) {
    w.config = absl::StrCat(directory_, "/worker", i, ".properties");
    w.log = absl::StrCat(directory_, "/worker", i, ".log");
    w.admin_address = absl::StrCat("127.0.0.1:", FreePort());
    // The group's leader is the member whose id (client.id, "127.0.0.1:<rest port>", then a
    // random suffix) sorts first: ports whose text sorts as the indices make the leader known.
    w.rest_port = FreePort();
    for (int tries = 0; i > 0 && tries < 100 &&
                        absl::StrCat(w.rest_port) <= absl::StrCat(workers_[i - 1].rest_port);
         ++tries) {
      w.rest_port = FreePort();
    }
    WriteFile(w.config,
              absl::StrCat("bootstrap.servers=", KafkaBootstrap(), "\ngroup.id=", prefix_,
                           "\noffset.storage.topic=", prefix_, ".offsets\nconfig.storage.topic=",
                           prefix_, ".configs\nstatus.storage.topic=", prefix_, ".status\n",
                           "offset.storage.replication.factor=1\n"
                           "config.storage.replication.factor=1\n"
                           "status.storage.replication.factor=1\n"
                           "offset.storage.partitions=3\n"
                           "offset.flush.interval.ms=300\n"
                           "plugin.path=",
                           plugin_path.empty() ? BinaryDir() + "/plugins" : plugin_path, "\n",
                           "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                           "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                           "key.converter.schemas.enable=false\n"
                           "value.converter.schemas.enable=false\n"
                           "topic.creation.default.partitions=3\n"
                           "topic.creation.default.replication.factor=1\n"
                           "producer.linger.ms=5\n"
                           "sluice.admin.listener=", w.admin_address, "\n",
                           "listeners=http://127.0.0.1:", w.rest_port, "\n",
                           timings_ == Timings::kFast ? "session.timeout.ms=6000\n"
                                                        "heartbeat.interval.ms=1000\n"
                                                        "scheduled.rebalance.max.delay.ms=0\n"
                                                      : "",
                           settings_, settings));
  }
  // A restarted worker appends to its log: what ran before stays readable, and RunningOn reads
  // the lines in order (a stopped worker's connectors end with its stop).
  std::ofstream(w.log, std::ios::app) << "--- worker started\n";
  std::vector<std::string> argv = {BinaryDir() + "/runtime/cli/sluice", "worker", "--config",
                                   w.config};
  if (!failpoints.empty()) {
    argv.insert(argv.begin(), {"/usr/bin/env", absl::StrCat("SLUICE_FAILPOINTS=", failpoints)});
  }
  w.process = std::make_unique<Subprocess>(argv, w.log);
}

void ClusterRun::StartAndJoin(size_t i, const std::string& plugin_path,
                              const std::string& settings, const std::string& failpoints) {
  StartWorker(i, plugin_path, settings, failpoints);
  ASSERT_TRUE(Eventually(
      [&] {
        const std::string text = log(i);
        const size_t taken = text.rfind("cluster lease taken");
        return taken != std::string::npos && taken > text.rfind("--- worker started");
      },
      absl::Seconds(30), absl::Milliseconds(100)))
      << log(i);
  // The lease comes before the herder serves (it first checks the group for single workers and
  // restores the connectors): until then the APIs answer 503 "the worker is starting".
  ASSERT_TRUE(Eventually([&] { return Rest(i, "GET", "/connectors").status == 200; },
                         absl::Seconds(30), absl::Milliseconds(100)))
      << log(i);
}

void ClusterRun::StopWorker(size_t i) {
  Subprocess& p = worker(i);
  p.Signal(SIGTERM);
  std::optional<int> code = p.Wait(absl::Seconds(60));
  EXPECT_EQ(code, 0) << log(i);
  std::ofstream(workers_[i].log, std::ios::app) << "--- worker stopped\n";
}

std::string ClusterRun::log(size_t i) const { return ReadFileForMessage(workers_.at(i).log); }

std::string ClusterRun::CreateGenerator(size_t via, const std::string& name, int64_t max_records,
                                        int64_t cardinality, double rate,
                                        const std::map<std::string, std::string>& extra) {
  const std::string connector = absl::StrCat(prefix_, "-", name);
  // The data topic exists, and a while, before the first record: the broker loses an idempotent
  // producer's first batch to a partition it is still creating (KAFKA-15591: the first request
  // fails NOT_LEADER_OR_FOLLOWER, a later one lands first, the retry is never appended), which
  // this test would read as a record lost by the handover.
  absl::StatusOr<std::unique_ptr<kafka::TopicAdmin>> admin =
      kafka::TopicAdmin::Create({KafkaBootstrap(), {}, absl::Seconds(30)});
  EXPECT_TRUE(admin.ok()) << admin.status();
  if (admin.ok()) {
    EXPECT_TRUE((*admin)->CreateTopicIfMissing({topic(connector), 3, 1, {}}).ok());
    absl::SleepFor(absl::Seconds(1));
  }
  std::map<std::string, std::string> config = {{"connector.class", "generator"},
                                                {"tasks.max", "1"},
                                                {"topic", topic(connector)},
                                                {"max.records", absl::StrCat(max_records)},
                                                {"key.cardinality", absl::StrCat(cardinality)},
                                                {"rate.per.sec", absl::StrCat(rate)},
                                                {"batch.size", "20"}};
  for (const auto& [key, value] : extra) config[key] = value;
  return CreateConnector(via, name, config);
}

std::string ClusterRun::CreateConnector(size_t via, const std::string& name,
                                        const std::map<std::string, std::string>& config) {
  const std::string connector = absl::StrCat(prefix_, "-", name);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("name");
  w.String(connector.c_str());
  w.Key("config");
  w.StartObject();
  for (const auto& [key, value] : config) {
    w.Key(key.c_str());
    w.String(value.c_str());
  }
  w.EndObject();
  w.EndObject();
  const std::string file = absl::StrCat(directory_, "/", name, ".json");
  WriteFile(file, buffer.GetString());
  // Right after a worker joined, the leader may not have named itself yet: the create is
  // answered "retry" (ABORTED, Kafka Connect's 409) as a client written for Kafka Connect expects.
  CliAnswer created;
  Eventually(
      [&] {
        created = Cli(via, {"connectors", "create", "-f", file});
        return created.code == 0 || (created.output.find("retry") == std::string::npos &&
                                     created.output.find("rebalance") == std::string::npos);
      },
      absl::Seconds(30), absl::Milliseconds(500));
  EXPECT_EQ(created.code, 0) << created.output;
  return connector;
}

std::string ClusterRun::WorkerId(size_t i) const {
  return absl::StrCat("127.0.0.1:", workers_.at(i).rest_port);
}

ClusterRun::CliAnswer ClusterRun::Cli(size_t via, const std::vector<std::string>& args) const {
  static std::atomic<int> calls{0};
  const std::string output = absl::StrCat(directory_, "/cli-", ++calls, ".log");
  std::vector<std::string> argv = {BinaryDir() + "/runtime/cli/sluice", "--worker",
                                   workers_.at(via).admin_address};
  argv.insert(argv.end(), args.begin(), args.end());
  Subprocess cli(argv, output);
  CliAnswer answer;
  answer.code = cli.Wait(absl::Seconds(60)).value_or(-1);
  answer.output = ReadFileForMessage(output);
  return answer;
}

ClusterRun::RestAnswer ClusterRun::Rest(size_t via, const std::string& method,
                                        const std::string& path, const std::string& body) const {
  httplib::Client client("127.0.0.1", workers_.at(via).rest_port);
  client.set_read_timeout(60, 0);
  httplib::Result result = method == "GET"      ? client.Get(path)
                           : method == "DELETE" ? client.Delete(path)
                           : method == "PUT"    ? client.Put(path, body, "application/json")
                           : method == "PATCH"  ? client.Patch(path, body, "application/json")
                                                : client.Post(path, body, "application/json");
  if (!result) return {};
  return {result->status, result->body};
}

int ClusterRun::LeaderOf(size_t via) const {
  int leader = -1;
  Eventually(
      [&] {
        const CliAnswer answer = Cli(via, {"cluster"});
        for (size_t i = 0; i < size(); ++i) {
          if (answer.output.find(absl::StrCat(", leader ", WorkerId(i), ";")) !=
              std::string::npos) {
            leader = static_cast<int>(i);
          }
        }
        return leader >= 0;
      },
      absl::Seconds(30), absl::Milliseconds(500));
  return leader;
}

std::set<std::string> ClusterRun::UnitsOn(size_t i, const std::string& kind) const {
  const std::string marker = absl::StrCat(kHerder, kind, " ");
  std::set<std::string> running;
  const std::string text = log(i);
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line == "--- worker stopped") running.clear();
    const size_t p = line.find(marker);
    if (p == std::string::npos) continue;
    const std::string rest = line.substr(p + marker.size());
    const size_t space = rest.find(' ');
    if (space == std::string::npos) continue;
    const std::string name = rest.substr(0, space);
    if (rest.find(" runs here from epoch") != std::string::npos) running.insert(name);
    if (rest.find(" no longer runs here") != std::string::npos) running.erase(name);
  }
  return running;
}

int ClusterRun::UnitOwnerOf(const std::string& unit, const std::string& kind,
                            const std::set<size_t>& live) const {
  int owner = -1;
  for (size_t i : live) {
    if (UnitsOn(i, kind).contains(unit)) {
      if (owner >= 0) return -2;  // two workers
      owner = static_cast<int>(i);
    }
  }
  return owner;
}

std::optional<absl::Time> ClusterRun::FirstLogLine(const std::set<size_t>& workers,
                                                   const std::vector<std::string>& needles,
                                                   absl::Time since) const {
  std::optional<absl::Time> first;
  for (size_t w : workers) {
    const std::string text = log(w);
    for (const std::string& needle : needles) {
      for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        // "<ISO time> LEVEL logger message" (docs/logging.md)
        const size_t line = text.rfind('\n', at);
        const std::string stamp = text.substr(line == std::string::npos ? 0 : line + 1, 24);
        absl::Time t;
        std::string error;
        if (!absl::ParseTime("%Y-%m-%dT%H:%M:%E3SZ", stamp, &t, &error) || t < since) continue;
        if (!first || t < *first) first = t;
      }
    }
  }
  return first;
}

std::set<std::string> ClusterRun::RunningOn(size_t i) const { return UnitsOn(i, "connector"); }

int ClusterRun::OwnerOf(const std::string& connector, const std::set<size_t>& live) const {
  return UnitOwnerOf(connector, "connector", live);
}

std::set<std::string> ClusterRun::TasksOn(size_t i) const { return UnitsOn(i, "task"); }

int ClusterRun::TaskOwnerOf(const std::string& task, const std::set<size_t>& live) const {
  return UnitOwnerOf(task, "task", live);
}

std::vector<std::pair<std::string, std::string>> ClusterRun::ConfigTopicRecords() const {
  std::vector<std::pair<std::string, std::string>> out;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed =
      ReadWholeTopic(KafkaBootstrap(), prefix_ + ".configs");
  if (!consumed.ok()) return out;
  for (const ConsumedRecord& record : *consumed) {
    out.emplace_back(record.key.value_or(""), record.value.value_or(""));
  }
  return out;
}

std::vector<int64_t> ClusterRun::CommittedSeqs(const std::string& connector,
                                               const std::string& offsets_topic, int task) const {
  std::vector<int64_t> seqs;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed = ReadWholeTopic(
      KafkaBootstrap(), offsets_topic.empty() ? prefix_ + ".offsets" : offsets_topic);
  if (!consumed.ok()) return seqs;
  const std::string key = absl::StrCat("[\"", connector, "\",{\"generator\":\"", topic(connector),
                                       "\",\"task\":", task, "}]");
  for (const ConsumedRecord& record : *consumed) {
    if (record.key != key || !record.value) continue;
    rapidjson::Document value;
    value.Parse(record.value->c_str());
    if (value.IsObject() && value.HasMember("seq")) seqs.push_back(value["seq"].GetInt64());
  }
  return seqs;
}

std::string ClusterRun::CheckNoLossAndKeyOrder(const std::string& connector,
                                               int64_t max_records, int task) const {
  absl::StatusOr<std::vector<ConsumedRecord>> consumed =
      ReadWholeTopic(KafkaBootstrap(), topic(connector));
  if (!consumed.ok()) return std::string(consumed.status().message());
  std::set<int64_t> present;
  std::map<std::string, int64_t> last_first_occurrence;
  std::string failures;
  for (const ConsumedRecord& record : *consumed) {
    rapidjson::Document value;
    value.Parse(record.value.value_or("null").c_str());
    if (!value.IsObject()) continue;
    if (value.HasMember("task") && value["task"].GetInt() != task) continue;
    const int64_t seq = value["seq"].GetInt64();
    if (!present.insert(seq).second) continue;  // a replay: allowed by at-least-once
    auto [it, first] = last_first_occurrence.try_emplace(record.key.value_or(""), seq);
    if (!first) {
      if (seq <= it->second) {
        failures += absl::StrCat(connector, "-", task, ": key ", it->first, " has seq ", seq,
                                 " after ", it->second, "\n");
      }
      it->second = seq;
    }
  }
  for (int64_t seq = 0; seq < max_records; ++seq) {
    if (!present.contains(seq)) {
      failures += absl::StrCat(connector, "-", task, ": record ", seq, " missing\n");
      break;
    }
  }
  return failures;
}

bool SpreadEvenly(const ClusterRun& run, const std::vector<std::string>& connectors,
                  const std::set<size_t>& live, size_t per_worker) {
  for (const std::string& c : connectors) {
    if (run.OwnerOf(c, live) < 0) return false;
  }
  for (size_t i : live) {
    if (run.RunningOn(i).size() != per_worker) return false;
  }
  return true;
}

bool EachCommitted(const ClusterRun& run, const std::vector<std::string>& connectors) {
  for (const std::string& c : connectors) {
    if (run.CommittedSeqs(c).empty()) return false;
  }
  return true;
}

}  // namespace sluice::testing
