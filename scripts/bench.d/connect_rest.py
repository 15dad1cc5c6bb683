"""Kafka Connect's REST API, as far as the benchmark drives a distributed worker: wait for it,
create a connector, and create one stopped, hand it a starting offset and resume it (KIP-980's
`initial_state`, KIP-875's offsets endpoint)."""

import json
import time
import urllib.error
import urllib.request

# A worker answers 409 while its group rebalances, and 404/500 while it is still reading its
# internal topics: asked again, these go away.
RETRIED_STATUSES = {404, 409, 500, 503}


class ConnectRest:
    def __init__(self, base_url, running=None, patience=180):
        """`running` (a systems.RunningSystem) stops the waiting when its process dies."""
        self.base_url = base_url
        self.running = running
        self.patience = patience

    def request(self, method, path, body=None):
        """(status, parsed JSON answer or None); connection errors raise."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read()
                return answer.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, json.loads(text)
            except ValueError:
                return error.code, {"message": text.decode(errors="replace")}

    def _until(self, what, attempt):
        """Calls attempt() until it returns something other than None; raises after `patience`."""
        deadline = time.monotonic() + self.patience
        last = None
        while time.monotonic() < deadline:
            if self.running is not None and self.running.process.poll() is not None:
                raise RuntimeError(f"Kafka Connect exited while waiting to {what}:\n{self.running.log_tail()}")
            try:
                result, last = attempt()
            except OSError as error:  # not listening yet
                result, last = None, str(error)
            if result is not None:
                return result
            time.sleep(0.2)
        raise RuntimeError(f"Kafka Connect did not {what} in {self.patience} s: {last}")

    def _call(self, what, method, path, body=None):
        def attempt():
            status, answer = self.request(method, path, body)
            if status < 300:
                return (answer if answer is not None else {}), None
            if status in RETRIED_STATUSES:
                return None, f"{status} {answer}"
            raise RuntimeError(f"Kafka Connect refused to {what}: {status} {answer}")
        return self._until(what, attempt)

    def wait_until_serving(self):
        """Until the worker has joined its group and read its config topic (GET /connectors answers)."""
        self._call("serve its REST API", "GET", "/connectors")

    def create(self, name, config, initial_state="RUNNING"):
        return self._call(f"create connector {name}", "POST", "/connectors",
                          {"name": name, "config": config, "initial_state": initial_state})

    def wait_for_state(self, name, state):
        def attempt():
            status, answer = self.request("GET", f"/connectors/{name}/status")
            if status == 200 and answer["connector"]["state"] == state:
                return answer, None
            return None, f"{status} {answer}"
        return self._until(f"bring {name} to {state}", attempt)

    def create_at_binlog_start(self, name, config, database, topic_prefix):
        """Debezium's MySQL connector reading from the binlog's start, as its users would start
        it there: created STOPPED, its offset set with KIP-875, then resumed. The offset is
        Debezium's MySQL shape: partition {"server": topic.prefix}, offset {"file", "pos",
        "gtids"} (the GTID set already processed, from which a GTID-mode server streams). At the
        very start that set is empty, and the binlog client under Debezium 3.6.1 (0.41.0) fails
        on an empty set with a NullPointerException, so the offset is the end of the binlog's
        first transaction (the workload's CREATE DATABASE, Database.fresh_table), from which the
        workload's own transactions follow. Its schema history is empty, so it runs with
        snapshot.mode=recovery: it reads the tables' schema, then streams from the stored offset
        (3.6 has no `never`; `no_data` refuses a missing history)."""
        offset = database.after_first_transaction()
        self.create(name, {**config, "snapshot.mode": "recovery"}, initial_state="STOPPED")
        self.wait_for_state(name, "STOPPED")
        offsets = {"offsets": [{"partition": {"server": topic_prefix}, "offset": offset}]}
        self._call(f"set {name}'s offsets", "PATCH", f"/connectors/{name}/offsets", offsets)
        self._call(f"resume {name}", "PUT", f"/connectors/{name}/resume")
