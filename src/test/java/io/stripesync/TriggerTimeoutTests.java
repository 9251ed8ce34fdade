package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

class TriggerTimeoutTests extends SyncTestSupport {

    private static final ObjectMapper JSON = TestJson.JSON;

    @Autowired
    private RequestMappingHandlerAdapter mvc;

    @Test
    void pastTheHttpTimeoutTheCallerGetsTheRunIdAndTheRunGoesOn() throws Exception {
        STRIPE.catalogue().addGenerated(800);
        STRIPE.latencyMs(250); // 8 pages: about 2 s, past the 500 ms below
        // SYNC_HTTP_TIMEOUT for this test only (read per request), rather than a context of its own
        mvc.setAsyncRequestTimeout(500);
        HttpResponse<String> response;
        try {
            response = triggerSync();
        } finally {
            mvc.setAsyncRequestTimeout(Duration.ofMinutes(30).toMillis());
        }

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("success").asBoolean()).isFalse();
        long runId = answer.get("runId").asLong();
        assertThat(answer.get("error").asText()).contains("SYNC_HTTP_TIMEOUT").contains("/runs/" + runId);
        assertThat(answer.has("timestamp")).as("not Spring's default error body").isFalse();

        await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(jdbc.queryForObject(
                "SELECT status FROM stripe_sync_runs WHERE id = ?", String.class, runId)));
        assertThat(loggedCount()).isEqualTo(800);
    }
}
