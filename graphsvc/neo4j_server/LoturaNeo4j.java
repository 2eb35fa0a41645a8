// Lotura's Neo4j launcher: an embedded Neo4j Community DBMS with Bolt on loopback.
// Started by graphsvc/server.py; configured only through its arguments so that the
// Python side is the single place that decides ports, folders and memory.
//
//   java -cp <classes>:<lib>/* LoturaNeo4j HOME BOLT_PORT PLUGIN_DIR PAGECACHE_MB
//
// It prints "LOTURA-NEO4J-READY" once the default database is available and shuts the
// DBMS down cleanly on SIGTERM (JVM shutdown hook).
import java.nio.file.Path;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public final class LoturaNeo4j {
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: LoturaNeo4j HOME BOLT_PORT PLUGIN_DIR PAGECACHE_MB");
      System.exit(2);
    }
    Path home = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Path plugins = Path.of(args[2]);
    long pageCacheMb = Long.parseLong(args[3]);

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
        .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*", "gds.*"))
        .build();

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("LOTURA-NEO4J-STOPPING");
      dbms.shutdown();
      System.out.println("LOTURA-NEO4J-STOPPED");
    }, "lotura-shutdown"));

    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    System.out.println("LOTURA-NEO4J-READY bolt://127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
