#include "runtime/logging/log_line.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "runtime/common/string_view_compat.h"

namespace sluice::logging {
namespace {

std::string Timestamp(absl::Time when) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", when, absl::UTCTimeZone());
}

}  // namespace

LogContext ContextOf(std::string_view who) {
  LogContext out;
  absl::string_view w = ToAbsl(who);
  constexpr absl::string_view kConnector = "connector `";
  if (absl::ConsumePrefix(&w, kConnector)) {
    const size_t close = w.find('`');
    if (close != absl::string_view::npos) {
      out.connector = std::string(w.substr(0, close));
      absl::string_view rest = w.substr(close + 1);
      int task = -1;
      if (absl::ConsumePrefix(&rest, " task ") && absl::SimpleAtoi(rest, &task) && task >= 0) {
        out.task = task;
        out.logger = absl::StrCat("connector.", out.connector, ".task.", task);
      } else {
        out.logger = absl::StrCat("connector.", out.connector);
      }
      return out;
    }
  }
  out.logger = std::string(who);
  return out;
}

std::string FormatLogLine(config::LogFormat format, absl::Time when, LogLevel level,
                          const LogContext& context, std::string_view message) {
  const std::string_view level_name = LogLevelName(level);
  if (format == config::LogFormat::kJson) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    const std::string ts = Timestamp(when);
    w.StartObject();
    w.Key("timestamp");
    w.String(ts.data(), static_cast<rapidjson::SizeType>(ts.size()));
    w.Key("level");
    w.String(level_name.data(), static_cast<rapidjson::SizeType>(level_name.size()));
    w.Key("logger");
    w.String(context.logger.data(), static_cast<rapidjson::SizeType>(context.logger.size()));
    if (!context.connector.empty()) {
      w.Key("connector");
      w.String(context.connector.data(),
               static_cast<rapidjson::SizeType>(context.connector.size()));
    }
    if (context.task >= 0) {
      w.Key("task");
      w.Int(context.task);
    }
    w.Key("message");
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    w.EndObject();
    return absl::StrCat(absl::string_view(buffer.GetString(), buffer.GetSize()), "\n");
  }
  std::string context_text;
  if (!context.connector.empty()) {
    context_text = context.task >= 0
                       ? absl::StrCat(" [", context.connector, "|task-", context.task, "]")
                       : absl::StrCat(" [", context.connector, "]");
  }
  return absl::StrCat(Timestamp(when), " ", ToAbsl(level_name), level_name.size() == 4 ? "  " : " ",
                      context.logger, context_text, " ",
                      absl::StrReplaceAll(ToAbsl(message), {{"\r\n", "\\n"}, {"\n", "\\n"}}), "\n");
}

}  // namespace sluice::logging
