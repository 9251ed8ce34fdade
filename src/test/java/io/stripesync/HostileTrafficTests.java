package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The service keeps answering under traffic meant to tie it up: bodies trickled a byte at a time, half-sent requests,
 * bodies sent where none is read; and every answer carries the browser-facing headers.
 */
class HostileTrafficTests extends SyncTestSupport {

    @Value("${sync.http.body-timeout}")
    private Duration bodyTimeout;

    @Value("${server.tomcat.connection-timeout}")
    private Duration connectionTimeout;

    @Test
    void slowBodiesHoldNoThreadLivenessAndATriggerAnswerWithinASecond() throws Exception {
        STRIPE.catalogue().addGenerated(5);
        String[] paths = {"/stripe-sync-products", "/actuator/health/liveness", "/stripe-sync-products/runs",
                "/actuator/prometheus", "/omnia-shared/stripe-sync-products"};
        // 250 connections: half declare a 1,000,000-byte body without a token, to any path; half send the trigger
        // a 1,000-byte body with the token. All trickle a byte every half second (within Tomcat's connection timeout,
        // so only the body timeout can stop them).
        try (SlowClients clients = new SlowClients(250, i -> i % 2 == 0
                ? (i % 10 == 2 ? "GET " : "POST ") + paths[i / 2 % paths.length] + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
                : "POST /stripe-sync-products HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + API_TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", Duration.ofMillis(500))) {

            List<Long> answers = new ArrayList<>();
            answers.add(timed(() -> assertThat(send("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200)));
            answers.add(timed(() -> assertThat(triggerSync().statusCode()).isEqualTo(200)));
            Thread.sleep(bodyTimeout.toMillis() / 2); // while the slow trigger bodies are still coming
            answers.add(timed(() -> assertThat(send("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200)));
            answers.add(timed(() -> assertThat(triggerSync().statusCode()).isEqualTo(200)));

            clients.awaitAllClosed(bodyTimeout.plusSeconds(5));

            assertThat(answers).as("liveness, trigger, liveness, trigger (ms)").allMatch(ms -> ms < 1000);
            List<SlowClient> anonymous = clients.all.stream().filter(c -> !c.request.contains("Bearer")).toList();
            List<SlowClient> slowTriggers = clients.all.stream().filter(c -> c.request.contains("Bearer")).toList();
            assertThat(clients.all).allMatch(c -> c.closedAfterMs >= 0);
            assertThat(anonymous).allSatisfy(c -> {
                assertThat(c.status()).as(c.request).isEqualTo(c.request.startsWith("GET /actuator/health") ? 200
                        : c.request.startsWith("GET ") ? 401 : c.request.contains("/actuator/health") ? 405 : 401);
                // since the connection opened, 250 of them at once: closed after the answer, not held for the body
                assertThat(c.closedAfterMs).as("closed after the answer").isLessThan(bodyTimeout.toMillis());
            });
            assertThat(slowTriggers).allSatisfy(c -> {
                assertThat(c.status()).isEqualTo(408);
                assertThat(c.answer()).contains("{\"success\":false,\"error\":\"request body not received within "
                        + bodyTimeout.toSeconds() + " s\"}").contains("X-Content-Type-Options: nosniff");
                assertThat(c.closedAfterMs).isBetween(bodyTimeout.toMillis() - 100, bodyTimeout.toMillis() + 2000);
            });
            System.out.printf("%d slow connections: %d without a token answered and closed within %d ms; %d slow "
                            + "trigger bodies cut with 408 after %d-%d ms (SYNC_HTTP_BODY_TIMEOUT %d ms); liveness, "
                            + "trigger, liveness, trigger answered in %s ms%n", clients.all.size(), anonymous.size(),
                    max(anonymous), slowTriggers.size(), min(slowTriggers), max(slowTriggers), bodyTimeout.toMillis(),
                    answers);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isEqualTo(2);
    }

    @Test
    void halfSentRequestsAreClosedAfterTheConnectionTimeout() throws Exception {
        try (SlowClients clients = new SlowClients(100, i -> "GET /actuator/health/liveness HTTP/1.1\r\nHost: loc",
                null)) {
            long liveness = timed(() -> assertThat(send("GET", "/actuator/health/liveness", null).statusCode())
                    .isEqualTo(200));

            clients.awaitAllClosed(connectionTimeout.plusSeconds(5));

            assertThat(liveness).isLessThan(1000);
            assertThat(clients.all).allSatisfy(c -> assertThat(c.closedAfterMs)
                    .isBetween(connectionTimeout.toMillis() - 100, connectionTimeout.toMillis() + 2000));
            System.out.printf("%d half-sent requests closed after %d-%d ms (connection-timeout %d ms)%n",
                    clients.all.size(), min(clients.all), max(clients.all), connectionTimeout.toMillis());
        }
    }

    @Test
    void aTriggerBodyThatStopsArrivingIsCutAtTheConnectionTimeout() throws Exception {
        try (Socket socket = RawHttp.connect("127.0.0.1", port)) {
            long started = System.nanoTime();
            socket.getOutputStream().write(("POST /stripe-sync-products HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + "Bearer " + API_TOKEN + "\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            // closed (Tomcat allows no answer after a read that timed out), and neither a run nor an error page
            assertThat((System.nanoTime() - started) / 1_000_000)
                    .isBetween(connectionTimeout.toMillis() - 100, connectionTimeout.toMillis() + 1500);
            assertThat(answer).doesNotContain("HTTP/1.1 2").doesNotContain("HTTP/1.1 5");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM stripe_sync_runs", Integer.class)).isZero();
    }

    @Test
    void aBodySentWhereNoneIsReadIsNeitherReadNorWaitedFor() throws Exception {
        for (String[] request : new String[][] {{"GET", "/actuator/health/liveness", ""},
                {"GET", "/stripe-sync-products/runs", "Authorization: Bearer " + API_TOKEN},
                {"POST", "/stripe-sync-products", ""}}) {
            long started = System.nanoTime();
            try (Socket socket = RawHttp.connect("127.0.0.1", port)) {
                socket.getOutputStream().write((request[0] + " " + request[1] + " HTTP/1.1\r\nHost: localhost\r\n"
                        + (request[2].isEmpty() ? "" : request[2] + "\r\n") + "Content-Length: 1000000\r\n\r\n{")
                        .getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Answer answer = RawHttp.read(socket, true);

                assertThat(answer.status()).as(request[1]).isEqualTo(request[2].isEmpty() && request[0].equals("POST")
                        ? 401 : 200);
                assertThat(answer.headers().get("connection")).as(request[1]).isEqualTo("close");
                assertThat(answer.closed()).as(request[1]).isTrue();
                assertThat((System.nanoTime() - started) / 1_000_000).as(request[1]).isLessThan(2000);
            }
        }
    }

    @Test
    void ordinaryRequestsKeepTheirConnection() throws Exception {
        try (Socket socket = RawHttp.connect("127.0.0.1", port)) {
            for (String request : new String[] {RawHttp.request("GET", "/actuator/health/liveness", ""),
                    RawHttp.request("GET", "/stripe-sync-products/runs", "", "Authorization: Bearer " + API_TOKEN),
                    RawHttp.request("POST", "/stripe-sync-products", "{}", "Authorization: Bearer " + API_TOKEN),
                    RawHttp.request("GET", "/actuator/health/liveness", "")}) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));

                RawHttp.Answer answer = RawHttp.read(socket, false);

                assertThat(answer.status()).as(request).isEqualTo(200);
                assertThat(answer.headers()).as(request).doesNotContainKey("connection");
            }
        }
    }

    @Test
    void aPostToARouteThatOnlyReadsIs405WhateverItsBodyAndKeepsItsConnection() throws Exception {
        // each request is written whole, as curl writes a small one: the body has arrived when the answer is given,
        // so the server reads it off the connection and the next request can follow on it (see UnreadBodyValve)
        try (Socket socket = RawHttp.connect("127.0.0.1", port)) {
            for (String body : new String[] {"not json {", "{\"padding\":\"" + "x".repeat(20_000) + "\"}"}) {
                for (String path : new String[] {"/stripe-sync-products/runs", "/stripe-sync-products/stats",
                        "/stripe-sync-products/drift"}) {
                    socket.getOutputStream().write(RawHttp.request("POST", path, body, "Authorization: Bearer "
                            + API_TOKEN, "Content-Type: application/json").getBytes(StandardCharsets.ISO_8859_1));

                    RawHttp.Answer answer = RawHttp.read(socket, false);

                    assertThat(answer.status()).as(path).isEqualTo(405);
                    assertThat(answer.headers()).as(path).doesNotContainKey("connection");
                }
            }
        }
    }

    @Test
    void aBodyTheClientStopsSendingIsAnsweredAndClosedWithoutAnErrorInTheLog() throws Exception {
        try (LogLines lines = new LogLines(org.slf4j.Logger.ROOT_LOGGER_NAME);
             Socket socket = RawHttp.connect("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /stripe-sync-products/runs HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + API_TOKEN + "\r\nContent-Length: 100\r\n\r\n{\"a\":")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput(); // the rest of the declared body never comes

            RawHttp.Answer answer = RawHttp.read(socket, true);

            assertThat(answer.status()).isBetween(400, 499);
            assertThat(answer.closed()).isTrue();
            assertThat(lines.events()).as("no ERROR line for a client's short body")
                    .noneMatch(line -> line.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR));
        }
    }

    @Test
    void everyAnswerCarriesTheBrowserFacingHeaders() throws Exception {
        STRIPE.catalogue().addGenerated(1);
        Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
        for (String[] request : new String[][] {
                {"GET", "/actuator/health/liveness", null, "200"}, {"GET", "/actuator/health", API_TOKEN, "200"},
                {"GET", "/actuator/prometheus", READ_TOKEN, "200"}, {"GET", "/actuator/prometheus", null, "401"},
                {"POST", "/stripe-sync-products", API_TOKEN, "200"}, {"POST", "/stripe-sync-products", null, "401"},
                {"POST", "/stripe-sync-products", READ_TOKEN, "403"}, {"GET", "/stripe-sync-products", API_TOKEN, "405"},
                {"GET", "/stripe-sync-products/runs", API_TOKEN, "200"}, {"GET", "/stripe-sync-products/runs/1", API_TOKEN, "200"},
                {"GET", "/stripe-sync-products/runs/x", API_TOKEN, "400"}, {"GET", "/stripe-sync-products/stats", API_TOKEN, "200"},
                {"GET", "/stripe-sync-products/drift?since=2025-01-01", API_TOKEN, "200"},
                {"GET", "/stripe-sync-products/drift", API_TOKEN, "400"}, {"GET", "/nothing-here", API_TOKEN, "404"},
                {"GET", "/error", API_TOKEN, "404"},
                {"POST", "/stripe-sync-products", API_TOKEN, "413", "{\"x\":\"" + "x".repeat(20_000) + "\"}"}}) {
            String body = request.length > 4 ? request[4] : request[0].equals("POST") ? "{}" : "";
            // written whole on a connection of its own (a refused body that is still arriving when the connection
            // closes can turn the answer into a reset: see UnreadBodyValve)
            RawHttp.Answer answer = RawHttp.send("127.0.0.1", port, RawHttp.request(request[0], request[1], body,
                    request[2] == null ? new String[0] : new String[] {"Authorization: Bearer " + request[2]}));
            String what = request[0] + " " + request[1] + " " + answer.status();
            assertThat(answer.status()).as(what).isEqualTo(Integer.parseInt(request[3]));
            answers.put(what, answer);
        }

        assertThat(answers).allSatisfy((what, answer) -> {
            var headers = answer.headers();
            assertThat(headers.get("x-content-type-options")).as(what).isEqualTo("nosniff");
            assertThat(headers.get("referrer-policy")).as(what).isEqualTo("no-referrer");
            assertThat(headers.get("cache-control")).as(what).isEqualTo("no-store");
            assertThat(headers.get("content-security-policy")).as(what).isNotNull().satisfies(csp -> assertThat(csp)
                    .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                            "form-action 'none'").doesNotContain("unsafe-inline").doesNotContain("http"));
        });
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Milliseconds {@code check} took on a connection of its own. */
    private static long timed(Check check) throws Exception {
        long started = System.nanoTime();
        check.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long max(List<SlowClient> clients) {
        return clients.stream().mapToLong(c -> c.closedAfterMs).max().orElse(-1);
    }

    private static long min(List<SlowClient> clients) {
        return clients.stream().mapToLong(c -> c.closedAfterMs).min().orElse(-1);
    }

    /** One connection of {@link SlowClients}: what it sent, what came back, and when the server closed it. */
    private static final class SlowClient {
        final String request;
        final SocketChannel channel;
        final long openedAt = System.nanoTime();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile long closedAfterMs = -1;

        SlowClient(String request, SocketChannel channel) {
            this.request = request;
            this.channel = channel;
        }

        String answer() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        int status() {
            String answer = answer();
            return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
        }
    }

    /**
     * Connections on loopback that each send a request start and then, every {@code trickle} (or never), one more
     * byte; one thread watches them all and notes when the server closes each. Closing this closes what is left.
     */
    private final class SlowClients implements AutoCloseable {

        final List<SlowClient> all = new ArrayList<>();
        private final Selector selector = Selector.open();
        private final Thread watcher;
        private volatile boolean stop;

        SlowClients(int count, IntFunction<String> requestStart, Duration trickle) throws IOException {
            for (int i = 0; i < count; i++) {
                String request = requestStart.apply(i);
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
                channel.configureBlocking(false);
                SlowClient client = new SlowClient(request, channel);
                channel.register(selector, SelectionKey.OP_READ, client);
                all.add(client);
            }
            watcher = new Thread(() -> watch(trickle), "slow-clients");
            watcher.setDaemon(true);
            watcher.start();
        }

        private void watch(Duration trickle) {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            long nextTrickle = System.nanoTime() + (trickle == null ? Long.MAX_VALUE / 2 : trickle.toNanos());
            try {
                while (!stop && selector.keys().size() > 0) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SlowClient client = (SlowClient) key.attachment();
                        buffer.clear();
                        int read;
                        try {
                            read = client.channel.read(buffer);
                        } catch (IOException reset) {
                            read = -1;
                        }
                        if (read > 0) {
                            client.received.write(buffer.array(), 0, read);
                        } else if (read < 0) {
                            client.closedAfterMs = (System.nanoTime() - client.openedAt) / 1_000_000;
                            key.cancel();
                            client.channel.close();
                        }
                    }
                    selector.selectedKeys().clear();
                    if (System.nanoTime() >= nextTrickle) {
                        nextTrickle += trickle.toNanos();
                        for (SelectionKey key : selector.keys()) {
                            try {
                                ((SlowClient) key.attachment()).channel.write(ByteBuffer.wrap(new byte[] {' '}));
                            } catch (IOException closedMeanwhile) {
                                // noted when its end of stream is read
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void awaitAllClosed(Duration atMost) throws InterruptedException {
            watcher.join(atMost.toMillis());
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stop = true;
            watcher.join(2000);
            for (SlowClient client : all) {
                client.channel.close();
            }
            selector.close();
        }
    }
}
