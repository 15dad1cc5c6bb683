"""The two systems under test, started the same way: equal converter, producer and topic settings
(JSON without schemas, primary key as the record key, acks=all, idempotence on, the same linger
and compression), each in its own process whose CPU time and peak memory are read from /proc."""

import glob
import os
import shutil
import signal
import subprocess
import time

from connect_rest import ConnectRest
from machine_usage import cpu_seconds

# scripts/lib/common.sh's SLUICE_CACHE: where scripts/services keep their data and pid files.
CACHE = os.environ.get("SLUICE_CACHE") or os.path.join(
    os.environ.get("SLUICE_ROOT", os.path.join(os.path.dirname(__file__), "..", "..")), ".cache")
# This invocation's own run folder (the systems' properties, logs and offsets files), so that
# benches run at the same time never write into each other's: runs/<local time>-<pid>. Nothing
# removes old ones.
RUNS = os.path.join(CACHE, "bench", "runs", f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
TOPIC_PREFIX = "bench"
DATA_TOPIC = f"{TOPIC_PREFIX}.bench.orders"
SERVER_ID = 7101
# Log lines that mean a task died while its worker process lives on (Kafka Connect, Sluice).
FAILURE_MARKERS = ("Task threw an uncaught and unrecoverable exception", "ended FAILED", "task failed:")

# Producer settings both systems get (Kafka Connect passes producer.* to its producer; Sluice to
# librdkafka): the same acknowledgement, idempotence, batching and compression.
PRODUCER_SETTINGS = {
    "producer.acks": "all",
    "producer.enable.idempotence": "true",
    "producer.linger.ms": "5",
    "producer.compression.type": "lz4",
}


def write_properties(path, settings):
    with open(path, "w") as out:
        for key, value in settings.items():
            out.write(f"{key}={value}\n")


def peak_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


class RunningSystem:
    """One started process: its CPU and memory are sampled before it is stopped."""

    def __init__(self, name, process, log_path, started_at):
        self.name = name
        self.process = process
        self.log_path = log_path
        self.started_at = started_at

    def running(self):
        """Alive and not failed: a worker whose task failed keeps its process but delivers nothing."""
        if self.process.poll() is not None:
            return False
        try:
            with open(self.log_path, errors="replace") as log:
                text = log.read()
        except OSError:
            return True
        return not any(marker in text for marker in FAILURE_MARKERS)

    def usage(self):
        """CPU seconds and peak RSS so far; call while the process lives."""
        return {"cpu_seconds": cpu_seconds(self.process.pid), "peak_rss_bytes": peak_rss_bytes(self.process.pid)}

    def stop(self):
        # The whole process group: a profiler given by SLUICE_BENCH_WRAPPER does not pass the
        # signal on to the worker it started.
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines=30):
        try:
            with open(self.log_path) as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""


class System:
    name = "?"
    table_include_list = "bench.orders"
    transactional = False  # writes in Kafka transactions: its topics' end offsets count commit markers

    def __init__(self, database, kafka):
        self.database = database
        self.kafka = kafka

    def connector_settings(self, snapshot_mode):
        """Debezium's connector properties; Sluice reads the same names."""
        return {
            "tasks.max": "1",
            "database.hostname": "127.0.0.1",
            "database.port": str(self.database.port),
            "database.user": "sluice_cdc",
            "database.password": "sluice-cdc",
            "database.server.id": str(SERVER_ID),
            "topic.prefix": TOPIC_PREFIX,
            "database.include.list": "bench",
            "snapshot.mode": snapshot_mode,
            # caching_sha2_password over plaintext (MySQL): the JDBC driver may fetch the server's
            # RSA key; Sluice always may. MariaDB's driver ignores it.
            **({"driver.allowPublicKeyRetrieval": "true"} if self.database.server == "mysql" else {}),
            "include.schema.changes": "false",
            "tombstones.on.delete": "true",
            "database.ssl.mode": "disabled",
            **({"table.include.list": self.table_include_list} if self.table_include_list else {}),
        }

    def fresh_directory(self):
        directory = os.path.join(RUNS, self.name)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        return directory

    def run_directory(self, keep_state):
        """(this system's run folder, its run id): fresh ones, or with `keep_state` the last run's.
        Offsets live in Kafka: a fresh run gets fresh internal topics, named by the run id."""
        if not keep_state:
            directory = self.fresh_directory()
            with open(os.path.join(directory, "run-id"), "w") as out:
                out.write(str(int(time.time() * 1000)))
        directory = os.path.join(RUNS, self.name)
        with open(os.path.join(directory, "run-id")) as run_file:
            return directory, run_file.read().strip()


