"""The limits each system is measured against, in the same run: how fast the server hands over its
binlog to a replica that does nothing with it, and how fast the broker takes records of the same
size from Kafka's own producer performance tool with the same producer settings."""

import json
import os
import re
import subprocess

from systems import PRODUCER_SETTINGS


def binlog_fetch(database):
    binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "binlog_fetch_ceiling")
    result = subprocess.run([binary, "--port", str(database.port)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"binlog_fetch_ceiling: {result.stderr.strip()}")
    return json.loads(result.stdout)


def producer(kafka, topic, records, record_size):
    """Kafka's ProducerPerformance: `records` records of `record_size` bytes, as fast as it can."""
    kafka.fresh_topics([topic])
    properties = [f"bootstrap.servers={kafka.bootstrap}"] + [
        f"{key[len('producer.'):]}={value}" for key, value in PRODUCER_SETTINGS.items()]
    result = subprocess.run(
        ["java", "-Xmx512m", "-Dlog4j2.level=ERROR",
         "-cp", os.path.join(os.environ["SLUICE_KAFKA_HOME"], "libs", "*"),
         "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
         "--num-records", str(records), "--record-size", str(max(1, int(record_size))),
         "--throughput", "-1", "--producer-props", *properties],
        capture_output=True, text=True, timeout=900)
    summary = [line for line in result.stdout.splitlines() if "records sent" in line]
    match = re.search(r"([\d.]+) records/sec \(([\d.]+) MB/sec\)", summary[-1] if summary else "")
    if result.returncode != 0 or not match:
        raise RuntimeError(f"ProducerPerformance failed: {result.stderr.strip()[-500:]}")
    return {"records_per_second": float(match.group(1)), "mb_per_second": float(match.group(2)),
            "record_size": int(record_size), "records": records}
