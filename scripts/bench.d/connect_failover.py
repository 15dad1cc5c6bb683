"""Kafka Connect's failover, measured as tests/integration/cluster/cluster_bench measures Sluice's
(docs/cluster.md, "Benchmark"): three distributed workers in one group on the benchmark's broker
running Debezium's connectors, `scheduled.rebalance.max.delay.ms=0`, `session.timeout.ms` 6 s,
`heartbeat.interval.ms` 1 s. Per round: the third worker starts (its process start to its first
task RUNNING, by the status API), is stopped cleanly (SIGTERM), started again, and killed (-9);
after each stop, the time to the first record a moved task writes (readable, with a CreateTime
after the stop) on another worker. Rows are inserted at 200 per second throughout; every
connector reads the same table, each with its own server id and topics.

Run through scripts/bench, which starts the broker and the database:
  BENCH_ENTRY=scripts/bench.d/connect_failover.py scripts/bench --server mysql [--runs 3]
The workers' REST APIs listen on BENCH_CONNECT_PORT and the two ports after it."""

import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from confluent_kafka import Consumer, TopicPartition  # noqa: E402

from connect_rest import ConnectRest  # noqa: E402
from database import Database  # noqa: E402
from kafka_side import KafkaSide, watermarks  # noqa: E402
from systems import (RUNS, SERVER_ID, System, connect_worker_settings, internal_topics,  # noqa: E402
                     start_connect_worker)

SESSION_TIMEOUT_MS = 6000
ROWS_PER_SECOND = 200
WORKER_NAMES = ("a", "b", "c")
SETTLE_SECONDS = 120


def parse_args():
    parser = argparse.ArgumentParser(prog="connect_failover", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=["mysql", "mariadb"], default="mysql")
    parser.add_argument("--connectors", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(RUNS, "connect-failover.json"))
    return parser.parse_args()


class Cluster:
    def __init__(self, kafka, database, connectors):
        self.kafka = kafka
        self.database = database
        self.connectors = [f"cdc-{i}" for i in range(connectors)]
        self.run_id = str(int(time.time() * 1000))
        base_port = int(os.environ["BENCH_CONNECT_PORT"])
        self.ports = {name: base_port + i for i, name in enumerate(WORKER_NAMES)}
        self.workers = {}

    def worker_id(self, name):
        return f"127.0.0.1:{self.ports[name]}"

    def rest(self, name="a"):
        return ConnectRest(f"http://127.0.0.1:{self.ports[name]}", self.workers.get(name))

    def start(self, name):
        directory = os.path.join(RUNS, f"failover-{name}")
        os.makedirs(directory, exist_ok=True)
        worker = {
            **connect_worker_settings(self.kafka.bootstrap, directory, self.ports[name]),
            **internal_topics("connect-failover", self.run_id),
            "session.timeout.ms": str(SESSION_TIMEOUT_MS),
            "heartbeat.interval.ms": "1000",
            "scheduled.rebalance.max.delay.ms": "0",
        }
        self.workers[name] = start_connect_worker(f"failover-{name}", directory, worker, "512m")
        return self.workers[name]

    def connector_config(self, index):
        prefix = f"fo{index}"
        settings = System(self.database, self.kafka).connector_settings("no_data")
        return {
            "connector.class": os.environ["DEBEZIUM_CONNECTOR_CLASS"],
            **settings,
            "database.server.id": str(SERVER_ID + 100 + index),
            "topic.prefix": prefix,
            "schema.history.internal.kafka.bootstrap.servers": self.kafka.bootstrap,
            "schema.history.internal.kafka.topic": f"{prefix}.schema-history",
        }

    def status_topic(self):
        return internal_topics("connect-failover", self.run_id)["status.storage.topic"]

    def topic(self, connector):
        return f"fo{connector.split('-')[1]}.bench.orders"

    def tasks_by_worker(self):
        """{worker id: [connector names whose task 0 RUNS there]}, from worker a's status API (or
        any live worker's)."""
        for name in WORKER_NAMES:
            running = self.workers.get(name)
            if running is None or running.process.poll() is not None:
                continue
            try:
                status, answer = self.rest(name).request("GET", "/connectors?expand=status")
            except OSError:
                continue
            if status != 200:
                continue
            placed = {}
            for connector, info in answer.items():
                for task in info["status"]["tasks"]:
                    if task["state"] == "RUNNING":
                        placed.setdefault(task["worker_id"], []).append(connector)
            return placed
        return {}

    def wait_until(self, what, condition, timeout=SETTLE_SECONDS):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.05)
        raise RuntimeError(f"timed out waiting until {what}")


def open_at_end(kafka, topics):
    """A consumer of every partition of `topics`, from their ends as of now."""
    consumer = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": "connect-failover",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 10, "socket.nagle.disable": True})
    assignment = []
    for topic in topics:
        for partition in consumer.list_topics(topic, timeout=10).topics[topic].partitions:
            assignment.append(TopicPartition(topic, partition, watermarks(consumer, topic, partition)[1]))
    consumer.assign(assignment)
    return consumer