def internal_topics(prefix, run_id):
    """A distributed worker's group and internal topics for one run (Kafka Connect's and Sluice's
    property names are the same)."""
    return {
        "group.id": f"{prefix}-{run_id}",
        "offset.storage.topic": f"{prefix}-offsets-{run_id}",
        "config.storage.topic": f"{prefix}-configs-{run_id}",
        "status.storage.topic": f"{prefix}-status-{run_id}",
        "offset.storage.replication.factor": "1",
        "config.storage.replication.factor": "1",
        "status.storage.replication.factor": "1",
    }


def connect_worker_settings(bootstrap, directory, rest_port, schemas_enable=False):
    """A Kafka Connect distributed worker's properties, as the benchmark runs it: the systems'
    converter and producer settings, its REST API on loopback. Add internal_topics()."""
    plugin_path = os.path.join(directory, "no-plugins")
    os.makedirs(plugin_path, exist_ok=True)
    return {
        "bootstrap.servers": bootstrap,
        "key.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "key.converter.schemas.enable": str(schemas_enable).lower(),
        "value.converter.schemas.enable": str(schemas_enable).lower(),
        "offset.flush.interval.ms": "1000",
        # Everything is on the class path; Kafka Connect 4.x refuses an empty plugin.path (3.x
        # read it as the working directory, and scanned it), so it names an empty folder.
        "plugin.path": plugin_path,
        # Its REST API on loopback, on the port scripts/bench checked is free: Kafka Connect's
        # default, every interface on 8083, is where a quickstart's worker serves its admin API.
        "listeners": f"http://127.0.0.1:{rest_port}",
        "rest.advertised.host.name": "127.0.0.1",
        "rest.advertised.port": str(rest_port),
        **PRODUCER_SETTINGS,
    }


def start_connect_worker(name, directory, worker, heap):
    """Starts Kafka Connect (CONNECT_HOME) in distributed mode with `worker`'s properties, logging
    warnings and errors to `directory`/connect.log (appended)."""
    properties = os.path.join(directory, "worker.properties")
    write_properties(properties, worker)
    with open(os.path.join(directory, "log4j2.properties"), "w") as out:
        out.write("rootLogger.level = WARN\nrootLogger.appenderRef.console.ref = console\n"
                  "appender.console.type = Console\nappender.console.name = console\n"
                  "appender.console.layout.type = PatternLayout\n"
                  "appender.console.layout.pattern = [%d] %p %m (%c)%n\n")
    log_path = os.path.join(directory, "connect.log")
    started_at = time.monotonic()
    process = subprocess.Popen(
        ["java", f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC",
         f"-Dlog4j2.configurationFile={directory}/log4j2.properties",
         "-Dlog4j.configuration=file:/dev/null",
         "-cp", os.path.join(os.environ["CONNECT_HOME"], "libs", "*"),
         "org.apache.kafka.connect.cli.ConnectDistributed", properties],
        stdout=open(log_path, "a"), stderr=subprocess.STDOUT, start_new_session=True)
    return RunningSystem(name, process, log_path, started_at)


class DebeziumSystem(System):
    """Debezium on one Kafka Connect worker in distributed mode, as users run it: its connector
    created through the REST API, its offsets, configs and statuses in Kafka topics of its own
    (fresh per run, kept by a restart)."""
    name = "debezium"
    heap = "1g"
    schemas_enable = False  # the benchmark's setting; the reference capture turns it on
    include_schema_changes = False  # likewise
    extra_settings = {}  # connector properties the reference capture adds
    extra_worker_settings = {}
    topic_prefix = TOPIC_PREFIX
    include_list = "bench"

    def unavailable_reason(self):
        if not glob.glob(os.path.join(os.environ["CONNECT_HOME"], "libs",
                                      f"{os.environ['DEBEZIUM_ARTIFACT']}-*.jar")):
            return "Debezium is not installed (scripts/bench installs it)"
        return None

    def start(self, snapshot_mode, keep_state=False):
        """Starts the worker; on a fresh run also creates the connector, which a restart finds in
        the worker's config topic. With `never` on MySQL (Debezium 3.6 has no such mode) the
        connector is handed the binlog's start instead (connect_rest.create_at_binlog_start)."""
        directory, run_id = self.run_directory(keep_state)
        rest_port = os.environ["BENCH_CONNECT_PORT"]
        worker = {
            **connect_worker_settings(self.kafka.bootstrap, directory, rest_port, self.schemas_enable),
            **internal_topics("connect-bench", run_id),
            **self.extra_worker_settings,
        }
        connector = {
            "connector.class": os.environ["DEBEZIUM_CONNECTOR_CLASS"],
            **self.connector_settings(snapshot_mode),
            "topic.prefix": self.topic_prefix,
            "database.include.list": self.include_list,
            "include.schema.changes": str(self.include_schema_changes).lower(),
            "schema.history.internal.kafka.bootstrap.servers": self.kafka.bootstrap,
            "schema.history.internal.kafka.topic": f"{self.topic_prefix}.schema-history",
            **self.extra_settings,
        }
        running = start_connect_worker(self.name, directory, worker, self.heap)
        if keep_state:
            return running
        try:
            rest = ConnectRest(f"http://127.0.0.1:{rest_port}", running)
            rest.wait_until_serving()
            if snapshot_mode == "never" and self.database.server == "mysql":
                rest.create_at_binlog_start("bench", connector, self.database, self.topic_prefix)
            else:
                rest.create("bench", connector)
        except Exception:
            running.stop()
            raise
        return running

    def extra_topics(self):
        return [f"{self.topic_prefix}.schema-history"]


