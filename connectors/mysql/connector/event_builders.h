#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDERS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDERS_H_

// The builders of every kind of event the connector writes, sharing one source block: change
// events of table versions (with their schemas), schema changes, transaction boundaries and
// heartbeats. One per task; the snapshot borrows it.
//
// Thread: the task thread.

#include "connectors/mysql/connector/change_events.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/heartbeat_events.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/schema_change_events.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/table_schema.h"
#include "connectors/mysql/connector/transaction_events.h"

namespace sluice::mysql {

struct EventBuilders {
  // `host` and `config` must outlive the builders.
  EventBuilders(const Host& host, const ConnectorConfig& config)
      : source(host, config),
        tables(host, config, source),
        changes(host, config, source),
        schema_changes(host, config, source),
        transactions(host, config),
        heartbeats(host, config) {}
  EventBuilders(const EventBuilders&) = delete;
  EventBuilders& operator=(const EventBuilders&) = delete;

  // Call at the start of every poll: what was built into an earlier poll's batch is gone.
  void StartPoll() { source.StartPoll(); }

  SourceBlock source;  // first: the others refer to it
  TableSchemaBuilder tables;
  ChangeEvents changes;
  SchemaChangeEvents schema_changes;
  TransactionEvents transactions;
  HeartbeatEvents heartbeats;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDERS_H_
