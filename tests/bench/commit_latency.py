#!/usr/bin/env python3
"""The database's part of scripts/bench's latency workload without any connector: one-row INSERTs
at a steady rate, each its own transaction, as the workload makes them, timed from the statement's
start to its commit returned by the `mariadb` client's own per-statement timing (`-vvv`, 1 ms
steps). The workload's `created` column is NOW(6) at the statement's start, so with sync_binlog=1
this time is inside every latency it reports: what is left of the 10 ms budget for the rest.

  python3 tests/bench/commit_latency.py --port 23600 [--rate 1000] [--seconds 10]

Writes a table probe.commits of its own (dropped and made again); the user needs CREATE and INSERT.
"""
import argparse
import re
import subprocess
import threading
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="sluice_admin")
    parser.add_argument("--password", default="sluice-admin")
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    client = ["mariadb", "-h127.0.0.1", f"-P{args.port}", f"-u{args.user}", f"-p{args.password}"]
    subprocess.run(client + ["-e", "DROP DATABASE IF EXISTS probe; CREATE DATABASE probe; "
                             "CREATE TABLE probe.commits (id BIGINT PRIMARY KEY, created DATETIME(6))"],
                   check=True)
    timed = subprocess.Popen(client + ["--batch", "-vvv"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    # The client's answers are read while it runs: left in the pipe, they fill it, the client
    # stops reading statements, and the writes below block for good.
    answers = []
    reader = threading.Thread(target=lambda: answers.append(timed.stdout.read()))
    reader.start()
    start = time.monotonic()
    total = int(args.rate * args.seconds)
    for n in range(total):
        delay = start + n / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        timed.stdin.write(f"INSERT INTO probe.commits VALUES ({n}, NOW(6));\n")
        timed.stdin.flush()
    timed.stdin.close()
    reader.join()
    timed.wait()
    times = sorted(float(seconds) * 1000
                   for seconds in re.findall(r"Query OK, 1 row affected \(([0-9.]+) sec\)", answers[0]))
    if len(times) != total:
        raise SystemExit(f"commit_latency: {len(times)} of {total} statements reported a time")
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]
    print(f"{total} one-row commits at {args.rate}/s: statement start to commit returned "
          f"p50 {pick(0.5):.1f}  p99 {pick(0.99):.1f}  max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