class DebeziumExactlyOnceSystem(DebeziumSystem):
    """Debezium with Kafka Connect's exactly-once source support (KIP-618, distributed mode only):
    a transactional producer per task at the default boundary (`transaction.boundary=poll`), its
    offsets written in the same transactions."""
    name = "debezium-eos"
    transactional = True
    extra_worker_settings = {"exactly.once.source.support": "enabled"}


class SluiceSystem(System):
    name = "sluice"
    extra_worker_settings = {}
    extra_connector_settings = {}
    extra_environment = {}

    def plugin_dir(self):
        return os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "plugins")

    def unavailable_reason(self):
        if not glob.glob(os.path.join(self.plugin_dir(), "*mysql*.so")):
            return ("the MySQL connector plugin is not built (no *mysql*.so in "
                    f"{self.plugin_dir()}); it arrives with issue 5")
        return None

    def start(self, snapshot_mode, keep_state=False):
        directory, run_id = self.run_directory(keep_state)
        worker = {
            "bootstrap.servers": self.kafka.bootstrap,
            **internal_topics("sluice-bench", run_id),
            "offset.flush.interval.ms": "1000",
            "plugin.path": os.path.abspath(self.plugin_dir()),
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "false",
            "value.converter.schemas.enable": "false",
            **PRODUCER_SETTINGS,
            **self.extra_worker_settings,
        }
        connector = {"name": "bench", "connector.class": "mysql", **self.connector_settings(snapshot_mode),
                     **self.extra_connector_settings}
        write_properties(os.path.join(directory, "worker.properties"), worker)
        write_properties(os.path.join(directory, "connector.properties"), connector)
        log_path = os.path.join(directory, "worker.log")
        binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "runtime", "cli", "sluice")
        started_at = time.monotonic()
        # SLUICE_BENCH_WRAPPER (a command prefix such as `perf record -g -o F --` or `heaptrack -o F`)
        # is for profiling runs only: CPU and RSS are then read from the wrapper's process.
        wrapper = os.environ.get("SLUICE_BENCH_WRAPPER", "").split()
        process = subprocess.Popen(
            wrapper + [binary, "worker", "--config", os.path.join(directory, "worker.properties"),
             os.path.join(directory, "connector.properties")],
            stdout=open(log_path, "a"), stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **self.extra_environment})
        return RunningSystem(self.name, process, log_path, started_at)

    def extra_topics(self):
        return []


class SluiceMetricsOffSystem(SluiceSystem):
    """Sluice with its per-record metrics off (the record counters and the commit-to-ack lag
    histogram; a test-only switch, runtime/worker/per_record_metrics.h): beside `sluice`, what they cost."""
    name = "sluice-metrics-off"
    extra_environment = {"SLUICE_BENCH_PER_RECORD_METRICS": "off"}


class SluiceExactlyOnceSystem(SluiceSystem):
    """Sluice with exactly-once on (docs/worker.md, "Exactly-once"): a transactional producer per
    task, at the default boundary (`transaction.boundary=poll`: one Kafka transaction per poll's
    records, which the MySQL connector ends at each source transaction)."""
    name = "sluice-eos"
    transactional = True
    extra_worker_settings = {"exactly.once.source.support": "enabled"}


class SluiceExactlyOnceUngroupedSystem(SluiceExactlyOnceSystem):
    """Exactly-once at the poll boundary without the group commit (a test-only switch,
    runtime/worker/bench_switches.h): each poll a Kafka transaction of its own, also when it came
    while the commit before ran; beside `sluice-eos`, what grouping gains."""
    name = "sluice-eos-ungrouped"
    extra_environment = {"SLUICE_BENCH_GROUP_COMMIT": "off"}


class SluiceExactlyOnceConnectorBoundarySystem(SluiceExactlyOnceSystem):
    """Exactly-once with the MySQL connector's own boundaries (`transaction.boundary=connector`:
    one Kafka transaction per source transaction, split by size)."""
    name = "sluice-eos-connector"
    extra_connector_settings = {"transaction.boundary": "connector"}


class SluiceExactlyOnceIntervalSystem(SluiceExactlyOnceSystem):
    """Exactly-once with `transaction.boundary=interval`: one Kafka transaction per
    `offset.flush.interval.ms` (1 s here), whatever the source transactions."""
    name = "sluice-eos-interval"
    extra_connector_settings = {"transaction.boundary": "interval"}
