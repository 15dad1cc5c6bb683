#!/usr/bin/env python3
"""The connector's SQL through MariaDB Connector/C and through mysql-connector-c++, on a running
MariaDB: the figures behind "Why the connector does not use mysql-connector-c++" in
docs/development.md.

  MARIADB_PORT=13908 MARIADB_TLS=0 scripts/services/mariadb start
  cmake --build build --target sql_client_comparison
  python3 tests/bench/sql_client_comparison.py --port 13908 [--rows 200000] [--runs 7] [--tls]

Creates bench_sql.snapshot_rows (--rows rows, thirteen columns of mixed types, every fifth `note`
and every third `shipped` NULL; replaced if it exists), then runs build/tests/bench/
sql_client_comparison for each workload with --client connector_c and --client cppconn,
alternately, after one warm-up run each. Workloads: snapshot (every row, 1024 per keyset chunk),
catalog (500 batches of the information_schema queries for one table), checks (500 batches of the
server checks), connect (200 connections opened and closed); --tls adds connect over TLS (the
server must serve TLS: start it without MARIADB_TLS=0). Prints a Markdown table of medians and
ranges; fails if the two clients' checksums differ (they did not read the same thing)."""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "bench.d"))
from database import Database  # noqa: E402
from bench_runs import run_json, summary  # noqa: E402

TABLE_DDL = """
DROP DATABASE IF EXISTS bench_sql;
CREATE DATABASE bench_sql;
CREATE TABLE bench_sql.snapshot_rows (
  id BIGINT PRIMARY KEY,
  customer INT NOT NULL,
  quantity SMALLINT NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  weight DOUBLE NOT NULL,
  paid TINYINT(1) NOT NULL,
  code CHAR(8) NOT NULL,
  name VARCHAR(64) NOT NULL,
  note VARCHAR(255) NULL,
  created DATETIME(6) NOT NULL,
  shipped DATE NULL,
  status ENUM('new','paid','shipped','returned') NOT NULL,
  digest BINARY(16) NOT NULL
);
"""

# MariaDB's Sequence engine (seq_1_to_N) makes the rows on the server in one statement.
FILL = """
INSERT INTO bench_sql.snapshot_rows
SELECT seq, seq % 9973, seq % 100, (seq % 100000) / 100, seq / 7.0, seq % 2,
       LPAD(HEX(seq), 8, '0'), CONCAT('customer name ', seq),
       IF(seq % 5 = 0, NULL, REPEAT(CONCAT('note ', seq, ' '), 6)),
       TIMESTAMP('2024-01-01') + INTERVAL seq * 1001 MICROSECOND,
       IF(seq % 3 = 0, NULL, DATE('2024-01-01') + INTERVAL (seq % 365) DAY),
       ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'), UNHEX(MD5(seq))
FROM bench_sql.seq_1_to_{rows};
ANALYZE TABLE bench_sql.snapshot_rows;
"""

# name: (flags, label of one item, unit of the CPU figure, divisor from ns)
WORKLOADS = {
    "snapshot": (["--workload", "snapshot"], "rows", "ns/row", 1),
    "catalog": (["--workload", "catalog"], "batches", "µs/batch", 1000),
    "checks": (["--workload", "checks"], "batches", "µs/batch", 1000),
    "connect": (["--workload", "connect"], "connections", "µs/connection", 1000),
    "connect_tls": (["--workload", "connect", "--tls", "--repeat", "50"], "connections",
                    "µs/connection", 1000),
}
CLIENTS = ("connector_c", "cppconn")


def run(binary, port, client, flags):
    return run_json([binary, "--port", str(port), "--client", client] + flags,
                    f"{client} {' '.join(flags)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tls", action="store_true", help="also connect over TLS")
    parser.add_argument("--workloads", help="a comma-separated subset of " + ",".join(WORKLOADS))
    parser.add_argument("--binary", default=os.path.join(
        os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "sql_client_comparison"))
    args = parser.parse_args()

    db = Database(args.port)
    db.sql(TABLE_DDL + FILL.format(rows=args.rows))
    workloads = (args.workloads.split(",") if args.workloads
                 else [w for w in WORKLOADS if w != "connect_tls" or args.tls])
    print("| workload | client | items | per second, median (range) | CPU, median (range) | "
          "peak RSS MB, median |")
    print("|---|---|---|---|---|---|")
    for name in workloads:
        flags, label, unit, divisor = WORKLOADS[name]
        for client in CLIENTS:
            run(args.binary, args.port, client, flags)  # warm-up: the server's caches
        results = {client: [] for client in CLIENTS}
        for _ in range(args.runs):
            for client in CLIENTS:
                results[client].append(run(args.binary, args.port, client, flags))
        checksums = {r["checksum"] for client in CLIENTS for r in results[client]}
        if len(checksums) != 1:
            raise RuntimeError(f"{name}: the clients read different data: {sorted(checksums)}")
        for client in CLIENTS:
            runs = results[client]
            print(f"| {name} | {client} | {runs[0]['items']:,} {label} | "
                  f"{summary([r['items_per_second'] for r in runs], lambda v: f'{v:,.0f}')} | "
                  f"{summary([r['cpu_ns_per_item'] / divisor for r in runs], lambda v: f'{v:,.0f}')}"
                  f" {unit} | {statistics.median(r['peak_rss_kb'] for r in runs) / 1024:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
