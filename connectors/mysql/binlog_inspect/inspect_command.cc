// `sluice binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]`
//
// Prints the events and rows of a binlog file like `mysqlbinlog --verbose`, or one JSON object
// per event. Events inside MySQL transaction payloads are shown after their payload event.
// Exit code 0 when every event and row decoded; 1 when one did not (a corrupt or truncated file,
// a row or value that does not decode, an event type the decoder does not know), after printing
// everything else, with each error and its position on the error stream; 2 on bad usage.
#include "connectors/mysql/binlog_inspect/inspect_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "connectors/mysql/binlog_inspect/event_printer.h"
#include "sluice/binlog/binlog_file.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/transaction_payload.h"

namespace {

using namespace sluice::binlog;

struct Args {
  std::string file;
  uint64_t start = 0;
  uint64_t stop = UINT64_MAX;
  bool json = false;
};

bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") {
      args->json = true;
    } else if (absl::StartsWith(a, "--start-position=")) {
      if (!absl::SimpleAtoi(a.substr(17), &args->start)) return false;
    } else if (absl::StartsWith(a, "--stop-position=")) {
      if (!absl::SimpleAtoi(a.substr(16), &args->stop)) return false;
    } else if (!a.empty() && a[0] != '-' && args->file.empty()) {
      args->file = a;
    } else {
      return false;
    }
  }
  return !args->file.empty();
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Prints the event; false when part of it did not decode (the error, with its position, goes to
// `errors`; what did decode is printed).
bool Print(const Event& e, bool json, std::ostream& output, std::ostream& errors) {
  std::string out;
  absl::Status s = json ? AppendEventJson(e, &out) : AppendEventText(e, &out);
  output << out << (json ? "\n" : "");
  if (!s.ok()) errors << s.message() << "\n";
  const SkippedEvent* skipped = e.As<SkippedEvent>();
  if (skipped != nullptr && skipped->unknown_type) {
    errors << AnnotateError(absl::DataLossError("an event type this decoder does not know; its "
                                                "bytes are not shown"),
                            e.context)
                  .message()
           << "\n";
    return false;
  }
  return s.ok();
}

}  // namespace

namespace sluice::binlog {

int RunBinlogInspect(int argc, char** argv, std::ostream& output, std::ostream& errors) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    errors
        << "usage: sluice binlog inspect FILE [--start-position=N] [--stop-position=N] [--json]\n";
    return 2;
  }
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    errors << args.file << ": cannot open\n";
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  const std::string name = BaseName(args.file);
  EventSplitter split(bytes, name);
  BinlogDecoder decoder(DecoderOptions{.verify_checksums = true, .initial_file = name});
  RawEvent raw;
  int rc = 0;
  while (true) {
    absl::StatusOr<bool> more = split.Next(&raw);
    if (!more.ok()) {
      errors << more.status().message() << "\n";
      rc = 1;
      break;
    }
    if (!*more || raw.position >= args.stop) break;
    // Events before the start position are still decoded (silently): the FORMAT_DESCRIPTION
    // and table maps they carry are needed to read what follows.
    absl::StatusOr<Event> event = decoder.Decode(raw.bytes, raw.position);
    if (!event.ok()) {
      errors << event.status().message() << "\n";
      rc = 1;
      continue;
    }
    bool show = raw.position >= args.start;
    if (show && !Print(*event, args.json, output, errors)) rc = 1;
    if (const auto* payload = event->As<TransactionPayloadEvent>()) {
      PayloadReader reader(*payload);
      std::shared_ptr<const std::vector<uint8_t>> inner;
      while (true) {
        absl::StatusOr<bool> more_inner = reader.Next(&inner);
        if (!more_inner.ok()) {
          errors << AnnotateError(more_inner.status(), event->context).message() << "\n";
          rc = 1;
          break;
        }
        if (!*more_inner) break;
        absl::StatusOr<Event> e = decoder.DecodeEmbedded(inner, *event);
        if (!e.ok()) {
          errors << e.status().message() << "\n";
          rc = 1;
          continue;
        }
        if (show && !Print(*e, args.json, output, errors)) rc = 1;
      }
    }
  }
  return rc;
}

}  // namespace sluice::binlog
