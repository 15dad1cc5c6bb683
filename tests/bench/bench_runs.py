"""What the comparison scripts in tests/bench share: running a benchmark program that prints one
JSON object, and summarising repeated runs as a median with its range."""

import json
import statistics
import subprocess


def run_json(command, what, timeout=900):
    """Runs `command`; returns the JSON object it printed. Raises naming `what` if it failed."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{what}: {result.stderr.strip()}")
    return json.loads(result.stdout)


def summary(values, fmt):
    """'median (min–max)', each formatted by `fmt`."""
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"
