// Kafka Connect's own offset classes (OffsetStorageWriter, OffsetStorageReaderImpl, JsonConverter
// with schemas disabled, as the worker configures them for its offsets topic) run against the
// offsets topic Sluice writes and reads. Driven by kafka_side_test.cc; run with Java 11+:
//
//   java -cp "<kafka>/libs/*" ConnectOffsetsInterop.java write <bootstrap> <topic> <connector> <server> <pos>
//     Kafka Connect's writer encodes {"server":<server>} -> {"file":"mysql-bin.000003","pos":<pos>};
//     the bytes go to <topic> through a Java producer with its default partitioner, as Kafka
//     Connect's offsets store sends them. Prints "KEY <bytes>" and "VALUE <bytes>".
//
//   java -cp ... ConnectOffsetsInterop.java read <bootstrap> <topic> <connector> <server>
//     Reads <topic> to its end (last value per key wins, null deletes), then asks Kafka Connect's
//     reader for the offset of {"server":<server>}. Prints "OFFSET <map>" with each value's Java
//     type, and "MISPLACED <key>" for any record not in the partition Java's partitioner picks.
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;
import org.apache.kafka.connect.util.Callback;

public class ConnectOffsetsInterop {
  // An in-memory backing store: holds what we read from the topic, and remembers what Kafka
  // Connect's writer asked it to store.
  static class CapturingStore extends MemoryOffsetBackingStore {
    final Map<ByteBuffer, ByteBuffer> written = new LinkedHashMap<>();

    CapturingStore(Map<ByteBuffer, ByteBuffer> initial) {
      data.putAll(initial);
    }

    @Override
    public java.util.concurrent.Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
      written.putAll(values);
      return super.set(values, callback);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
      return Set.of();
    }
  }

  static JsonConverter converter(boolean isKey) {
    JsonConverter c = new JsonConverter();
    c.configure(Map.of("schemas.enable", "false"), isKey);
    return c;
  }

  static String text(ByteBuffer b) {
    return b == null ? "null" : StandardCharsets.UTF_8.decode(b.duplicate()).toString();
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String bootstrap = args[1];
    String topic = args[2];
    String connector = args[3];
    Map<String, Object> partition = Map.of("server", args[4]);
    if (mode.equals("write")) {
      CapturingStore store = new CapturingStore(Map.of());
      store.start();
      OffsetStorageWriter writer = new OffsetStorageWriter(store, connector, converter(true), converter(false));
      Map<String, Object> offset = new LinkedHashMap<>();
      offset.put("file", "mysql-bin.000003");
      offset.put("pos", Long.parseLong(args[5]));
      writer.offset(partition, offset);
      writer.beginFlush(10, TimeUnit.SECONDS);
      writer.doFlush((error, result) -> {}).get(10, TimeUnit.SECONDS);
      store.stop();
      Properties props = new Properties();
      props.put("bootstrap.servers", bootstrap);
      try (KafkaProducer<byte[], byte[]> producer =
               new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (Map.Entry<ByteBuffer, ByteBuffer> e : store.written.entrySet()) {
          producer.send(new ProducerRecord<>(topic, Utils.toArray(e.getKey()), Utils.toArray(e.getValue()))).get();
          System.out.println("KEY " + text(e.getKey()));
          System.out.println("VALUE " + text(e.getValue()));
        }
      }
      return;
    }

    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    Map<ByteBuffer, ByteBuffer> data = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 30000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("did not reach the end of " + topic);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          int expected = Utils.toPositive(Utils.murmur2(r.key())) % partitions.size();
          if (expected != r.partition()) System.out.println("MISPLACED " + new String(r.key(), StandardCharsets.UTF_8));
          if (r.value() == null) {
            data.remove(ByteBuffer.wrap(r.key()));
          } else {
            data.put(ByteBuffer.wrap(r.key()), ByteBuffer.wrap(r.value()));
          }
        }
      }
    }
    CapturingStore store = new CapturingStore(data);
    store.start();
    OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(store, connector, converter(true), converter(false));
    Map<String, Object> offset = reader.offset(partition);
    if (offset == null) {
      System.out.println("OFFSET null");
    } else {
      Map<String, String> typed = new TreeMap<>();
      offset.forEach((k, v) -> typed.put(k, v + ":" + v.getClass().getSimpleName()));
      System.out.println("OFFSET " + typed);
    }
    reader.close();
    store.stop();
  }
}
