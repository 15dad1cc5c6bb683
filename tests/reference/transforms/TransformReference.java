// Runs a chain of Kafka Connect transforms, as Kafka Connect itself would, over records given as
// Kafka Connect JSON (schemas enabled) and prints what comes out, for
// tests/unit/transform/reference_test.cc to compare with Sluice's chain byte for byte.
//
// Usage: java -cp <Kafka Connect 4.x and Debezium 3.6 jars>:. TransformReference CHAIN INPUT
//   CHAIN: a .properties file with transforms=..., transforms.<a>.*, predicates=..., predicates.<p>.*
//   INPUT: one record per line: topic TAB key-json TAB value-json ("null" for Kafka's null) TAB
//   timestamp (ms, or "null")
// Output, one line per input record: "DROPPED", "ERROR" (a transform threw), or topic TAB key TAB value TAB headers, the key
// and value written by JsonConverter (schemas enabled), headers as name=value pairs joined by
// "," with values written by JsonConverter (schemas disabled), as Sluice's worker writes them.
import java.io.BufferedReader;
import java.io.FileReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

public class TransformReference {
    private static Map<String, String> under(Properties props, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), props.getProperty(name));
            }
        }
        return out;
    }

    private static List<String> aliases(Properties props, String key) {
        List<String> out = new ArrayList<>();
        for (String a : props.getProperty(key, "").split(",")) {
            if (!a.trim().isEmpty()) {
                out.add(a.trim());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Properties chain = new Properties();
        try (FileReader r = new FileReader(args[0], StandardCharsets.UTF_8)) {
            chain.load(r);
        }
        Map<String, Predicate<SourceRecord>> predicates = new HashMap<>();
        for (String alias : aliases(chain, "predicates")) {
            Map<String, String> config = under(chain, "predicates." + alias + ".");
            Predicate<SourceRecord> p = (Predicate<SourceRecord>) Class.forName(config.remove("type"))
                    .getDeclaredConstructor().newInstance();
            p.configure(config);
            predicates.put(alias, p);
        }
        List<Transformation<SourceRecord>> stages = new ArrayList<>();
        List<Predicate<SourceRecord>> gates = new ArrayList<>();
        List<Boolean> negates = new ArrayList<>();
        for (String alias : aliases(chain, "transforms")) {
            Map<String, String> config = under(chain, "transforms." + alias + ".");
            Transformation<SourceRecord> t = (Transformation<SourceRecord>) Class.forName(config.remove("type"))
                    .getDeclaredConstructor().newInstance();
            String predicate = config.remove("predicate");
            String negate = config.remove("negate");
            t.configure(config);
            stages.add(t);
            gates.add(predicate == null ? null : predicates.get(predicate));
            negates.add(negate != null && Boolean.parseBoolean(negate));
        }
        JsonConverter withSchemas = new JsonConverter();
        withSchemas.configure(Map.of("schemas.enable", "true", "converter.type", "value"));
        JsonConverter schemaless = new JsonConverter();
        schemaless.configure(Map.of("schemas.enable", "false", "converter.type", "header"));

        try (BufferedReader in = new BufferedReader(new FileReader(args[1], StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] parts = line.split("\t", -1);
                SchemaAndValue key = parts[1].equals("null") ? SchemaAndValue.NULL
                        : withSchemas.toConnectData(parts[0], parts[1].getBytes(StandardCharsets.UTF_8));
                SchemaAndValue value = parts[2].equals("null") ? SchemaAndValue.NULL
                        : withSchemas.toConnectData(parts[0], parts[2].getBytes(StandardCharsets.UTF_8));
                Long timestamp = parts[3].equals("null") ? null : Long.valueOf(parts[3]);
                SourceRecord record = new SourceRecord(Map.of(), Map.of(), parts[0], null,
                        key.schema(), key.value(), value.schema(), value.value(), timestamp);
                try {
                    for (int i = 0; i < stages.size() && record != null; ++i) {
                        Predicate<SourceRecord> gate = gates.get(i);
                        if (gate == null || negates.get(i) ^ gate.test(record)) {
                            record = stages.get(i).apply(record);
                        }
                    }
                }
                catch (RuntimeException e) {
                    System.out.println("ERROR");  // a record the chain cannot handle fails the task
                    continue;
                }
                if (record == null) {
                    System.out.println("DROPPED");
                    continue;
                }
                byte[] k = withSchemas.fromConnectData(record.topic(), record.keySchema(), record.key());
                byte[] v = withSchemas.fromConnectData(record.topic(), record.valueSchema(), record.value());
                StringBuilder headers = new StringBuilder();
                for (Header h : record.headers()) {
                    byte[] hv = schemaless.fromConnectData(record.topic(), h.schema(), h.value());
                    if (headers.length() > 0) {
                        headers.append(',');
                    }
                    headers.append(h.key()).append('=')
                            .append(hv == null ? "null" : new String(hv, StandardCharsets.UTF_8));
                }
                System.out.println(record.topic() + "\t"
                        + (k == null ? "null" : new String(k, StandardCharsets.UTF_8)) + "\t"
                        + (v == null ? "null" : new String(v, StandardCharsets.UTF_8)) + "\t" + headers);
            }
        }
    }
}
