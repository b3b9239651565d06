import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Kafka topics in one Admin call, so that tools/services/kafka.ts pays for one JVM start
 * rather than one per topic (kafka-topics.sh creates a single topic per run). Run from source by
 * the JDK's launcher: java -cp 'libs/*' CreateTopics.java client.properties name:partitions...
 * A topic that exists already is left as it is and reported on stdout.
 */
public final class CreateTopics {
  public static void main(String[] args) throws Exception {
    Properties client = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      client.load(in);
    }
    List<NewTopic> topics = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      int colon = args[i].lastIndexOf(':');
      String name = args[i].substring(0, colon);
      int partitions = Integer.parseInt(args[i].substring(colon + 1));
      topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
    }
    try (Admin admin = Admin.create(client)) {
      for (Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(topics).values().entrySet()) {
        try {
          result.getValue().get();
          System.out.println("created " + result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
          System.out.println("exists " + result.getKey());
        }
      }
    }
  }
}
