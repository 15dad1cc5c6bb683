#!/usr/bin/env python3
"""The Kafka leg of scripts/bench's latency workload without any connector: librdkafka alone
(confluent-kafka) produces keyed ~600-byte records at a steady rate with the settings both
benchmarked systems get (acks=all, idempotence, lz4, linger.ms=5, no Nagle), and a reader in a
process of its own, with the harness's consumer settings (fetch.wait.max.ms=10, no Nagle, one
message per poll), notes when each becomes readable. Prints p50/p99/max of: producer call to
acknowledgement, producer call to readable (the leg scripts/bench reports as "from producer"),
acknowledgement to readable. The floor of that leg on this broker and machine: what is above it
in Sluice's figure is Sluice's.

  .cache/bench/venv/bin/python tests/bench/kafka_leg_latency.py --bootstrap 127.0.0.1:9092 \
      [--rate 1000] [--seconds 10] [--linger-ms 5] [--partitions 1]
"""
import argparse
import json
import multiprocessing
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def percentiles(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(len(values) * q))] * 1000
    return f"p50 {pick(0.5):6.2f}  p99 {pick(0.99):6.2f}  max {values[-1] * 1000:7.2f} ms"


def follow(bootstrap, topic, partitions, expected, ready, out):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "leg-latency",
                         "enable.auto.commit": False, "fetch.wait.max.ms": 10,
                         "socket.nagle.disable": True})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    consumer.poll(0.1)
    ready.set()
    arrivals = {}
    deadline = time.time() + 600
    while len(arrivals) < expected and time.time() < deadline:
        message = consumer.poll(0.05)
        if message is None or message.error():
            continue
        arrivals[int(message.key())] = time.time()
    consumer.close()
    out.put(arrivals)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--partitions", type=int, default=1)
    args = parser.parse_args()

    topic = f"leg-latency-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=args.partitions,
                                                replication_factor=1)]).values():
        future.result()
    count = int(args.rate * args.seconds)
    ready = multiprocessing.Event()
    out = multiprocessing.Queue()
    reader = multiprocessing.Process(target=follow,
                                     args=(args.bootstrap, topic, args.partitions, count, ready, out))
    reader.start()
    ready.wait(60)

    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all",
                         "enable.idempotence": True, "compression.type": "lz4",
                         "linger.ms": args.linger_ms, "socket.nagle.disable": True,
                         "partitioner": "murmur2_random"})
    called, acked = {}, {}

    def on_delivery(error, message):
        if error is None:
            acked[int(message.key())] = time.time()

    value = json.dumps({"after": {"id": 0, "padding": "x" * 560}}).encode()
    # Untimed: the idempotent producer's id, the connections, the broker's first appends.
    for _ in range(200):
        producer.produce(f"{topic}-warm-up", value=value)
    producer.flush(60)
    start = time.monotonic()
    for n in range(count):
        # Paced like the harness's inserts: the n-th record at start + n / rate.
        wait = start + n / args.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        called[n] = time.time()
        producer.produce(topic, key=str(n).encode(), value=value, on_delivery=on_delivery)
        producer.poll(0)
    producer.flush(30)
    arrivals = out.get(timeout=600)
    reader.join()
    admin.delete_topics([topic, f"{topic}-warm-up"])

    missing = count - len(arrivals)
    print(f"{count} records at {args.rate}/s, linger.ms={args.linger_ms}, {args.partitions} "
          f"partition(s){'' if missing == 0 else f', {missing} never read'}")
    print("call to ack:      ", percentiles([acked[n] - called[n] for n in acked]))
    print("call to readable: ", percentiles([arrivals[n] - called[n] for n in arrivals]))
    print("ack to readable:  ", percentiles([arrivals[n] - acked[n] for n in arrivals if n in acked]))


if __name__ == "__main__":
    main()
