package io.stripesync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PgBouncer (Debian's {@code pgbouncer} package) in front of the test server, in transaction mode with a small
 * pool: how Supabase's pooler on port 6543 treats its clients. Each client transaction runs on whichever of the
 * pool's server connections is free, so session state (a {@code SET}, an advisory lock, a prepared statement) does
 * not follow the client. Tests that need it call {@link #start}, which reports them skipped where it is missing.
 */
final class PgBouncer implements AutoCloseable {

    static final String NOT_INSTALLED = "skipped: pgbouncer not installed (apt-get install -y pgbouncer)";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;
    private final Path directory;
    private final String baseConfig;

    private PgBouncer(Process process, int port, Path directory, String baseConfig) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.baseConfig = baseConfig;
    }

    /** Where Debian installs it, or on the PATH. */
    static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/pgbouncer")));
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "pgbouncer")).forEach(candidates::add);
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Skips the calling test unless PgBouncer is installed. */
    static void assumeInstalled() {
        assumeTrue(binary().isPresent(), NOT_INSTALLED);
    }

    /**
     * PgBouncer on a free local port, {@code pool_mode = transaction}, {@code default_pool_size = poolSize} server
     * connections per database and user, for the test server's user postgres (trusted, as the test server is), with
     * further {@code pgbouncer.ini} settings ({@code "server_lifetime = 1"}) when given.
     */
    static PgBouncer start(int poolSize, String... settings) {
        assumeInstalled();
        try {
            Path directory = Files.createTempDirectory("pgbouncer-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            int port = freePort();
            Path users = directory.resolve("userlist.txt");
            Files.writeString(users, "\"postgres\" \"\"\n");
            Path config = directory.resolve("pgbouncer.ini");
            String baseConfig = String.join("\n",
                    "[databases]",
                    "* = host=127.0.0.1 port=" + TestDatabase.server().getPort(),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + users,
                    "admin_users = postgres",
                    "pool_mode = transaction",
                    "default_pool_size = " + poolSize,
                    "max_client_conn = 200",
                    // the JDBC driver sends it at connect; PgBouncer refuses startup parameters it does not know
                    "ignore_startup_parameters = extra_float_digits",
                    "");
            Files.writeString(config, baseConfig + String.join("\n", settings) + "\n");
            List<String> command = new ArrayList<>(List.of(binary().orElseThrow().toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "postgres")); // it refuses to run as root
            }
            command.add(config.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("pgbouncer.log").toFile()).start();
            PgBouncer pooler = new PgBouncer(process, port, directory, baseConfig);
            pooler.awaitListening();
            return pooler;
        } catch (IOException e) {
            throw new UncheckedIOException("pgbouncer did not start", e);
        }
    }

    int port() {
        return port;
    }

    /** A JDBC URL to {@code database} through the pooler, as the service would be given Supabase's port 6543. */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A plain client of the pool: user postgres, no server-side prepared statements (as the service). */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + "?prepareThreshold=0", "postgres", "");
    }

    /**
     * Reloads {@code pgbouncer.ini} with these further settings instead of the previous ones (SIGHUP, as
     * {@code systemctl reload pgbouncer} does): {@code "server_lifetime = 1"} has it replace every server connection
     * older than a second once it is released.
     */
    void reload(String... settings) throws IOException, InterruptedException {
        Files.writeString(directory.resolve("pgbouncer.ini"), baseConfig + String.join("\n", settings) + "\n");
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("could not signal pgbouncer to reload");
        }
    }

    String log() {
        try {
            return Files.readString(directory.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void awaitListening() {
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("pgbouncer exited at start: " + log());
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
