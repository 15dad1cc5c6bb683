"""Captures what Debezium writes for a table of every column type and every kind of change, with
transaction metadata, heartbeats and schema changes, as reference data for Sluice's format tests:
tests/reference/debezium/<server>/ (mysql: Debezium 3.6.1's MySQL connector on MySQL 9.7; mariadb:
its MariaDB connector 3.0.0 on MariaDB 10.11).

Run through scripts/capture-debezium-reference (it installs Debezium and starts the services)."""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from database import Database  # noqa: E402
from kafka_side import KafkaSide  # noqa: E402
from systems import DebeziumSystem  # noqa: E402

PREFIX = "ref"
# Heartbeats: often enough that the capture sees some; only the first is kept (they repeat).
HEARTBEAT_MS = 500
# The connector properties beyond the benchmark's: everything the reference covers turned on.
CAPTURE_SETTINGS = {
    "provide.transaction.metadata": "true",
    "heartbeat.interval.ms": str(HEARTBEAT_MS),
    "skipped.operations": "none",  # Debezium's default skips truncates ("t")
}
# SCHEMA_SQL runs after the database is dropped and the binlog reset (Database.reset_binlog_sql).
SCHEMA_SQL = """
CREATE DATABASE shop;
CREATE TABLE shop.all_types (
  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  flag TINYINT(1), bool_col BOOLEAN, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
  mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  f FLOAT, d DOUBLE, dec1 DECIMAL(12,2), dec2 DECIMAL(30,10), dec0 DECIMAL(5,0),
  y YEAR, dt DATE, tm TIME, tm3 TIME(3), tm6 TIME(6), dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6),
  ts TIMESTAMP NULL, ts2 TIMESTAMP(2) NULL, ts6 TIMESTAMP(6) NULL,
  c CHAR(10), vc VARCHAR(300), bin BINARY(4), vb VARBINARY(10), txt TEXT, bl BLOB,
  e ENUM('red','green','blue'), s SET('a','b','c','d'), b1 BIT(1), b12 BIT(12), b64 BIT(64),
  j JSON, g GEOMETRY, pt POINT, lat CHAR(5) CHARACTER SET latin1, nn_dt DATE NOT NULL DEFAULT '2000-01-01'
);
CREATE TABLE shop.no_key (a INT, b VARCHAR(10));
CREATE TABLE shop.renamed_key (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO shop.all_types (id, i, vc) VALUES (100, 42, 'before the connector started');
INSERT INTO shop.renamed_key VALUES (1, 'one');
"""

CHANGES_SQL = """
SET time_zone = '+00:00';
SET sql_mode = '';
INSERT INTO shop.all_types VALUES (1, 1, 0, 127, 255, 32767, 65535, 8388607, 2147483647, 4294967295,
  9223372036854775807, 18446744073709551615,
  -1.5, 3.141592653589793, 9999999999.99, -12345678901234567890.0123456789, 99999,
  2155, '9999-12-31', '838:59:59', '-00:00:01.500', '12:34:56.654321', '9999-12-31 23:59:59',
  '2024-02-29 13:45:07.123', '2024-02-29 13:45:07.123456', '2038-01-19 03:14:07', '1970-01-01 00:00:01.99',
  '2018-06-20 13:37:03.123456',
  'abc', CONCAT('héllo ', REPEAT('€', 3)), 0x01020000, 0x00FF, 'text', 0xDEADBEEF,
  'blue', 'a,d', b'1', b'101010111100', b'1111111111111111111111111111111111111111111111111111111111111111',
  '{"a": 1, "b": [true, null, "x"]}', ST_GeomFromText('LINESTRING(0 0,1 1)', 4326), POINT(1.5, -2), 'é',
  '2001-02-03');
INSERT INTO shop.all_types (id, dt, dtm, ts, nn_dt) VALUES (2, '0000-00-00', '0000-00-00 00:00:00',
  '0000-00-00 00:00:00', '0000-00-00');
UPDATE shop.all_types SET i = 7, vc = 'changed' WHERE id = 1;
DELETE FROM shop.all_types WHERE id = 2;
UPDATE shop.renamed_key SET id = 2 WHERE id = 1;
INSERT INTO shop.no_key VALUES (1, 'x'), (1, 'x');
UPDATE shop.no_key SET b = 'y' LIMIT 1;
DELETE FROM shop.no_key LIMIT 1;
START TRANSACTION;
INSERT INTO shop.no_key VALUES (5, 'tx');
INSERT INTO shop.all_types (id, i) VALUES (3, 3);
UPDATE shop.no_key SET a = 6 WHERE a = 5;
UPDATE shop.renamed_key SET id = 3 WHERE id = 2;
COMMIT;
TRUNCATE TABLE shop.renamed_key;
"""

# Schema changes while streaming (the <prefix> topic): a table created, altered and dropped.
DDL_SQL = """
CREATE TABLE shop.ddl_demo (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'the key',
  name VARCHAR(20) NOT NULL DEFAULT 'x',
  price DECIMAL(8,3) UNSIGNED,
  kind ENUM('a','b') DEFAULT 'b',
  lat VARCHAR(5) CHARACTER SET latin1,
  created DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3),
  doubled INT AS (CHAR_LENGTH(name) * 2) VIRTUAL
) DEFAULT CHARSET = utf8mb4 COMMENT 'a table to alter';
ALTER TABLE shop.ddl_demo ADD COLUMN note TEXT, ADD COLUMN flag TINYINT(1) NOT NULL DEFAULT 1;
DROP TABLE shop.ddl_demo;
"""


