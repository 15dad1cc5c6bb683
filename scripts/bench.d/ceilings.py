"""The limits each system is measured against, in the same run: how fast the server hands over its
binlog to a replica that does nothing with it, and how fast librdkafka alone puts the same records
into the broker with the same producer settings."""

import json
import os
import subprocess

from machine_usage import observe_arguments
from systems import PRODUCER_SETTINGS


def binlog_fetch(database, observe):
    """tests/bench/binlog_fetch_ceiling; `observe` (name -> pid: the database, the broker) are the
    processes whose CPU time it reads over its timed read, beside the machine's."""
    binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "binlog_fetch_ceiling")
    result = subprocess.run([binary, "--port", str(database.port)] + observe_arguments(observe),
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"binlog_fetch_ceiling: {result.stderr.strip()}")
    return json.loads(result.stdout)


# What Sluice's producer sets beside the benchmark's PRODUCER_SETTINGS (runtime/kafka/producer.cc
# and client_config.cc): Java's partitioner, no Nagle delay, batches compressed from the records'
# own memory, and librdkafka's message-count limit out of the way.
SLUICE_PRODUCER_FIXED = {
    "partitioner": "murmur2_random",
    "socket.nagle.disable": "true",
    "message.copy.max.bytes": "0",
    "queue.buffering.max.messages": "1000000",
}


def producer(kafka, source_topic, ceiling_topic, observe):
    """tests/bench/producer_ceiling: the records a system just wrote to `source_topic` (the same
    keys and value bytes), read into memory, then put into a fresh `ceiling_topic` (the same
    partitions) by librdkafka alone with the systems' producer settings, as fast as it can;
    `observe` (name -> pid) as binlog_fetch's."""
    kafka.fresh_topics([ceiling_topic])
    binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "producer_ceiling")
    settings = {**{key[len("producer."):]: value for key, value in PRODUCER_SETTINGS.items()},
                **SLUICE_PRODUCER_FIXED}
    command = [binary, "--bootstrap", kafka.bootstrap, "--from", source_topic, "--to", ceiling_topic,
               *observe_arguments(observe)]
    for key, value in settings.items():
        command += ["-X", f"{key}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"producer_ceiling: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)
