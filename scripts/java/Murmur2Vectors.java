// Prints golden murmur2 / partition vectors computed by the real Kafka Java client.
// Run: java -cp ".services/kafka-4.1.1/libs/*" scripts/java/Murmur2Vectors.java > test/fixtures/partitioner/java-vectors.json
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.utils.Utils;

public class Murmur2Vectors {
    public static void main(String[] args) {
        List<String> keys = new ArrayList<>(List.of(
            "", "a", "ab", "abc", "abcd", "abcde", "21", "foobar",
            "a-little-bit-long-string", "a-little-bit-longer-string",
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
            "9f3b6c1e-2d4a-4e8b-9a6c-1f2e3d4c5b6a", "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "user-42", "conversation:7",
            "caf\u00e9", "\u6d88\u606f", "\ud83d\ude80 launch"));
        for (int i = 0; i < 24; i++) keys.add(java.util.UUID.nameUUIDFromBytes(("nova-" + i).getBytes(StandardCharsets.UTF_8)).toString());
        int[] partitions = {1, 3, 6, 12, 100};
        StringBuilder out = new StringBuilder("[\n");
        for (int k = 0; k < keys.size(); k++) {
            byte[] bytes = keys.get(k).getBytes(StandardCharsets.UTF_8);
            out.append("  {\"key\": \"").append(escape(keys.get(k))).append("\", \"murmur2\": ").append(Utils.murmur2(bytes)).append(", \"partitions\": {");
            for (int p = 0; p < partitions.length; p++) {
                if (p > 0) out.append(", ");
                out.append('"').append(partitions[p]).append("\": ").append(BuiltInPartitioner.partitionForKey(bytes, partitions[p]));
            }
            out.append("}}").append(k + 1 < keys.size() ? ",\n" : "\n");
        }
        System.out.print(out.append("]\n"));
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c)); else if (c == '"' || c == '\\') b.append('\\').append(c); else b.append(c);
        }
        return b.toString();
    }
}
