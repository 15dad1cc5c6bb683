"""The benchmark's Kafka side: topics created beforehand, progress by end offsets, and reading a
topic back to check it."""

import time

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


# Answers a partition gives while its leader is still being elected (just after the topic was
# created or re-created): asked again, they go away.
TRANSIENT_ERRORS = {KafkaError.NOT_LEADER_FOR_PARTITION, KafkaError.LEADER_NOT_AVAILABLE,
                    KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._UNKNOWN_PARTITION,
                    KafkaError._TIMED_OUT}


def watermarks(consumer, topic, partition, patience=30):
    """(low, high) offsets of one partition, asking again while its leader settles."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        except KafkaException as error:
            if error.args[0].code() not in TRANSIENT_ERRORS or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class KafkaSide:
    def __init__(self, bootstrap, partitions):
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.admin = AdminClient({"bootstrap.servers": bootstrap})

    def fresh_topics(self, names, partitions=None, config=None):
        """Deletes and re-creates `names`, each with the benchmark's partition count (and the topic
        `config` given)."""
        existing = set(self.admin.list_topics(timeout=10).topics)
        doomed = [name for name in names if name in existing]
        if doomed:
            for future in self.admin.delete_topics(doomed, operation_timeout=30).values():
                future.result()
            deadline = time.time() + 30
            while time.time() < deadline and set(doomed) & set(self.admin.list_topics(timeout=10).topics):
                time.sleep(0.2)
        topics = [NewTopic(name, num_partitions=partitions or self.partitions, replication_factor=1,
                           config=config or {})
                  for name in names]
        for future in self.admin.create_topics(topics, operation_timeout=30).values():
            future.result()

    def _consumer(self):
        # fetch.wait.max.ms: with librdkafka's 500 ms, a record produced while a fetch waits at
        # the broker was at times readable only when that wait ran out (270 ms after its ack in 3
        # of 6 tries), which the restart and latency figures then counted. No Nagle delay on its
        # requests either, as a Java consumer.
        return Consumer({"bootstrap.servers": self.bootstrap, "group.id": "sluice-bench",
                         "enable.auto.commit": False, "enable.partition.eof": True,
                         "fetch.wait.max.ms": 10, "socket.nagle.disable": True})

    def end_total(self, topic, consumer=None):
        own = consumer is None
        consumer = consumer or self._consumer()
        try:
            metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
            if metadata is None or metadata.error is not None:
                return 0
            total = 0
            for partition in metadata.partitions:
                _, high = watermarks(consumer, topic, partition)
                total += high
            return total
        finally:
            if own:
                consumer.close()

    def wait_for_total(self, topic, expected, timeout, still_running=lambda: True, stall=120, on_reached=None):
        """Polls the topic's end offsets until they add up to `expected` records. Returns the
        monotonic time it happened, or None on timeout, when `still_running` turns false, or when
        nothing new arrived for `stall` seconds. `on_reached`, if given, is called with the total
        (which may exceed `expected` by what arrived since the last poll) the moment it is seen."""
        consumer = self._consumer()
        try:
            deadline = time.monotonic() + timeout
            last_total, last_change = -1, time.monotonic()
            while time.monotonic() < deadline:
                total = self.end_total(topic, consumer)
                if total >= expected:
                    if on_reached is not None:
                        on_reached(total)
                    return time.monotonic()
                if total != last_total:
                    last_total, last_change = total, time.monotonic()
                elif time.monotonic() - last_change > stall:
                    return None
                if not still_running():
                    return None
                time.sleep(0.05)
            return None
        finally:
            consumer.close()

    def read_all(self, topic):
        """Every record of `topic` as (partition, offset, key, value, headers), partition by
        partition in offset order."""
        consumer = self._consumer()
        records = []
        try:
            metadata = consumer.list_topics(topic, timeout=10).topics[topic]
            assignment = []
            remaining = set()
            for partition in metadata.partitions:
                low, high = watermarks(consumer, topic, partition)
                if high > low:
                    assignment.append(TopicPartition(topic, partition, low))
                    remaining.add(partition)
            consumer.assign(assignment)
            while remaining:
                for message in consumer.consume(num_messages=10000, timeout=1.0):
                    if message.error():
                        if message.error().code() == -191:  # _PARTITION_EOF
                            remaining.discard(message.partition())
                        continue
                    records.append((message.partition(), message.offset(), message.key(),
                                    message.value(), message.headers()))
        finally:
            consumer.close()
        records.sort(key=lambda r: (r[0], r[1]))
        return records

    def _assign_at_end(self, consumer, topic, back=0):
        """Assigns every partition of `topic` at its current end offset (or `back` records
        before it) and starts fetching, so what the caller measures next does not include this
        consumer's own start-up."""
        metadata = consumer.list_topics(topic, timeout=10).topics[topic]
        assignment = []
        for partition in metadata.partitions:
            low, high = watermarks(consumer, topic, partition)
            assignment.append(TopicPartition(topic, partition, max(low, high - back)))
        consumer.assign(assignment)
        consumer.poll(0.1)  # the first fetch goes out now

    def follow(self, topic, on_record, stop, ready=None):
        """Calls on_record(record, arrival wall time) for each record written to `topic` after
        the call, until stop(). Sets `ready` (a threading.Event) once the consumer is fetching."""
        consumer = self._consumer()
        try:
            self._assign_at_end(consumer, topic)
            if ready is not None:
                ready.set()
            while not stop():
                # One message per call: a batch call returns only when its batch is full or its
                # timeout passes, which would add up to that timeout to every latency.
                message = consumer.poll(0.05)
                if message is None or message.error():
                    continue
                on_record(message, time.time())
        finally:
            consumer.close()

    def watch_for_new_record(self, topic, back=0):
        """A consumer already fetching at `topic`'s end, or `back` records before it in each
        partition. Call wait(timeout, still_running) on it: the monotonic time the next record
        became readable, or None. Polling end offsets instead adds up to a polling interval and
        several requests to what is measured."""
        return _NewRecordWatch(self._consumer(), self, topic, back)


class _NewRecordWatch:
    def __init__(self, consumer, kafka, topic, back):
        self.consumer = consumer
        kafka._assign_at_end(consumer, topic, back)

    def wait(self, timeout, still_running=lambda: True, accept=lambda message: True):
        """`accept(message)` picks the record waited for; by default the first one."""
        try:
            deadline = time.monotonic() + timeout
            next_check = 0
            while time.monotonic() < deadline:
                message = self.consumer.poll(0.01)
                if message is not None and not message.error() and accept(message):
                    return time.monotonic()
                if time.monotonic() >= next_check:  # still_running reads the system's log
                    if not still_running():
                        return None
                    next_check = time.monotonic() + 0.2
            return None
        finally:
            self.consumer.close()
