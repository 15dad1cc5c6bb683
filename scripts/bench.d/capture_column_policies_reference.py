"""Captures what Debezium writes for a table whose columns take every column policy (mask, hash v1
and v2, truncate, the source-type parameters), in its snapshot and while streaming, as reference
data for Sluice's column policies: tests/reference/debezium/<server>-column-policies/.

Run through scripts/capture-debezium-reference --column-policies (it installs Debezium and starts
the services)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from capture_debezium_reference import PREFIX, start_capture, write_topic  # noqa: E402

# The policies, each on columns of several types (tests/integration/mysql_connector's
# column_policies_test.cc configures Sluice with the same).
POLICY_SETTINGS = {
    "column.mask.with.4.chars": r"shop\.people\.(code|ssn|n)",
    "column.mask.hash.SHA-256.with.salt.CzQMA0cB5K": r"shop\.people\.(h1|h3|e)",
    "column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K": r"shop\.people\.(h2|st)",
    "column.truncate.to.5.chars": r"shop\.people\.(bio|nm|vb|ts)",
    "column.propagate.source.type": r"shop\.people\.(price|dtm|code)",
    "datatype.propagate.source.type": r".+\.INT UNSIGNED",
}
SCHEMA_SQL = """
SET NAMES utf8mb4;
CREATE DATABASE shop;
CREATE TABLE shop.people (
  code VARCHAR(10) NOT NULL PRIMARY KEY,
  ssn VARCHAR(11), h1 VARCHAR(64), h2 VARCHAR(11), h3 TEXT, e ENUM('red','green'), st SET('a','b','c'),
  bio TEXT, nm CHAR(3), vb VARBINARY(10), price DECIMAL(10,2), n INT, nu INT UNSIGNED,
  dtm DATETIME(3), ts TIMESTAMP NULL
) DEFAULT CHARSET = utf8mb4;
INSERT INTO shop.people VALUES ('A1', '123-45-6789', '123-45-6789', '123-45-6789', 'emoji 😀!',
  'red', 'a,c', 'héllo wörld', 'abc', 0x0102030405, 12.50, 7, 8, '2024-01-02 03:04:05.678',
  '2024-01-02 03:04:05');
"""
CHANGES_SQL = """
SET NAMES utf8mb4;
SET time_zone = '+00:00';
INSERT INTO shop.people VALUES ('B2', '987-65-4321', 'a\\0b', 'héllo wörld', '', 'green', '',
  'short', 'xy', 0x01, 1.25, NULL, NULL, NULL, NULL);
UPDATE shop.people SET ssn = NULL, h1 = NULL, bio = 'abcdefgh' WHERE code = 'A1';
"""


def main():
    args, database, kafka, debezium = start_capture(POLICY_SETTINGS, SCHEMA_SQL, False)
    table = f"{PREFIX}.shop.people"
    kafka.fresh_topics([table, PREFIX], partitions=1)
    kafka.fresh_topics([f"{PREFIX}.schema-history"], partitions=1)
    running = debezium.start("initial")
    try:
        if kafka.wait_for_total(table, 1, 180, running.running) is None:
            raise SystemExit("the snapshot never arrived:\n" + running.log_tail())
        database.sql(CHANGES_SQL)
        if kafka.wait_for_total(table, 3, 120, running.running) is None:
            print(f"warning: {table} has {kafka.end_total(table)} records, expected 3")
        time.sleep(2)
    finally:
        running.stop()

    out_dir = os.path.join(args.out_dir, f"{args.server}-column-policies")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{table}.jsonl")
    records = kafka.read_all(table)
    write_topic(path, table, records)
    print(f"{path}: {len(records)} records")
    with open(os.path.join(out_dir, "README.md"), "w") as readme:
        readme.write(
            f"# What Debezium {os.environ.get('DEBEZIUM_VERSION')} writes with column policies "
            "(reference data)\n\n"
            f"Captured from a live `{os.environ.get('DEBEZIUM_CONNECTOR_CLASS')}` on Kafka Connect "
            f"{os.environ.get('KAFKA_CONNECT_VERSION')} reading {database.server} {database.version()}, "
            "with Kafka Connect's JSON converter (schemas enabled), by "
            f"`scripts/capture-debezium-reference --column-policies --server {args.server}`. The SQL "
            "and the policy properties are in `scripts/bench.d/capture_column_policies_reference.py`: "
            "one snapshot row, an insert and an update. One JSON object per record: topic, key, value "
            "and headers. Used by `ColumnPoliciesReference` in tests/integration/mysql_connector; "
            "timestamps, versions and positions naturally differ.\n")


if __name__ == "__main__":
    main()
