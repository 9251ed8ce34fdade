package io.stripesync;

import io.stripesync.standin.StripeStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For the benchmark: the packaged service as a user runs it, {@code java <flags> -jar target/...jar} from the project
 * folder (so it reads {@code config/} and {@code routes/}), in a process of its own, against a database of the test
 * server and the stand-in of the benchmark's JVM. Reads what a user would measure of it: time to readiness, the
 * trigger's answer, the process's CPU and peak resident memory (Linux /proc), and per-thread CPU from a thread dump.
 */
final class ServiceProcess implements AutoCloseable {

    static final String TOKEN = "benchmark-token-0123456789abcdef";
    /** {@code "name" #12 ... cpu=12.34ms} in a thread dump. */
    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" #(\\d+).* cpu=([0-9.]+)ms", Pattern.MULTILINE);
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final double startupSeconds;

    /** -Dbenchmark.jar, else the jar {@code ./mvnw package} builds, or null when it has not been built. */
    static Path jar() {
        if (System.getProperty("benchmark.jar") != null) {
            return Path.of(System.getProperty("benchmark.jar"));
        }
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("stripe-sync-products-.*\\.jar")).findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    ServiceProcess(Path jar, List<String> jvmFlags, String jdbcUrl, StripeStandIn stripe, Map<String, String> settings)
            throws Exception {
        port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        // -Dbenchmark.jar.dir: the folder the service starts in (its config/ and routes/), e.g. an older checkout's
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(Path.of(System.getProperty("benchmark.jar.dir", ".")).toFile())
                .redirectOutput(Path.of("target", "benchmark-service.log").toAbsolutePath().toFile());
        Map<String, String> env = builder.environment();
        env.putAll(Map.of("SPRING_DATASOURCE_URL", jdbcUrl, "SPRING_DATASOURCE_USERNAME", "postgres",
                "STRIPE_API_BASE_URL", stripe.baseUrl(), "STRIPE_SECRET_KEY", StripeStandIn.API_KEY,
                "SYNC_API_TOKEN", TOKEN, "SYNC_SCHEDULE_ENABLED", "false", "SERVER_PORT", String.valueOf(port),
                "LOGGING_LEVEL_IO_STRIPESYNC", "WARN"));
        env.putAll(settings);
        long starting = System.nanoTime();
        process = builder.start();
        startupSeconds = awaitReady(starting);
    }

    private double awaitReady(long starting) throws Exception {
        HttpRequest readiness = HttpRequest.newBuilder(uri("/actuator/health/readiness")).build();
        while (System.nanoTime() - starting < Duration.ofSeconds(90).toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited: see target/benchmark-service.log");
            }
            try {
                if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - starting) / 1e9;
                }
            } catch (IOException notListeningYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the service was not ready in 90 s: see target/benchmark-service.log");
    }

    /** POST /stripe-sync-products with the token: the run's JSON answer. */
    String trigger() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/stripe-sync-products"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofString());
        return answer.body();
    }

    /** User plus system CPU seconds of the whole process so far. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
    }

    /** The process's peak resident set (VmHWM), in MB. */
    double peakRssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** CPU milliseconds of each live thread, by "name #id", from {@code jcmd <pid> Thread.print}. */
    Map<String, Double> threadCpu() throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor();
        Map<String, Double> cpu = new HashMap<>();
        Matcher m = THREAD.matcher(dump);
        while (m.find()) {
            cpu.put(m.group(1) + " #" + m.group(2), Double.parseDouble(m.group(3)));
        }
        return cpu;
    }

    /** CPU seconds spent between two thread dumps by the threads whose name contains {@code part}. */
    static double cpuOf(Map<String, Double> before, Map<String, Double> after, String part) {
        return after.entrySet().stream().filter(e -> e.getKey().contains(part))
                .mapToDouble(e -> e.getValue() - before.getOrDefault(e.getKey(), 0.0)).sum() / 1000;
    }

    /** The {@code n} thread groups (names with their numbers as #) that spent most CPU between two dumps. */
    static String busiest(Map<String, Double> before, Map<String, Double> after, int n) {
        Map<String, Double> groups = new HashMap<>();
        after.forEach((thread, ms) -> groups.merge(thread.replaceAll("\\d+", "#"),
                (ms - before.getOrDefault(thread, 0.0)) / 1000, Double::sum));
        return groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
    }
}
