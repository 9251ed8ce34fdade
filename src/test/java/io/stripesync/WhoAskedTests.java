package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.web.FailedLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Who asked: each HTTP run records its caller; wrong tokens are logged with the caller's address, and an address
 * that keeps sending them is refused for a minute without shutting anyone else out.
 */
class WhoAskedTests extends SyncTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.start();
        ((Logger) LoggerFactory.getLogger("io.stripesync")).addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("io.stripesync")).detachAppender(lines);
    }

    @Test
    void anHttpRunRecordsTheCallersAddressAndUserAgent() throws Exception {
        STRIPE.catalogue().addGenerated(2);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/stripe-sync-products"))
                .header("Authorization", "Bearer " + API_TOKEN).header("User-Agent", "pg_net/0.8.0")
                // not declared trusted (server.forward-headers-strategy is none): ignored
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(lastRun().get("requested_by")).isEqualTo("127.0.0.1 (pg_net/0.8.0)");
        JsonNode runs = JSON.readTree(get("/stripe-sync-products/runs"));
        assertThat(runs.get(0).get("requested_by").asText()).isEqualTo("127.0.0.1 (pg_net/0.8.0)");
        JsonNode run = JSON.readTree(get("/stripe-sync-products/runs/" + runs.get(0).get("id").asLong()));
        assertThat(run.get("run").get("requested_by").asText()).isEqualTo("127.0.0.1 (pg_net/0.8.0)");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("started (trigger: http, requested by 127.0.0.1 (pg_net/0.8.0))"));
    }

    @Test
    void controlCharactersInTheUserAgentAreEscaped() throws Exception {
        String address = otherAddress();
        // what Tomcat lets through in a header value: a tab, and bytes 0x80-0xff, read as ISO-8859-1: NEL (a line
        // break to some log viewers) and CSI (a terminal escape) among them
        RawHttp.Answer answer = RawHttp.send(address, port, RawHttp.request("POST", "/stripe-sync-products", "{}",
                "Authorization: Bearer " + API_TOKEN, "Content-Type: application/json",
                "User-Agent: evil\tagent\u0085ERROR forged\u009b31m"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(lastRun().get("requested_by"))
                .isEqualTo(address + " (evil\\tagent\\u0085ERROR forged\\u009b31m)");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).filteredOn(m -> m.contains("requested by"))
                .singleElement().satisfies(m -> assertThat(m).doesNotContain("\u0085").doesNotContain("\u009b")
                        .doesNotContain("\t"));
    }

    @Test
    void aRunNotStartedOverHttpHasNoRequester() {
        camel.createProducerTemplate().requestBody("direct:sync-run", null, String.class);

        assertThat(lastRun().get("requested_by")).isNull();
    }

    @Test
    void wrongTokensAreLoggedWithTheAddressOnceAMinuteAndNeverTheToken() throws Exception {
        String address = otherAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.send(address, port, RawHttp.request("GET", "/stripe-sync-products/runs", "",
                    "Authorization: Bearer guessed-token-" + i)).status()).isEqualTo(401);
        }

        List<String> logged = linesAbout(address);
        assertThat(logged).singleElement().satisfies(line -> assertThat(line)
                .contains("Wrong token from " + address + " (GET /stripe-sync-products/runs)")
                .doesNotContain("guessed-token"));
        // no Authorization header at all is no login attempt: not logged, not counted
        RawHttp.send(address, port, RawHttp.request("GET", "/actuator/prometheus", ""));
        assertThat(linesAbout(address)).hasSize(1);
    }

    @Test
    void elevenWrongTokensInAMinuteGet429WhileTheRightTokenFromAnotherAddressStillWorks() throws Exception {
        String address = otherAddress();
        for (int i = 1; i <= FailedLogins.LIMIT; i++) {
            RawHttp.Answer refused = RawHttp.send(address, port, RawHttp.request("POST", "/stripe-sync-products", "{}",
                    "Authorization: Bearer wrong-token-number-" + i));
            assertThat(refused.status()).as("wrong token %d", i).isEqualTo(401);
        }

        RawHttp.Answer eleventh = RawHttp.send(address, port, RawHttp.request("POST", "/stripe-sync-products", "{}",
                "Authorization: Bearer wrong-token-number-11"));
        RawHttp.Answer rightTokenSameAddress = RawHttp.send(address, port, RawHttp.request("GET",
                "/stripe-sync-products/runs", "", "Authorization: Bearer " + API_TOKEN));
        RawHttp.Answer livenessSameAddress = RawHttp.send(address, port,
                RawHttp.request("GET", "/actuator/health/liveness", ""));
        RawHttp.Answer detailsSameAddress = RawHttp.send(address, port,
                RawHttp.request("GET", "/actuator/health", "", "Authorization: Bearer " + API_TOKEN));

        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(Integer.parseInt(eleventh.headers().get("retry-after"))).isBetween(1, 61);
        assertThat(eleventh.body()).contains("too many wrong tokens");
        assertThat(rightTokenSameAddress.status()).isEqualTo(429);
        assertThat(livenessSameAddress.status()).isEqualTo(200);
        assertThat(detailsSameAddress.body()).doesNotContain("components"); // no oracle for a guessed token
        // the right token from another address
        assertThat(HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/stripe-sync-products/runs"))
                .header("Authorization", "Bearer " + API_TOKEN).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(triggerSync().statusCode()).isEqualTo(200);
        assertThat(STRIPE.productListRequests()).hasSize(1); // that run's, none for the refused ones
        // one line when the address was blocked, none for the 429s; one for its first wrong token
        List<String> logged = linesAbout(address);
        assertThat(logged).filteredOn(line -> line.contains("wrong tokens from")).singleElement().satisfies(line -> assertThat(line)
                .contains(FailedLogins.LIMIT + " wrong tokens from " + address + " within a minute"));
        assertThat(logged).hasSize(2);
    }

    private List<String> linesAbout(String address) {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(address + " ")).toList();
    }

    /** A loopback address of this test's own (127.0.0.1 is every other test's). */
    private static String otherAddress() {
        return "127.0." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(2, 255);
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + API_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