def write_topic(path, topic, records):
    with open(path, "w") as out:
        for partition, offset, key, value, headers in records:
            out.write(json.dumps({
                "topic": topic,
                "key": json.loads(key) if key else None,
                "value": json.loads(value) if value else None,
                "headers": {name: (data.decode() if data is not None else None) for name, data in (headers or [])},
            }, ensure_ascii=False) + "\n")


def start_capture(settings, schema_sql, include_schema_changes):
    """The command line (out_dir, --server), the database `shop` made anew by `schema_sql` in an
    empty binlog, and a Debezium set up as every capture runs it: prefix `ref`, the database
    `shop`, JSON with schemas, and `settings`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--server", choices=["mariadb", "mysql"], default="mariadb")
    args = parser.parse_args()
    database = Database.from_environment()
    kafka = KafkaSide(bootstrap=f"127.0.0.1:{os.environ['BENCH_KAFKA_PORT']}", partitions=1)
    debezium = DebeziumSystem(database, kafka)
    debezium.schemas_enable = True
    debezium.include_schema_changes = include_schema_changes
    debezium.topic_prefix = PREFIX
    debezium.include_list = "shop"
    debezium.table_include_list = ""
    debezium.extra_settings = settings
    database.sql("DROP DATABASE IF EXISTS shop;" + database.reset_binlog_sql() + schema_sql)
    return args, database, kafka, debezium


def main():
    args, database, kafka, debezium = start_capture(CAPTURE_SETTINGS, SCHEMA_SQL, True)
    tables = [f"{PREFIX}.shop.all_types", f"{PREFIX}.shop.no_key", f"{PREFIX}.shop.renamed_key"]
    transactions = f"{PREFIX}.transaction"
    heartbeats = f"__debezium-heartbeat.{PREFIX}"
    topics = tables + [PREFIX, transactions, heartbeats]
    kafka.fresh_topics(topics, partitions=1)
    kafka.fresh_topics([f"{PREFIX}.schema-history"], partitions=1)
    running = debezium.start("initial")
    try:
        # The snapshot's two rows first, then the changes.
        if kafka.wait_for_total(tables[0], 1, 180, running.running) is None:
            raise SystemExit("the snapshot never arrived:\n" + running.log_tail())
        database.sql(CHANGES_SQL)
        schema_changes_before = kafka.end_total(PREFIX)
        database.sql(DDL_SQL)
        # all_types: r, c, c, u, d + tombstone, c (in the transaction); no_key: c, c, u, d +
        # tombstone, then c, u in the transaction; renamed_key: r, then d + tombstone + c for each
        # key change, and the truncate.
        expected = {tables[0]: 1 + 2 + 1 + 2 + 1, tables[1]: 2 + 1 + 2 + 2, tables[2]: 1 + 3 + 3 + 1,
                    PREFIX: schema_changes_before + 3, heartbeats: 1}
        for topic, count in expected.items():
            if kafka.wait_for_total(topic, count, 120, running.running) is None:
                print(f"warning: {topic} has {kafka.end_total(topic)} records, expected {count}")
        time.sleep(2)
    finally:
        running.stop()

    out_dir = os.path.join(args.out_dir, args.server)
    os.makedirs(out_dir, exist_ok=True)
    for topic in topics:
        records = kafka.read_all(topic) if kafka.end_total(topic) else []
        if topic == heartbeats:
            records = records[:1]
        path = os.path.join(out_dir, f"{topic}.jsonl")
        write_topic(path, topic, records)
        print(f"{path}: {len(records)} records")
    with open(os.path.join(out_dir, "README.md"), "w") as readme:
        readme.write(
            f"# What Debezium {os.environ.get('DEBEZIUM_VERSION')} writes (reference data)\n\n"
            f"Captured from a live `{os.environ.get('DEBEZIUM_CONNECTOR_CLASS')}` on Kafka Connect "
            f"{os.environ.get('KAFKA_CONNECT_VERSION')} reading {database.server} {database.version()}, "
            "with Kafka Connect's JSON converter (schemas enabled), by "
            f"`scripts/capture-debezium-reference --server {args.server}`. The SQL that made the changes "
            "and the connector properties beyond the defaults are in "
            "`scripts/bench.d/capture_debezium_reference.py`. One JSON object per record: topic, key, "
            f"value (null for a tombstone) and headers; `{PREFIX}.jsonl` is the schema-change topic "
            "(the snapshot's DDL, then a table created, altered and dropped while streaming), "
            f"`{transactions}.jsonl` the transaction metadata, `{heartbeats}.jsonl` the first "
            "heartbeat. Used to check Sluice's events against the incumbent's "
            "(`DebeziumReference` in tests/integration/mysql_connector); timestamps, versions, "
            "positions and GTIDs naturally differ.\n")


if __name__ == "__main__":
    main()
