"""Workers for the REST API tests: a Sluice worker and a real Kafka Connect, each a process of its
own on the test broker, with topics and a group of their own per run, stopped when the test ends.

Standard library only. Environment (set by CTest, tests/integration/rest/CMakeLists.txt):
SLUICE_KAFKA_BOOTSTRAP, SLUICE_BINARY, SLUICE_PLUGIN_PATH, SLUICE_KAFKA_CONNECT_HOME (its libs/),
SLUICE_TEST_WORK_DIR (a folder of the test's own for files and logs).
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse

BOOTSTRAP = os.environ["SLUICE_KAFKA_BOOTSTRAP"]
WORK_DIR = os.environ["SLUICE_TEST_WORK_DIR"]


class Answer:
    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers
        try:
            self.json = json.loads(body) if body else None
        except ValueError:  # an HTML page from a worker still starting, say
            self.json = None
            self.not_json = True
        else:
            self.not_json = False

    def __repr__(self):
        return f"{self.status} {self.body[:600]}"


class Worker:
    """One REST worker: `call` sends a request and returns its Answer."""

    def __init__(self, name, port):
        self.name = name
        self.port = port
        self.process = None
        self.log_path = os.path.join(WORK_DIR, f"{name}.log")

    def call(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent_headers = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, str) else json.dumps(body)
            sent_headers.setdefault("Content-Type", "application/json")
        try:
            connection.request(method, path, body=data, headers=sent_headers)
            response = connection.getresponse()
            return Answer(response.status, response.read().decode(), dict(response.getheaders()))
        finally:
            connection.close()

    def wait_until(self, what, check, seconds=90):
        """Polls `check()` (a truthy value ends the wait) and returns its last value."""
        deadline = time.monotonic() + seconds
        while True:
            value = check()
            if value or time.monotonic() > deadline:
                if not value:
                    raise AssertionError(f"{self.name}: {what} within {seconds} s; log {self.log_path}")
                return value
            time.sleep(0.5)

    def wait_started(self):
        # KIP-1017's health check: 200 once the worker has joined its group and read its topics
        # (Kafka Connect answers GET / long before it can take a connector).
        def answers():
            try:
                return self.call("GET", "/health").status == 200
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} exited ({self.process.returncode}); "
                                         f"log {self.log_path}")
                return False
        try:
            self.wait_until("GET /health answered 200", answers, 120)
        except BaseException:
            self.stop()
            raise

    def state(self, connector):
        """(connector state, [task states]) or None."""
        answer = self.call("GET", f"/connectors/{urllib.parse.quote(connector)}/status")
        if answer.status != 200:
            return None
        return (answer.json["connector"]["state"], [t["state"] for t in answer.json["tasks"]])

    def wait_state(self, connector, state, tasks):
        """Until the connector is `state` with `tasks` tasks, each `state` too."""
        self.wait_until(f"{connector} {state} with {tasks} tasks",
                        lambda: self.state(connector) == (state, [state] * tasks))

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def _start(self, argv, env=None):
        # A port held by someone else would have that one answer in this worker's place.
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise AssertionError(f"{self.name}: port {self.port} is in use by another process")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            env=env)

    def _write(self, file_name, text):
        path = os.path.join(WORK_DIR, file_name)
        with open(path, "w") as f:
            f.write(text)
        return path


def _common_properties(prefix, rest_port):
    """A distributed worker's settings; `prefix` names its group and topics, its own."""
    return "\n".join([
        f"bootstrap.servers={BOOTSTRAP}",
        f"group.id={prefix}",
        f"config.storage.topic={prefix}-configs",
        f"offset.storage.topic={prefix}-offsets",
        f"status.storage.topic={prefix}-status",
        "config.storage.replication.factor=1",
        "offset.storage.replication.factor=1",
        "status.storage.replication.factor=1",
        "offset.flush.interval.ms=500",
        "key.converter=org.apache.kafka.connect.json.JsonConverter",
        "value.converter=org.apache.kafka.connect.json.JsonConverter",
        f"listeners=http://127.0.0.1:{rest_port}",
        "",
    ])


class SluiceWorker(Worker):
    def __init__(self, prefix, rest_port, admin_port, extra_properties=""):
        super().__init__("sluice", rest_port)
        properties = _common_properties(f"{prefix}-sluice", rest_port) + "\n".join([
            f"plugin.path={os.environ['SLUICE_PLUGIN_PATH']}",
            f"sluice.admin.listener=127.0.0.1:{admin_port}",
            "topic.creation.default.partitions=1",
            "topic.creation.default.replication.factor=1",
            extra_properties,
            "",
        ])
        path = self._write(f"{prefix}-sluice.properties", properties)
        self._start([os.environ["SLUICE_BINARY"], "worker", "--config", path])
        self.wait_started()


class KafkaConnectWorker(Worker):
    def __init__(self, prefix, rest_port):
        super().__init__("kafka-connect", rest_port)
        path = self._write(f"{prefix}-connect.properties",
                           _common_properties(f"{prefix}-connect", rest_port))
        log4j = self._write("connect-log4j2.properties", "\n".join([
            "status = error",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.out.ref = out",
            "appender.out.type = Console",
            "appender.out.name = out",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = %d %p %c %m%n",
            "",
        ]))
        libs = os.path.join(os.environ["SLUICE_KAFKA_CONNECT_HOME"], "libs", "*")
        self._start(["java", "-Xmx384m", "-XX:+UseSerialGC", f"-Dlog4j2.configurationFile={log4j}",
                     "-cp", libs, "org.apache.kafka.connect.cli.ConnectDistributed", path])
        self.wait_started()
