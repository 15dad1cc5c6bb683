"""The workloads, each run the same way for every system, and the checks that make a fast wrong
run fail: every row present, per-key order as committed, nothing extra."""

import json
import statistics
import threading
import time

import ceilings
import machine_usage
from systems import CACHE, DATA_TOPIC

CEILING_TOPIC = "bench.ceiling"

ALL = ["backlog", "backlog-single", "mixed", "snapshot", "latency", "restart"]
TIMEOUT_SECONDS = 900
# The drain's CPU figures start once this share of a run's events is in (measure_to_completion).
DRAIN_FROM = 0.1


def decode(record):
    """(id, op, after) of a Debezium change event record; op 'tombstone' for a null value."""
    _, _, key, value, _ = record
    key_id = json.loads(key)["id"] if key else None
    if value is None:
        return key_id, "tombstone", None
    event = json.loads(value)
    return key_id, event["op"], event.get("after")


def wait_until_delivered(system, kafka, running, expected_events, last_id):
    """The monotonic time the data topic holds all `expected_events`, or None. By its end offsets;
    for a transactional system (exactly-once), whose end offsets also count each transaction's
    commit markers, until the event with key `last_id` (the workload's last change, which commits
    after every other) is readable read_committed: once all but a margin of records are in, a
    watcher reads the last margin of each partition and what follows."""
    if not system.transactional:
        return kafka.wait_for_total(DATA_TOPIC, expected_events, TIMEOUT_SECONDS, running.running)
    if last_id is None:
        raise ValueError(f"{system.name}: this workload cannot tell when a transactional system is done")
    margin = max(20_000, expected_events // 50)  # markers: at most a few per transaction
    if kafka.wait_for_total(DATA_TOPIC, expected_events - margin, TIMEOUT_SECONDS, running.running) is None:
        return None
    # The watcher starts `margin` records back: the end offsets count records of transactions
    # still open, so the last record may already lie below the end when the watcher starts
    # (one transaction per second, `transaction.boundary=interval`, holds the whole tail).
    watch = kafka.watch_for_new_record(DATA_TOPIC, back=margin)
    return watch.wait(TIMEOUT_SECONDS, running.running,
                      accept=lambda message: message.key() is not None and json.loads(message.key())["id"] == last_id)


def measure_to_completion(system, workload, expected_events, snapshot_mode, keep_state=False, last_id=None):
    """Starts `system`, waits until the data topic holds `expected_events` (the last of them has
    key `last_id`), samples CPU and peak memory, stops it. Events/s counts from process start to
    the last event being readable. Over the same window, what the broker, the database, this
    harness and the whole machine spent (machine_usage.per_event's fields); and over the drain
    alone, from the first DRAIN_FROM of the events to the last, the same with the system's own
    process among them (fields prefixed drain_: what each event costs once started, without the
    start's fixed costs, which the broker's topic and group work make large)."""
    kafka = workload.kafka
    pids = machine_usage.service_pids(CACHE)
    window = machine_usage.Window(pids).start()
    running = system.start(snapshot_mode, keep_state=keep_state)
    drain = {}

    def drain_started(total):
        drain["window"] = machine_usage.Window({**pids, "worker": running.process.pid}, threads_of="worker").start()
        drain["from_events"] = total

    try:
        if kafka.wait_for_total(DATA_TOPIC, int(expected_events * DRAIN_FROM), TIMEOUT_SECONDS, running.running,
                                on_reached=drain_started) is None:
            drain.clear()
        done_at = wait_until_delivered(system, kafka, running, expected_events, last_id)
        usage = running.usage() if running.process.poll() is None else {"cpu_seconds": float("nan"), "peak_rss_bytes": 0}
        window.stop()
        if drain:
            drain["window"].stop()
    finally:
        running.stop()  # also when the harness fails: no worker outlives the benchmark
    if done_at is None:
        return {"correct": False, "problem": "did not deliver every event; log tail:\n" + running.log_tail(),
                "events": kafka.end_total(DATA_TOPIC)}
    seconds = done_at - running.started_at
    return {
        "events": expected_events,
        "seconds": seconds,
        "events_per_second": expected_events / seconds,
        "cpu_seconds": usage["cpu_seconds"],
        "cpu_seconds_per_million_events": usage["cpu_seconds"] * 1e6 / expected_events,
        "peak_rss_mb": usage["peak_rss_bytes"] / 2**20,
        **machine_usage.per_event(window.figures(), expected_events, window.seconds, usage["cpu_seconds"]),
        **(drain_figures(drain["window"], expected_events - drain["from_events"]) if drain else {}),
        "correct": True,
        "problem": "",
    }


def drain_figures(window, events):
    """A drain window's fields: events/s, each process's CPU per event (the worker's among them)
    and each of the worker's threads'."""
    if events <= 0:
        return {}
    return {"drain_events_per_second": events / window.seconds,
            **machine_usage.per_event(window.figures(), events, window.seconds, 0.0, prefix="drain_"),
            **window.thread_figures(events, prefix="drain_")}


class Workload:
    name = "?"
    description = ""

    def __init__(self, args, database, kafka):
        self.args = args
        self.database = database
        self.kafka = kafka
        self.prepared = False
        self.records = []

    def ceilings(self, per_system):
        """The limits for this workload, measured now (binlog workloads override this)."""
        return {}

    def fresh_topics(self, system, data_topic_config=None):
        self.kafka.fresh_topics([DATA_TOPIC], config=data_topic_config)
        extra = system.extra_topics()
        if extra:
            self.kafka.fresh_topics(extra, partitions=1)

    def warm_up(self, systems):
        """One untimed run per system before the timed ones."""
        for system in systems:
            measurement = self.run(system)
            print(f"   {system.name:9s} warm-up: {describe(measurement)}", flush=True)

    def read_records(self, measurement):
        """Reads the data topic back; records the mean key + value size per event."""
        self.records = self.kafka.read_all(DATA_TOPIC)
        total = sum(len(r[3] or b"") + len(r[2] or b"") for r in self.records)
        measurement["bytes_per_event"] = total / max(1, len(self.records))

    def check_inserts(self, measurement, expected_ids, op):
        self.read_records(measurement)
        seen = {}
        for record in self.records:
            key_id, record_op, after = decode(record)
            if record_op != op or after is None or after["id"] != key_id:
                return fail(measurement, f"unexpected event {record_op} for key {key_id}")
            seen[key_id] = seen.get(key_id, 0) + 1
        missing = len(expected_ids - seen.keys())
        extra = sum(count - 1 for count in seen.values()) + len(seen.keys() - expected_ids)
        if missing or extra:
            return fail(measurement, f"{missing} rows missing, {extra} extra events")
        return measurement


def fail(measurement, problem):
    measurement["correct"] = False
    measurement["problem"] = problem
    return measurement


class Backlog(Workload):
    name = "backlog"
    rows_per_transaction = 1000

    @property
    def rows(self):
        return self.args.rows

    @property
    def description(self):
        return (f"{self.rows:,} rows inserted ({self.rows_per_transaction:,} per transaction) while no "
                "connector runs, then the connector started from the binlog's start (snapshot.mode=never)")

    def prepare(self):
        if not self.prepared:
            self.database.fresh_table()
            self.database.load(self.rows, self.rows_per_transaction)
            self.prepared = True

    def run(self, system):
        self.prepare()
        self.fresh_topics(system)
        measurement = measure_to_completion(system, self, self.rows, "never", last_id=self.rows)
        if not measurement["correct"]:
            return measurement
        return with_producer_ceiling(self, self.check_inserts(measurement, set(range(1, self.rows + 1)), "c"))


    def ceilings(self, per_system):
        return binlog_ceilings(self, self.rows, per_system)


def with_producer_ceiling(workload, measurement):
    """Right after a correct run, the producer ceiling for the records it wrote (the same keys and
    bytes, on the broker and machine as they are now): librdkafka alone, tests/bench/producer_ceiling.
    Measured after every run, so that each run's share of its ceiling is a same-time ratio on a
    machine whose pace moves. With it what the broker and the machine spent over its timed part
    (fields prefixed producer_ceiling_)."""
    if measurement["correct"]:
        ceiling = ceilings.producer(workload.kafka, DATA_TOPIC, CEILING_TOPIC, machine_usage.service_pids(CACHE))
        measurement["producer_ceiling_per_second"] = ceiling["records_per_second"]
        measurement["producer_ceiling_cpu_seconds_per_million"] = ceiling["cpu_ns_per_record"] / 1e3
        measurement.update(machine_usage.per_event(machine_usage.tool_figures(ceiling), ceiling["records"],
                                                   ceiling["seconds"], ceiling["cpu_seconds"],
                                                   prefix="producer_ceiling_"))
        measurement.update(machine_usage.tool_threads(ceiling, ceiling["records"], "producer_ceiling_"))
    return measurement


def binlog_ceilings(workload, events, per_system):
    """The raw binlog fetch ceiling (once), the runs' producer ceilings (median), and each run's
    events/s as a share of min(its producer ceiling, the binlog fetch ceiling). The fetch's CPU
    figures per million events count this workload's change events, as the systems' do."""
    fetch = ceilings.binlog_fetch(workload.database, machine_usage.service_pids(CACHE))
    fetch["events_per_second_of_this_workload"] = events / fetch["seconds"]
    fetch.update(machine_usage.per_event(machine_usage.tool_figures(fetch), events, fetch["seconds"],
                                         fetch["cpu_seconds"]))
    fetch["cpu_seconds_per_million_events"] = fetch["cpu_seconds"] * 1e6 / events
    producer = [run["producer_ceiling_per_second"] for runs in per_system.values() for run in runs
                if "producer_ceiling_per_second" in run]
    for runs in per_system.values():
        for run in runs:
            if "producer_ceiling_per_second" in run:
                run["share_of_ceiling"] = run["events_per_second"] / min(
                    run["producer_ceiling_per_second"], fetch["events_per_second_of_this_workload"])
    limits = {"binlog_fetch": fetch}
    if producer:
        limits["producer"] = {"records_per_second_median": statistics.median(producer),
                              "records_per_second_range": [min(producer), max(producer)]}
    return limits


class BacklogSingle(Backlog):
    name = "backlog-single"
    rows_per_transaction = 1

    @property
    def rows(self):
        return self.args.single_rows


class Mixed(Workload):
    name = "mixed"

    @property
    def description(self):
        return f"{self.args.mixed_ops:,} inserts, updates and deletes (60/30/10), one per transaction"

    def prepare(self):
        if not self.prepared:
            self.database.fresh_table()
            self.history = self.database.mixed(self.args.mixed_ops)
            self.expected = {key: [x for op in ops for x in ((op, "tombstone") if op == "d" else (op,))]
                             for key, ops in self.history.items()}
            self.events = sum(len(ops) for ops in self.expected.values())
            self.prepared = True

    def ceilings(self, per_system):
        return binlog_ceilings(self, self.events, per_system)

    def run(self, system):
        self.prepare()
        self.fresh_topics(system)
        measurement = measure_to_completion(system, self, self.events, "never")
        if not measurement["correct"]:
            return measurement
        self.read_records(measurement)
        actual = {}
        for record in self.records:
            key_id, op, _ = decode(record)
            actual.setdefault(key_id, []).append(op)
        wrong = [key for key in self.expected if actual.get(key) != self.expected[key]]
        extra = [key for key in actual if key not in self.expected]
        if wrong or extra:
            example = wrong[0] if wrong else extra[0]
            return fail(measurement, f"{len(wrong)} keys out of order or incomplete, {len(extra)} unknown keys; "
                                     f"key {example}: expected {self.expected.get(example)}, got {actual.get(example)}")
        return with_producer_ceiling(self, measurement)


class Snapshot(Workload):
    name = "snapshot"

    @property
    def description(self):
        return f"snapshot of a {self.args.rows:,}-row table (snapshot.mode=initial_only)"

    def prepare(self):
        if not self.prepared:
            self.database.fresh_table()
            self.database.load(self.args.rows, 1000)
            self.prepared = True

    def run(self, system):
        self.prepare()
        self.fresh_topics(system)
        measurement = measure_to_completion(system, self, self.args.rows, "initial_only")
        if not measurement["correct"]:
            return measurement
        return self.check_inserts(measurement, set(range(1, self.args.rows + 1)), "r")


class Latency(Workload):
    name = "latency"

    @property
    def rates(self):
        return tuple(int(rate) for rate in self.args.latency_rates.split(","))

    @property
    def description(self):
        return (f"rows at {' and '.join(str(r) for r in self.rates)} rows/s for {self.args.latency_seconds} s each: "
                "commit time (a DATETIME(6) column) to the record being readable from Kafka")

    def run(self, system):
        # Here, not at the top: bench.py imports this module for --help before confluent-kafka is
        # installed.
        import confluent_kafka

        self.database.fresh_table()
        if self.args.latency_split == "broker":
            # The data topic stamps each record with its append time, replacing the CreateTime.
            self.fresh_topics(system, {"message.timestamp.type": "LogAppendTime"})
            split_kind, split_leg = confluent_kafka.TIMESTAMP_LOG_APPEND_TIME, "append"
        else:
            self.fresh_topics(system)
            split_kind, split_leg = confluent_kafka.TIMESTAMP_CREATE_TIME, "producer"
        running = system.start("never")
        measurement = {"correct": True, "problem": ""}
        next_id = 1
        try:
            # Ready once a first row comes through.
            self.database.sql(f"INSERT INTO bench.orders VALUES (0,0,'','',0,NOW(6));")
            if self.kafka.wait_for_total(DATA_TOPIC, 1, 120, running.running) is None:
                return fail(measurement, "the first row never arrived; log tail:\n" + running.log_tail())
            for rate in self.rates:
                latencies = {}
                legs = {}  # id -> (created to producer call, producer call to readable), seconds
                stop = threading.Event()
                ready = threading.Event()
                first_id = next_id

                def on_record(message, arrival):
                    event = json.loads(message.value())
                    created = event["after"]["created"] / 1e6  # io.debezium.time.MicroTimestamp
                    latencies[event["after"]["id"]] = arrival - created
                    # The record's timestamp splits the latency: CreateTime, when the system's
                    # producer was handed it (both leave the timestamp to the producer), or with
                    # --latency-split broker LogAppendTime, when the broker appended it; in ms.
                    kind, stamp_ms = message.timestamp()
                    if kind == split_kind:
                        legs[event["after"]["id"]] = (stamp_ms / 1e3 - created, arrival - stamp_ms / 1e3)

                # The follower starts at the topic's end and is fetching before the first insert,
                # so neither its start-up nor older rows count; rows are matched by id.
                follower = threading.Thread(target=self.kafka.follow,
                                            args=(DATA_TOPIC, on_record, stop.is_set, ready))
                follower.start()
                ready.wait(60)
                sent = self.database.paced_inserts(rate, self.args.latency_seconds, next_id)
                next_id += sent
                # Until the follower has every row (end offsets would also count an exactly-once
                # system's commit markers), or 120 s. By the count alone (the follower started
                # after the rows before first_id were read): scanning every id here held the
                # follower thread off Python's lock while the last rows arrived, which they counted.
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline and running.running() and len(latencies) < sent:
                    time.sleep(0.1)
                stop.set()
                follower.join()
                fresh = sorted(latency for row_id, latency in latencies.items()
                               if first_id <= row_id < first_id + sent)
                if len(fresh) < sent:
                    return fail(measurement, f"{sent - len(fresh)} of {sent} rows at {rate}/s never arrived")
                measurement[f"p50_ms_at_{rate}"] = fresh[len(fresh) // 2] * 1000
                measurement[f"p99_ms_at_{rate}"] = fresh[int(len(fresh) * 0.99)] * 1000
                measurement[f"max_ms_at_{rate}"] = fresh[-1] * 1000
                # Where the tail is: up to the producer call (the database's commit, the binlog,
                # the connector) and from it (linger, the broker, the fetch); or, split at the
                # broker's append, up to it (also the linger and the produce request) and from it
                # (the broker's answer to the waiting fetch, the measuring consumer).
                fresh_legs = [legs[row_id] for row_id in range(first_id, first_id + sent) if row_id in legs]
                if len(fresh_legs) == sent:
                    to_split = sorted(leg[0] for leg in fresh_legs)
                    from_split = sorted(leg[1] for leg in fresh_legs)
                    for q, index in (("p50", sent // 2), ("p99", int(sent * 0.99))):
                        measurement[f"{q}_ms_to_{split_leg}_at_{rate}"] = to_split[index] * 1000
                        measurement[f"{q}_ms_from_{split_leg}_at_{rate}"] = from_split[index] * 1000
            if running.process.poll() is None:
                measurement["peak_rss_mb"] = running.usage()["peak_rss_bytes"] / 2**20
        finally:
            running.stop()
        return measurement


class Restart(Workload):
    name = "restart"

    @property
    def description(self):
        return "a stopped connector with committed offsets started again: process start to the first new event readable"

    def run(self, system):
        self.database.fresh_table()
        self.fresh_topics(system)
        self.database.load(1000, 1000)
        first = measure_to_completion(system, self, 1000, "never")
        if not first["correct"]:
            return first
        self.database.load(1, 1, first_id=1000001)
        watch = self.kafka.watch_for_new_record(DATA_TOPIC)
        running = system.start("never", keep_state=True)
        try:
            arrived = watch.wait(120, running.running)
        finally:
            running.stop()
        if arrived is None:
            return fail({"correct": True, "problem": ""}, "the new row never arrived; log tail:\n" + running.log_tail())
        return {"correct": True, "problem": "", "restart_to_first_event_ms": (arrived - running.started_at) * 1000}


def make(name, args, database, kafka):
    classes = {"backlog": Backlog, "backlog-single": BacklogSingle, "mixed": Mixed,
               "snapshot": Snapshot, "latency": Latency, "restart": Restart}
    if name not in classes:
        raise SystemExit(f"bench: unknown workload {name}; choose from {', '.join(ALL)}")
    return classes[name](args, database, kafka)


# The latency workload's two legs, split at the producer call (CreateTime) or, with
# --latency-split broker, at the broker's append (LogAppendTime).
LEG_LABELS = [("producer", ("to producer call", "producer call to readable")),
              ("append", ("to broker append", "broker append to readable"))]
MACHINE_PARTS = [("kafka_broker", "broker"), ("database", "database"), ("harness", "harness"),
                 ("other", "other"), ("machine_busy", "machine busy")]
METRICS = [
    ("events_per_second", "events/s", "{:,.0f}", "higher"),
    ("cpu_seconds_per_million_events", "CPU s / M events", "{:.1f}", "lower"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}", "lower"),
    ("bytes_per_event", "bytes/event", "{:.0f}", "lower"),
    ("p50_ms_at_1000", "p50 ms @1k/s", "{:.1f}", "lower"),
    ("p99_ms_at_1000", "p99 ms @1k/s", "{:.1f}", "lower"),
    *[(f"{q}_ms_{way}_{leg}_at_1000", f"{q} ms {label} @1k/s", "{:.1f}", "lower")
      for leg, labels in LEG_LABELS for way, label in zip(("to", "from"), labels) for q in ("p50", "p99")],
    ("max_ms_at_1000", "max ms @1k/s", "{:.1f}", "lower"),
    ("p50_ms_at_5000", "p50 ms @5k/s", "{:.1f}", "lower"),
    ("p99_ms_at_5000", "p99 ms @5k/s", "{:.1f}", "lower"),
    *[(f"{q}_ms_{way}_{leg}_at_5000", f"{q} ms {label} @5k/s", "{:.1f}", "lower")
      for leg, labels in LEG_LABELS for way, label in zip(("to", "from"), labels) for q in ("p50", "p99")],
    ("max_ms_at_5000", "max ms @5k/s", "{:.1f}", "lower"),
    ("restart_to_first_event_ms", "restart ms", "{:.0f}", "lower"),
    # Where the machine's CPU went over each run (machine_usage.per_event): the processes beside
    # the system's own, what none of them explains, and the machine's total.
    *[(f"{key}_cpu_seconds_per_million_events", f"{label} CPU s / M events", "{:.2f}", "lower")
      for key, label in MACHINE_PARTS],
    ("machine_cores_busy", "cores busy (average)", "{:.2f}", "lower"),
    ("drain_events_per_second", "drain: events/s", "{:,.0f}", "higher"),
    *[(f"drain_{key}_cpu_seconds_per_million_events", f"drain: {label} CPU s / M events", "{:.2f}", "lower")
      for key, label in [("worker", "worker")] + MACHINE_PARTS],
    ("drain_worker_busiest_thread_cpu_seconds_per_million_events", "drain: worker's busiest thread CPU s / M",
     "{:.2f}", "lower"),
    ("drain_machine_cores_busy", "drain: cores busy (average)", "{:.2f}", "lower"),
    ("producer_ceiling_per_second", "producer ceiling/s", "{:,.0f}", "higher"),
    ("producer_ceiling_cpu_seconds_per_million", "ceiling CPU s / M", "{:.1f}", "lower"),
    *[(f"producer_ceiling_{key}_cpu_seconds_per_million_events", f"ceiling: {label} CPU s / M", "{:.2f}", "lower")
      for key, label in MACHINE_PARTS if key != "harness"],
    ("producer_ceiling_busiest_thread_cpu_seconds_per_million_events", "ceiling: its busiest thread CPU s / M",
     "{:.2f}", "lower"),
    ("producer_ceiling_machine_cores_busy", "ceiling: cores busy (average)", "{:.2f}", "lower"),
    ("share_of_ceiling", "of min(ceilings)", "{:.0%}", "higher"),
]
# The ratios reported, each system over another where both ran: per run (run i of one against run
# i of the other, which ran next to it), then the median of those.
PAIRS = ([("sluice", "debezium"), ("sluice-eos", "debezium-eos"), ("debezium-eos", "debezium"),
          ("sluice", "sluice-metrics-off")]
         + [(f"sluice-eos{kind}", "sluice") for kind in ("", "-connector", "-interval")])


def describe(measurement):
    parts = []
    for key, label, fmt, _ in METRICS:
        if key in measurement:
            parts.append(f"{label} {fmt.format(measurement[key])}")
    return ", ".join(parts) if parts else "no figures"


def summarize(per_system):
    """Median of each metric per system, and for each of PAIRS that ran, the median of the same-run
    ratios."""
    summary = {}
    good = {system: [run for run in runs if run.get("correct")] for system, runs in per_system.items()}
    for system, runs in good.items():
        summary[system] = {key: statistics.median(run[key] for run in runs)
                           for key, *_ in METRICS if runs and all(key in run for run in runs)}
    summary["ratios"] = {}
    for top, bottom in PAIRS:
        if top not in per_system or bottom not in per_system:
            continue
        pairs = [(a, b) for a, b in zip(per_system[top], per_system[bottom]) if a.get("correct") and b.get("correct")]
        ratios = {key: statistics.median(a[key] / b[key] for a, b in pairs)
                  for key, *_ in METRICS
                  if pairs and all(key in a and key in b and b[key] for a, b in pairs)}
        summary["ratios"][f"{top}/{bottom}"] = ratios
    return summary


def table(results):
    systems = [name for name in next(iter(results["workloads"].values()))["summary"] if name != "ratios"] \
        if results["workloads"] else []
    pairs = sorted({pair for w in results["workloads"].values() for pair in w["summary"]["ratios"]})
    widths = [max(12, len(name)) for name in systems + pairs]
    lines = [f"{'workload':16s} {'metric':38s} " + " ".join(f"{name:>{w}s}" for name, w in zip(systems + pairs, widths))]
    for name, workload in results["workloads"].items():
        summary = workload["summary"]
        for key, label, fmt, _ in METRICS:
            row = [summary.get(system, {}).get(key) for system in systems]
            if all(value is None for value in row):
                continue
            cells = [fmt.format(v) if v is not None else "-" for v in row]
            ratios = [summary["ratios"].get(pair, {}).get(key) for pair in pairs]
            cells += [f"{r:.3f}" if r is not None else "-" for r in ratios]
            lines.append(f"{name:16s} {label:38s} " + " ".join(f"{cell:>{w}s}" for cell, w in zip(cells, widths)))
        limits = workload.get("ceilings", {})
        if "binlog_fetch" in limits:
            fetch = limits["binlog_fetch"]
            lines.append(f"{name:16s} {'ceiling: binlog fetch':38s} {fetch['events_per_second_of_this_workload']:>12,.0f} "
                         f"events/s ({fetch['mb_per_second']:.0f} MB/s raw fetch); CPU s / M events: "
                         f"the fetch {fetch['cpu_seconds_per_million_events']:.2f}, the database "
                         f"{fetch.get('database_cpu_seconds_per_million_events', float('nan')):.2f}, "
                         f"machine busy {fetch['machine_busy_cpu_seconds_per_million_events']:.2f}")
        if "producer" in limits:
            producer = limits["producer"]
            low, high = producer["records_per_second_range"]
            lines.append(f"{name:16s} {'ceiling: librdkafka producer':38s} {producer['records_per_second_median']:>12,.0f} "
                         f"records/s, median of the runs' ({low:,.0f}-{high:,.0f})")
    return "\n".join(lines)


def summary_line(results):
    parts = []
    for name, workload in results["workloads"].items():
        for pair, ratio in workload["summary"]["ratios"].items():
            for key, label in (("events_per_second", "events/s"), ("cpu_seconds_per_million_events", "CPU/event"),
                               ("peak_rss_mb", "RSS"), ("restart_to_first_event_ms", "restart"),
                               ("p99_ms_at_1000", "p99@1k")):
                if key in ratio:
                    parts.append(f"{name} {pair} {label} x{ratio[key]:.2f}")
        share = workload["summary"].get("sluice", {}).get("share_of_ceiling")
        if share is not None:
            parts.append(f"{name} sluice {share:.0%} of min(ceilings)")
    return "summary (same-run ratios, medians): " + ("; ".join(parts) if parts else "no ratios (one system ran)")
