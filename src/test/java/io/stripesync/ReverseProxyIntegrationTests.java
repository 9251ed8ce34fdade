package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.web.FailedLogins;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Deployed behind a reverse proxy the operator declared trusted (here 127.0.0.1, and nothing else), with actuator
 * on a port of its own: the client's address comes from X-Forwarded-For, only when the proxy sent it, and the
 * management port keeps the token rules. A context of its own: these settings differ from the other tests'.
 */
@TestPropertySource(properties = {
        "server.forward-headers-strategy=native",
        "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1",
        "management.server.port=0"})
class ReverseProxyIntegrationTests extends SyncTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalManagementPort
    private int managementPort;

    @Test
    void theClientsAddressComesFromXForwardedForOnlyWhenTheTrustedProxySentIt() throws Exception {
        RawHttp.Answer proxied = RawHttp.send("127.0.0.1", port, RawHttp.request("POST", "/stripe-sync-products", "{}",
                "Authorization: Bearer " + API_TOKEN, "X-Forwarded-For: 203.0.113.66, 198.51.100.7",
                "User-Agent: pg_net/0.8.0"));
        Object viaProxy = lastRun().get("requested_by");
        RawHttp.Answer direct = RawHttp.send("127.0.0.2", port, RawHttp.request("POST", "/stripe-sync-products", "{}",
                "Authorization: Bearer " + API_TOKEN, "X-Forwarded-For: 198.51.100.7", "User-Agent: curl/8.5.0"));
        Object notViaProxy = lastRun().get("requested_by");

        assertThat(proxied.status()).isEqualTo(200);
        assertThat(direct.status()).isEqualTo(200);
        // the address the proxy saw (the last one it appended), not what the client wrote before it
        assertThat(viaProxy).isEqualTo("198.51.100.7 (pg_net/0.8.0)");
        assertThat(notViaProxy).isEqualTo("127.0.0.2 (curl/8.5.0)");
    }

    @Test
    void wrongTokensAreCountedPerClientBehindTheProxy() throws Exception {
        for (int i = 0; i < FailedLogins.LIMIT; i++) {
            RawHttp.send("127.0.0.1", port, RawHttp.request("GET", "/stripe-sync-products/runs", "",
                    "Authorization: Bearer wrong-token-" + i, "X-Forwarded-For: 198.51.100.20"));
        }

        assertThat(RawHttp.send("127.0.0.1", port, RawHttp.request("GET", "/stripe-sync-products/runs", "",
                "Authorization: Bearer " + API_TOKEN, "X-Forwarded-For: 198.51.100.20")).status()).isEqualTo(429);
        assertThat(RawHttp.send("127.0.0.1", port, RawHttp.request("GET", "/stripe-sync-products/runs", "",
                "Authorization: Bearer " + API_TOKEN, "X-Forwarded-For: 198.51.100.21")).status()).isEqualTo(200);
    }

    @Test
    void actuatorOnItsOwnPortKeepsTheTokenRules() throws Exception {
        HttpResponse<String> anonymousHealth = ServiceOnDatabase.get(managementPort, "/actuator/health", null);
        HttpResponse<String> health = ServiceOnDatabase.get(managementPort, "/actuator/health", API_TOKEN);

        assertThat(anonymousHealth.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(anonymousHealth.body()).has("components")).isFalse();
        assertThat(anonymousHealth.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(JSON.readTree(health.body()).get("components").has("db")).isTrue();
        assertThat(ServiceOnDatabase.get(managementPort, "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(ServiceOnDatabase.get(managementPort, "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(ServiceOnDatabase.get(managementPort, "/actuator/prometheus", READ_TOKEN).statusCode()).isEqualTo(200);
        assertThat(ServiceOnDatabase.get(managementPort, "/actuator/prometheus", API_TOKEN).body()).contains("stripe_sync_");
        // the service's own port serves no actuator any more
        assertThat(ServiceOnDatabase.get(port, "/actuator/prometheus", API_TOKEN).statusCode()).isEqualTo(404);
        // and the valve is on actuator's server too: a body nobody reads is not waited for
        RawHttp.Answer withBody = RawHttp.sendAndWatchClose("127.0.0.1", managementPort,
                "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n{");
        assertThat(withBody.status()).isEqualTo(200);
        assertThat(withBody.closed()).isTrue();
    }
}
