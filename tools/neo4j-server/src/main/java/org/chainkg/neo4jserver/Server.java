package org.chainkg.neo4jserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j Community server on a data folder, reachable over Bolt on 127.0.0.1 only.
 *
 * <p>Usage: {@code Server --home DIR [--port N] [--conf key=value]...}. Port 0 (the default)
 * takes a free port. Authentication is off unless the environment variable
 * {@code NEO4J_SERVER_PASSWORD} is set (at least 8 characters): then user {@code neo4j} gets
 * that password (read from the environment so that it never shows in a process list). When the
 * server is ready it prints one line {@code bolt://127.0.0.1:PORT} on standard output; SIGTERM
 * (or SIGINT) shuts it down cleanly, so the store files are consistent afterwards.
 */
public final class Server {
    private Server() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        Path home = null;
        int port = 0;
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home" -> { home = Path.of(require(value, "--home")); i++; }
                case "--port" -> { port = Integer.parseInt(require(value, "--port")); i++; }
                case "--conf" -> { putSetting(conf, require(value, "--conf")); i++; }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            usage("--home is required");
        }
        String password = System.getenv("NEO4J_SERVER_PASSWORD");
        boolean auth = password != null && !password.isEmpty();
        if (auth && password.length() < 8) {
            usage("NEO4J_SERVER_PASSWORD must have at least 8 characters (Neo4j's minimum)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.bolt.enabled", "true");
        settings.put("server.bolt.listen_address", "127.0.0.1:" + port);
        settings.put("server.bolt.advertised_address", "127.0.0.1:" + port);
        settings.put("server.http.enabled", "false");
        settings.put("server.https.enabled", "false");
        settings.put("dbms.security.auth_enabled", Boolean.toString(auth));
        settings.put("dbms.usage_report.enabled", "false");
        settings.putAll(conf);

        Path confFile = home.toAbsolutePath().resolve("chainkg-server.conf");
        Files.createDirectories(confFile.getParent());
        StringBuilder text = new StringBuilder("# written by chainkg's tools/neo4j-server on every start\n");
        settings.forEach((key, val) -> text.append(key).append('=').append(val).append('\n'));
        Files.writeString(confFile, text.toString());
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .loadPropertiesFromFile(confFile)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-server-shutdown"));
        if (auth) {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        }
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database("neo4j");
        var bolt = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        System.out.println("bolt://127.0.0.1:" + bolt.getPort());
        System.out.flush();
        stopped.await();
    }

    private static String require(String value, String flag) {
        if (value == null) {
            usage(flag + " needs a value");
        }
        return value;
    }

    private static void putSetting(Map<String, String> conf, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            usage("--conf takes key=value, got " + keyValue);
        }
        conf.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    private static void usage(String problem) {
        System.err.println("neo4j-server: " + problem);
        System.err.println("usage: Server --home DIR [--port N (0: a free port)] [--conf key=value]...");
        System.exit(2);
    }
}
