"""Sluice's benchmark harness: one database (MariaDB or MySQL), one Kafka broker, one workload at a time, Sluice and
(with --vs debezium) Debezium on Kafka Connect in the same run, with ratios. Every run is checked
(all rows present, per-key order, nothing extra) so a fast wrong run fails the benchmark.

Run through scripts/bench, which installs what this needs and starts the services."""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from database import Database  # noqa: E402
from systems import (RUNS, DebeziumExactlyOnceSystem, DebeziumSystem,  # noqa: E402
                     SluiceExactlyOnceConnectorBoundarySystem, SluiceExactlyOnceIntervalSystem,
                     SluiceExactlyOnceSystem, SluiceExactlyOnceUngroupedSystem,
                     SluiceMetricsOffSystem, SluiceSerialSystem, SluiceSystem)
import workloads  # noqa: E402
# kafka_side (confluent-kafka, which scripts/bench installs) is imported after the arguments are
# parsed: `scripts/bench --help` runs this file with the system's Python before installing anything.


def parse_args():
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--server", choices=["mariadb", "mysql"], default="mariadb",
                        help="the database, and with it the incumbent: MariaDB 10.11 with Debezium's "
                             "MariaDB connector 3.0.0.Final, or MySQL 9.7 with its MySQL connector 3.6.1.Final")
    parser.add_argument("--vs", choices=["debezium"], help="also run Debezium on Kafka Connect (one distributed worker)")
    parser.add_argument("--systems", help="comma-separated systems to run (sluice; sluice-eos: "
                                          "exactly-once on at the default boundary, poll; "
                                          "sluice-eos-connector, sluice-eos-interval: at the connector's "
                                          "boundaries, every second; debezium; debezium-eos: "
                                          "Kafka Connect's exactly-once source support on; "
                                          "sluice-metrics-off: per-record metrics off; "
                                          "sluice-serial: the send stage off, polls converted and "
                                          "sent on the task thread); "
                                          "default: sluice, plus debezium with --vs")
    parser.add_argument("--workloads", default=",".join(workloads.ALL),
                        help="comma-separated, from: " + ", ".join(workloads.ALL))
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the backlog and snapshot workloads")
    parser.add_argument("--single-rows", type=int, default=100_000, help="rows of the one-row-per-transaction workload")
    parser.add_argument("--mixed-ops", type=int, default=200_000, help="operations of the mixed workload")
    parser.add_argument("--latency-seconds", type=int, default=20, help="seconds per latency rate")
    parser.add_argument("--latency-rates", default="1000,5000",
                        help="comma-separated rows/s of the latency workload (a loaded machine's database "
                             "may commit fewer one-row transactions than 5,000/s)")
    parser.add_argument("--latency-split", choices=["producer", "broker"], default="producer",
                        help="where the latency workload splits each row's latency in two: at the "
                             "producer call (the record's CreateTime) or at the broker's append (the "
                             "data topic then stamps LogAppendTime)")
    parser.add_argument("--partitions", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1, help="timed runs per workload and system, alternating")
    parser.add_argument("--out", default=os.path.join(RUNS, "results.json"),
                        help="where the results go (default: results.json in this run's folder, "
                             ".cache/bench/runs/<time>-<pid>)")
    return parser.parse_args()


def environment_facts(database):
    def version(command):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
            # `java -version` answers on stderr.
            return (done.stdout.strip() or done.stderr.strip()).splitlines()[0]
        except Exception:  # noqa: BLE001 - a missing tool only blanks a line of the report
            return "unknown"

    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB",
        "kernel": platform.release(),
        "database": f"{database.server} {database.version()}",
        "kafka_broker": os.environ.get("SLUICE_KAFKA_HOME", ""),
        "kafka_broker_jvm": "1 GiB heap, G1 (Kafka's start-script options: MaxGCPauseMillis=20)",
        "kafka_connect": os.environ.get("KAFKA_CONNECT_VERSION", ""),
        "debezium": f"{os.environ.get('DEBEZIUM_ARTIFACT', '')} {os.environ.get('DEBEZIUM_VERSION', '')}",
        "java": version(["java", "-version"]) if shutil.which("java") else "none",
        "command": " ".join(["scripts/bench"] + sys.argv[1:]),
    }


def main():
    args = parse_args()
    from kafka_side import KafkaSide
    database = Database.from_environment()
    kafka = KafkaSide(bootstrap=f"127.0.0.1:{os.environ['BENCH_KAFKA_PORT']}", partitions=args.partitions)
    wanted = args.systems.split(",") if args.systems else ["sluice"] + (["debezium"] if args.vs else [])
    known = {"sluice": SluiceSystem, "sluice-eos": SluiceExactlyOnceSystem,
             "sluice-eos-connector": SluiceExactlyOnceConnectorBoundarySystem,
             "sluice-eos-interval": SluiceExactlyOnceIntervalSystem, "debezium": DebeziumSystem,
             "debezium-eos": DebeziumExactlyOnceSystem, "sluice-metrics-off": SluiceMetricsOffSystem,
             "sluice-serial": SluiceSerialSystem, "sluice-eos-ungrouped": SluiceExactlyOnceUngroupedSystem}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        print(f"bench: unknown system {unknown[0]}; choose from {', '.join(known)}", file=sys.stderr)
        return 2
    systems = [known[name](database, kafka) for name in wanted]
    for system in systems:
        problem = system.unavailable_reason()
        if problem:
            print(f"bench: cannot run {system.name}: {problem}", file=sys.stderr)
            return 2

    print(f"run folder: {RUNS}", flush=True)
    results = {"environment": environment_facts(database), "workloads": {}}
    failed = False
    for name in args.workloads.split(","):
        workload = workloads.make(name.strip(), args, database, kafka)
        print(f"\n== {workload.name}: {workload.description}", flush=True)
        if name == args.workloads.split(",")[0]:
            workload.warm_up(systems)
        per_system = {system.name: [] for system in systems}
        for run in range(args.runs):
            # Alternate the order so neither system always runs on a warmer machine.
            order = systems if run % 2 == 0 else list(reversed(systems))
            for system in order:
                measurement = workload.run(system)
                per_system[system.name].append(measurement)
                status = "ok" if measurement["correct"] else "WRONG: " + measurement["problem"].splitlines()[0]
                print(f"   {system.name:9s} run {run + 1}: {workloads.describe(measurement)}  [{status}]", flush=True)
                if not measurement["correct"]:
                    print("     " + measurement["problem"].replace("\n", "\n     "), flush=True)
                failed |= not measurement["correct"]
        limits = workload.ceilings(per_system)  # adds each run's share of its ceiling
        results["workloads"][workload.name] = {
            "description": workload.description,
            "runs": per_system,
            "summary": workloads.summarize(per_system),
            "ceilings": limits,
        }

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(results, out, indent=2)
    print()
    print(workloads.table(results))
    print(f"\nresults: {args.out}")
    print(workloads.summary_line(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
