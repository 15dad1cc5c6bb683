"""A Kafka Connect client nobody here wrote, from PyPI (kafka-connect-py's `kc` command, which
scripts/setup installs into SLUICE_REST_CLIENTS_VENV), drives a Sluice worker end to end through
the REST API the way a script written for Kafka Connect would: cluster info, plugins, validation,
create, status, tasks, pause, resume, restarts, config update, topics, stop, delete. Each `kc`
command is run as a user runs it and its printed JSON checked.
"""

import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rest_workers import SluiceWorker  # noqa: E402

KC = os.path.join(os.environ["SLUICE_REST_CLIENTS_VENV"], "bin", "kc")


class Failed(Exception):
    pass


def check(condition, what, output=None):
    if not condition:
        raise Failed(f"{what}{'' if output is None else f': {output}'}")
    print(f"ok   {what}")


def main():
    if not os.path.exists(KC):
        print(f"FAIL {KC} is missing: run scripts/setup (it installs the REST clients)")
        return 1
    base = int(os.environ["SLUICE_TEST_REST_PORT"])
    os.makedirs(os.environ["SLUICE_TEST_WORK_DIR"], exist_ok=True)
    prefix = f"restpypi-{int(time.time())}"
    worker = SluiceWorker(prefix, base + 3, base + 4)
    url = f"http://127.0.0.1:{worker.port}"

    def kc(*args, ok=True):
        """Runs `kc --url URL args...`; its printed JSON (None when it printed nothing)."""
        done = subprocess.run([KC, "--url", url, *args], capture_output=True, text=True,
                              timeout=120)
        if ok and done.returncode != 0:
            raise Failed(f"kc {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        if not ok:
            return done
        return json.loads(done.stdout) if done.stdout.strip() else None

    def library(method, *args):
        """Calls kafka_connect.KafkaConnect(url).method(*args) in the clients' Python."""
        program = ("import json, sys\nfrom kafka_connect import KafkaConnect\n"
                   "method, args = sys.argv[1], json.loads(sys.argv[2])\n"
                   f"print(json.dumps(getattr(KafkaConnect({url!r}), method)(*args)))\n")
        python = os.path.join(os.environ["SLUICE_REST_CLIENTS_VENV"], "bin", "python")
        done = subprocess.run([python, "-c", program, method, json.dumps(args)],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise Failed(f"KafkaConnect.{method} failed: {done.stderr[-2000:]}")
        return json.loads(done.stdout)

    def wait_status(name, state, tasks=1):
        deadline = time.monotonic() + 90
        while True:
            status = kc("status", name)
            states = (status["connector"]["state"], [t["state"] for t in status["tasks"]])
            if states == (state, [state] * tasks):
                return status
            if time.monotonic() > deadline:
                raise Failed(f"{name} is not {state} with {tasks} task(s): {status}")
            time.sleep(0.5)

    name = f"{prefix}-gen"
    topic = f"{prefix}.gen"
    config = {"connector.class": "generator", "tasks.max": "1", "topic": topic,
              "rate.per.sec": "20"}
    try:
        info = kc("info")
        check(isinstance(info["version"], str) and isinstance(info["kafka_cluster_id"], str),
              "kc info: version and the Kafka cluster's id", info)
        plugins = kc("list-plugins")
        check(any(p["class"] == "generator" and p["type"] == "source" for p in plugins),
              "kc list-plugins: the generator, a source", plugins)
        # `kc validate-config` sends its config JSON-encoded twice (a JSON string, which Kafka
        # Connect refuses too), so validation goes through the package's library, as a program
        # using it would.
        verdict = library("validate_connector_config", "generator", config)
        check(verdict["error_count"] == 0 and verdict["name"] == "generator",
              "KafkaConnect.validate_connector_config: no errors", verdict)
        bad = library("validate_connector_config", "generator",
                      {"connector.class": "generator", "rate.per.sec": "fast"})
        check(bad["error_count"] >= 1,
              "KafkaConnect.validate_connector_config: a bad config's errors counted", bad)

        created = kc("create", "-d", json.dumps({"name": name, "config": config}))
        check(created["name"] == name and created["type"] == "source", "kc create", created)
        status = wait_status(name, "RUNNING")
        check(status["tasks"][0]["id"] == 0, "kc status: RUNNING with task 0", status)
        listed = kc("list", "-e", "status")
        check(listed[name]["status"]["connector"]["state"] == "RUNNING",
              "kc list -e status", listed)
        check(name in kc("list", "-s", "running"), "kc list -s running (filtered on the status)")
        check(kc("config", name)["topic"] == topic, "kc config")
        check(kc("get", name)["tasks"] == [{"connector": name, "task": 0}], "kc get")
        tasks = kc("list-tasks", name)
        check(tasks[0]["id"] == {"connector": name, "task": 0}, "kc list-tasks", tasks)
        check(kc("task-status", name, "0")["state"] == "RUNNING", "kc task-status")

        kc("pause", name)
        wait_status(name, "PAUSED")
        check(True, "kc pause: PAUSED")
        kc("resume", name)
        wait_status(name, "RUNNING")
        check(True, "kc resume: RUNNING")
        restarted = kc("restart", name)
        check(restarted["name"] == name, "kc restart (the connector only; 204)", restarted)
        restarted = kc("restart", name, "--include-tasks")
        check(restarted["name"] == name, "kc restart --include-tasks (202)", restarted)
        kc("restart-task", name, "0")
        wait_status(name, "RUNNING")
        check(True, "kc restart-task: RUNNING again")

        updated = kc("update", name, "-d", json.dumps(dict(config, **{"rate.per.sec": "30"})))
        check(updated["config"]["rate.per.sec"] == "30", "kc update (PUT config)", updated)
        deadline = time.monotonic() + 60
        while topic not in kc("list-topics", name)[name]["topics"]:
            if time.monotonic() > deadline:
                raise Failed(f"kc list-topics never named {topic}")
            time.sleep(0.5)
        check(True, "kc list-topics: the generator's topic")

        library("stop_connector", name)  # the package's CLI has no `stop` yet
        deadline = time.monotonic() + 60
        while kc("status", name)["connector"]["state"] != "STOPPED":
            if time.monotonic() > deadline:
                raise Failed(f"{name} never STOPPED")
            time.sleep(0.5)
        check(True, "KafkaConnect.stop_connector: STOPPED")
        kc("reset-topics", name)
        check(kc("list-topics", name)[name]["topics"] == [], "kc reset-topics")

        missing = kc("get", "no-such-connector", ok=False)
        # kc prints a failed request's error (exit status 0).
        check("404" in missing.stdout + missing.stderr,
              "kc get of an unknown connector reports the 404", missing.stdout[-500:])
        kc("delete", name)
        check(name not in kc("list"), "kc delete: gone from kc list")
    except Failed as failure:
        print(f"FAIL {failure}; worker log {worker.log_path}")
        return 1
    finally:
        worker.stop()
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