def measure_stop(cluster, name, how):
    """Stops worker `name` (SIGTERM or SIGKILL). Returns (seconds from the signal to the first
    record a moved task wrote on another worker being readable, how many tasks moved). A record
    counts when its CreateTime is at or after the moment the other worker reported the task
    RUNNING (the CreateTime of its record in the status topic): a stopping worker may still write
    after the signal, a task is only started elsewhere once it has stopped."""
    me = cluster.worker_id(name)
    moved = cluster.tasks_by_worker().get(me, [])
    if not moved:
        raise RuntimeError(f"worker {name} runs no task to move")
    topic_of = {f"status-task-{connector}-0": cluster.topic(connector) for connector in moved}
    consumer = open_at_end(cluster.kafka, [cluster.status_topic()] + list(topic_of.values()))
    started_elsewhere = {}  # data topic -> CreateTime (ms) its task was RUNNING on another worker
    running = cluster.workers[name]
    stopped_at = time.monotonic()
    os.killpg(running.process.pid, how)
    try:
        deadline = stopped_at + SETTLE_SECONDS
        while time.monotonic() < deadline:
            message = consumer.poll(0.01)
            if message is None or message.error():
                continue
            created_ms = message.timestamp()[1]
            if message.topic() == cluster.status_topic():
                key = (message.key() or b"").decode()
                status = json.loads(message.value()) if message.value() else {}
                if key in topic_of and status.get("state") == "RUNNING" and status.get("worker_id") != me:
                    started_elsewhere.setdefault(topic_of[key], created_ms)
            elif message.topic() in started_elsewhere and created_ms >= started_elsewhere[message.topic()]:
                arrived = time.monotonic()
                running.process.wait()
                return arrived - stopped_at, len(moved)
        raise RuntimeError(f"no task of worker {name} wrote elsewhere in {SETTLE_SECONDS} s")
    finally:
        consumer.close()


def measure_start(cluster, name):
    """Starts worker `name`; seconds from its process start to its first task RUNNING."""
    running = cluster.start(name)
    me = cluster.worker_id(name)
    cluster.wait_until(f"worker {name} runs a task", lambda: cluster.tasks_by_worker().get(me))
    return time.monotonic() - running.started_at


def main():
    args = parse_args()
    kafka = KafkaSide(bootstrap=f"127.0.0.1:{os.environ['BENCH_KAFKA_PORT']}", partitions=1)
    database = Database.from_environment()
    cluster = Cluster(kafka, database, args.connectors)
    database.fresh_table()
    kafka.fresh_topics([cluster.topic(c) for c in cluster.connectors]
                       + [f"fo{i}.schema-history" for i in range(args.connectors)])
    stop_writing = threading.Event()
    writer = threading.Thread(target=database.paced_inserts,
                              args=(ROWS_PER_SECOND, 24 * 3600, 1, stop_writing.is_set))
    rounds = []
    try:
        cluster.start("a")
        cluster.start("b")
        cluster.rest("a").wait_until_serving()
        cluster.rest("b").wait_until_serving()
        writer.start()
        for index, connector in enumerate(cluster.connectors):
            cluster.rest("a").create(connector, cluster.connector_config(index))
        cluster.wait_until("every connector's task runs",
                           lambda: sum(len(v) for v in cluster.tasks_by_worker().values()) == args.connectors)
        for run in range(args.runs):
            figures = {"start_to_first_task_s": measure_start(cluster, "c")}
            time.sleep(5)  # its tasks write before they are moved away
            figures["clean_stop_to_first_event_elsewhere_s"], figures["moved_on_clean_stop"] = \
                measure_stop(cluster, "c", signal.SIGTERM)
            figures["restart_to_first_task_s"] = measure_start(cluster, "c")
            time.sleep(5)
            figures["kill_to_first_event_elsewhere_s"], figures["moved_on_kill"] = \
                measure_stop(cluster, "c", signal.SIGKILL)
            # The survivors hold every task again before the next round.
            cluster.wait_until("the survivors run every task", lambda: sum(
                len(v) for v in cluster.tasks_by_worker().values()) == args.connectors)
            print(f"run {run + 1}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                                 for k, v in figures.items()), flush=True)
            rounds.append(figures)
    finally:
        stop_writing.set()
        for running in cluster.workers.values():
            running.stop()
        if writer.is_alive():
            writer.join()
    summary = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]} if rounds else {}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        json.dump({"kafka_connect": os.environ.get("KAFKA_CONNECT_VERSION"),
                   "debezium": os.environ.get("DEBEZIUM_VERSION"), "connectors": args.connectors,
                   "session_timeout_ms": SESSION_TIMEOUT_MS, "runs": rounds, "median": summary}, out, indent=2)
    print(f"medians: {summary}\nresults: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
