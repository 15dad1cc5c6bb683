#!/usr/bin/env python3
"""The binlog stream's reader against Connector/C's mariadb_rpl_fetch, on the same binlog of a
running MariaDB: the figures behind "Why not mariadb_rpl" in connectors/mysql/server/README.md.

  scripts/services/mariadb start            # MARIADB_PORT=..., MARIADB_TLS=0 are fine too
  python3 tests/bench/binlog_reader_comparison.py --port 13306 [--rows 1000000] [--runs 7]

For each workload it empties the server's binlog (RESET MASTER: use a throw-away server), writes
the workload into scripts/bench's bench.orders table, then reads the whole binlog with
build/tests/bench/binlog_fetch_ceiling --reader stream and --reader mariadb_rpl, alternately,
after one warm-up read each. Prints a Markdown table: medians (and ranges) of events/s and of this
process's CPU per event.

Workloads: `small`, one INSERT per row, ten per transaction (rows events of ~190 bytes: the usual
CDC stream); `compressed`, the same with MariaDB's log_bin_compress=ON; `bulk`, 100-row INSERTs
(rows events of ~8 KB)."""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "bench.d"))
from database import Database, row_values  # noqa: E402
from bench_runs import run_json, summary  # noqa: E402

WORKLOADS = {
    # name: (rows per INSERT, INSERTs per transaction, log_bin_compress)
    "small": (1, 10, False),
    "compressed": (1, 10, True),
    "bulk": (100, 1, False),
}


def load(db, rows, rows_per_insert, inserts_per_transaction):
    process = subprocess.Popen(db.client(), stdin=subprocess.PIPE, text=True, stdout=subprocess.DEVNULL)
    next_id = 1
    while next_id <= rows:
        statements = []
        for _ in range(inserts_per_transaction):
            if next_id > rows:
                break
            last = min(rows, next_id + rows_per_insert - 1)
            values = ",".join(row_values(i) for i in range(next_id, last + 1))
            statements.append(f"INSERT INTO bench.orders VALUES {values};")
            next_id = last + 1
        process.stdin.write("START TRANSACTION;" + "".join(statements) + "COMMIT;\n")
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("loading rows failed")


def read(binary, port, reader):
    return run_json([binary, "--port", str(port), "--reader", reader], reader, timeout=600)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--binary", default=os.path.join(
        os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "binlog_fetch_ceiling"))
    args = parser.parse_args()

    db = Database(args.port)
    readers = ("stream", "mariadb_rpl")
    print("| workload | events | MB | reader | events/s, median (range) | CPU ns/event, median (range) |")
    print("|---|---|---|---|---|---|")
    for name in args.workloads.split(","):
        rows_per_insert, per_transaction, compress = WORKLOADS[name]
        db.sql("SET GLOBAL sync_binlog = 0; SET GLOBAL innodb_flush_log_at_trx_commit = 0;"
               f"SET GLOBAL log_bin_compress = {'ON' if compress else 'OFF'};"
               "SET GLOBAL log_bin_compress_min_len = 10;")
        try:
            db.fresh_table()
            load(db, args.rows, rows_per_insert, per_transaction)
        finally:
            db.sql("SET GLOBAL sync_binlog = 1; SET GLOBAL innodb_flush_log_at_trx_commit = 1;"
                   "SET GLOBAL log_bin_compress = OFF; SET GLOBAL log_bin_compress_min_len = 256;")
        for reader in readers:
            read(args.binary, args.port, reader)  # warm-up: the binlog in the page cache
        results = {reader: [] for reader in readers}
        for _ in range(args.runs):
            for reader in readers:
                results[reader].append(read(args.binary, args.port, reader))
        for reader in readers:
            runs = results[reader]
            print(f"| {name} | {runs[0]['events']:,} | {runs[0]['bytes'] / 1e6:.0f} | {reader} | "
                  f"{summary([r['events_per_second'] for r in runs], lambda v: f'{v / 1e6:.2f} M')} | "
                  f"{summary([r['cpu_ns_per_event'] for r in runs], lambda v: f'{v:.0f}')} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
