#include "connectors/mysql/connector/ddl_targets.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/sql_quote.h"
#include "connectors/mysql/connector/sql_scanner.h"

namespace sluice::mysql {

std::vector<DdlTarget> DdlTargets(absl::string_view sql, absl::string_view current_db) {
  std::vector<DdlTarget> targets;
  SqlScanner scan(sql, current_db);
  DdlTarget target;
  if (scan.Accept("CREATE")) {
    if (scan.Accept("OR")) scan.Accept("REPLACE");
    if (scan.Accept("TEMPORARY")) return targets;
    if (scan.Accept("TABLE")) {
      if (scan.Accept("IF")) {
        scan.Accept("NOT");
        scan.Accept("EXISTS");
      }
      target.kind = DdlTarget::kCreate;
      if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
      return targets;
    }
    // CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX ... ON table: the table is altered.
    for (const char* kind : {"UNIQUE", "FULLTEXT", "SPATIAL"}) scan.Accept(kind);
    if (scan.Accept("INDEX") && scan.SkipTo("ON")) {
      scan.Skip();
      if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
    }
    return targets;
  }
  if (scan.Accept("ALTER")) {
    for (const char* option : {"ONLINE", "OFFLINE", "IGNORE"}) scan.Accept(option);
    if (!scan.Accept("TABLE")) return targets;
    if (scan.Accept("IF")) scan.Accept("EXISTS");
    if (!scan.Name(&target.db, &target.table)) return targets;
    // ALTER TABLE t ... RENAME [TO|AS] u: the table is `u` afterwards.
    while (scan.SkipTo("RENAME")) {
      scan.Skip();
      if (scan.Accept("COLUMN") || scan.Accept("INDEX") || scan.Accept("KEY")) continue;
      if (!scan.Accept("TO")) scan.Accept("AS");
      std::string db, table;
      if (scan.Name(&db, &table)) {
        target.db = std::move(db);
        target.table = std::move(table);
      }
    }
    targets.push_back(std::move(target));
    return targets;
  }
  if (scan.Accept("RENAME")) {
    if (!scan.Accept("TABLE") && !scan.Accept("TABLES")) return targets;
    do {
      std::string old_db, old_table;
      if (!scan.Name(&old_db, &old_table) || !scan.Accept("TO")) break;
      DdlTarget renamed;
      if (!scan.Name(&renamed.db, &renamed.table)) break;
      targets.push_back(std::move(renamed));
    } while (scan.AcceptPunct(','));
    return targets;
  }
  if (scan.Accept("DROP")) {
    if (scan.Accept("INDEX")) {
      if (scan.SkipTo("ON")) {
        scan.Skip();
        if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
      }
      return targets;
    }
    if (scan.Accept("TEMPORARY")) return targets;
    if (!scan.Accept("TABLE") && !scan.Accept("TABLES")) return targets;
    if (scan.Accept("IF")) scan.Accept("EXISTS");
    // As Debezium writes them: one statement per table, the original head, the qualified name.
    absl::string_view head = sql.substr(0, scan.Offset());
    head.remove_prefix(std::min(head.size(), head.find_first_not_of(" \t\r\n")));
    do {
      DdlTarget dropped;
      dropped.kind = DdlTarget::kDrop;
      if (!scan.Name(&dropped.db, &dropped.table)) break;
      targets.push_back(std::move(dropped));
    } while (scan.AcceptPunct(','));
    std::string tail;
    if (scan.Accept("RESTRICT")) tail = " RESTRICT";
    if (scan.Accept("CASCADE")) tail = " CASCADE";
    for (DdlTarget& dropped : targets) {
      dropped.ddl = absl::StrCat(head, QuoteTable(dropped.db, dropped.table), tail);
    }
    return targets;
  }
  if (scan.Accept("TRUNCATE")) {
    scan.Accept("TABLE");
    target.kind = DdlTarget::kTruncate;
    if (scan.Name(&target.db, &target.table)) targets.push_back(std::move(target));
    return targets;
  }
  return targets;
}

DmlStatement DmlTables(absl::string_view sql, absl::string_view current_db) {
  DmlStatement out;
  SqlScanner scan(sql, current_db);
  std::string db, table;
  if (scan.Accept("INSERT") || scan.Accept("REPLACE")) {
    out.dml = true;
    for (const char* option : {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"}) {
      scan.Accept(option);
    }
    if (scan.Name(&db, &table)) out.tables.emplace_back(db, table);
    out.known = !out.tables.empty();
    return out;
  }
  if (scan.Accept("WITH")) {
    out.dml = true;
    return out;
  }
  if (!scan.Accept("UPDATE") && !scan.Accept("DELETE")) return out;
  out.dml = true;
  for (const char* option : {"LOW_PRIORITY", "QUICK", "IGNORE"}) scan.Accept(option);
  bool reference_starts = true;
  int depth = 0;
  while (!scan.AtEnd()) {
    if (scan.AcceptPunct('(')) {
      ++depth;
      reference_starts = false;
      continue;
    }
    if (scan.AcceptPunct(')')) {
      --depth;
      continue;
    }
    if (depth > 0) {
      scan.Skip();
      continue;
    }
    if (scan.Accept("SET") || scan.Accept("WHERE") || scan.Accept("ORDER") ||
        scan.Accept("LIMIT")) {
      break;
    }
    if (scan.AcceptPunct(',') || scan.Accept("FROM") || scan.Accept("JOIN") ||
        scan.Accept("STRAIGHT_JOIN") || scan.Accept("USING")) {
      reference_starts = true;
      continue;
    }
    if (reference_starts && scan.Name(&db, &table)) {
      out.tables.emplace_back(db, table);
      reference_starts = false;
      continue;
    }
    reference_starts = false;
    scan.Skip();
  }
  out.known = !out.tables.empty();
  return out;
}

}  // namespace sluice::mysql
