// The chain of single message transforms a connector config declares, configured exactly as in
// Kafka Connect:
//
//   transforms=unwrap,route
//   transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState
//   transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
//   transforms.route.regex=...            (the transform's own options)
//   transforms.route.predicate=isOrders   (optional: apply only when the predicate holds)
//   transforms.route.negate=true          (optional: ... only when it does not)
//   predicates=isOrders
//   predicates.isOrders.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
//   predicates.isOrders.pattern=...
//
// Checked as a whole, with every problem named by its key (CheckTransforms, used by validate and
// before a config is stored or started): a duplicate alias, a missing or unknown type, an unknown
// option, a bad value, a predicate alias `predicates` does not list, `negate` without a predicate,
// and keys under `transforms.<x>.` / `predicates.<x>.` for an alias not listed (Kafka Connect
// ignores those silently).
//
// The worker builds one chain per task (Create) and runs every record through it between the
// connector and the converter (WorkerSourceTask). Stages run in order; a dropped record ends the
// chain.
//
// Thread-safety: none; one chain per task thread.
#ifndef SLUICE_RUNTIME_TRANSFORM_TRANSFORM_CHAIN_H_
#define SLUICE_RUNTIME_TRANSFORM_TRANSFORM_CHAIN_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/common/config_map.h"
#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

// Every problem with the transforms and predicates `config` declares (none when it declares none).
std::vector<ConfigProblem> CheckTransforms(const ConfigMap& config);

class TransformChain {
 public:
  // The chain `config` declares (empty when it declares none); InvalidArgument
  // "<subject>: `key`: problem; ..." when CheckTransforms finds problems.
  static absl::StatusOr<std::unique_ptr<TransformChain>> Create(const ConfigMap& config,
                                                                std::string_view subject);
  ~TransformChain();

  bool empty() const { return stages_.empty(); }

  // Runs `record` through the stages. On failure (a transform's, or the predicate's a stage tests)
  // the message names the transform's alias and class, or the predicate's alias and its
  // transform's; the record is then in whatever state the failing stage left it.
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict);

 private:
  struct Stage {
    std::string alias;
    std::string class_name;
    std::unique_ptr<Transformation> transformation;
    Predicate* predicate = nullptr;  // one of predicates_, or none
    std::string predicate_alias;     // its alias, for a failure's message
    bool negate = false;
  };
  friend std::unique_ptr<TransformChain> BuildChain(const ConfigMap& config,
                                                    std::vector<ConfigProblem>& problems);

  std::vector<std::unique_ptr<Predicate>> predicates_;
  std::vector<Stage> stages_;
};

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TRANSFORM_CHAIN_H_
