"""The limits each system is measured against, in the same run: how fast the server hands over its
binlog to a replica that does nothing with it, and how fast librdkafka alone puts the same records
into the broker with the same producer settings."""

import json
import os
import subprocess

from systems import PRODUCER_SETTINGS


def binlog_fetch(database):
    binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "binlog_fetch_ceiling")
    result = subprocess.run([binary, "--port", str(database.port)], capture_output=True, text=True, timeout=600)
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


def producer(kafka, source_topic, ceiling_topic):
    """tests/bench/producer_ceiling: the records a system just wrote to `source_topic` (the same
    keys and value bytes), read into memory, then put into a fresh `ceiling_topic` (the same
    partitions) by librdkafka alone with the systems' producer settings, as fast as it can."""
    kafka.fresh_topics([ceiling_topic])
    binary = os.path.join(os.environ.get("SLUICE_BUILD_DIR", "build"), "tests", "bench", "producer_ceiling")
    settings = {**{key[len("producer."):]: value for key, value in PRODUCER_SETTINGS.items()},
                **SLUICE_PRODUCER_FIXED}
    command = [binary, "--bootstrap", kafka.bootstrap, "--from", source_topic, "--to", ceiling_topic]
    for key, value in settings.items():
        command += ["-X", f"{key}={value}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise RuntimeError(f"producer_ceiling: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)
