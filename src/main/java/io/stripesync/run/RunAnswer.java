package io.stripesync.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** The JSON answer of a trigger: {@code {"success":...,"synced":N,...,"runId":N}}, with its HTTP status. */
@Component
public class RunAnswer {

    private final ObjectMapper json;

    public RunAnswer(ObjectMapper json) {
        this.json = json;
    }

    /** The answer for a run that ended: its outcome, counts and id. */
    void ended(Exchange exchange, Run run, String status, int httpStatus, String error) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", error == null);
        if (error != null) {
            answer.put("error", error);
        }
        if (Run.EVENTS.equals(run.getKind())) {
            answer.put("events", run.getEvents());
        }
        answer.put("synced", run.getSynced());
        answer.put("scanned", run.getScanned());
        answer.put("changed", run.getChanged());
        answer.put("deleted", run.getDeleted());
        answer.put("skipped", run.getSkipped());
        answer.put("filtered", run.getFiltered());
        answer.put("failed", run.getFailed());
        answer.put("altered", run.getAltered());
        answer.put("pages", run.getPages());
        if (run.getPricePages() > 0) {
            answer.put("prices", run.getPricesLogged());
            answer.put("pricePages", run.getPricePages());
        }
        answer.put("runId", run.getId());
        answer.put("kind", run.getKind());
        if (run.getReason() != null) {
            answer.put("reason", run.getReason());
        }
        answer.put("trigger", run.getTrigger());
        answer.put("durationMs", run.durationMs());
        answer.put("status", status);
        respond(exchange, httpStatus, answer);
    }

    /** The answer when no run started, or another run holds the lock. */
    void refused(Exchange exchange, int httpStatus, String error) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", false);
        answer.put("error", error);
        respond(exchange, httpStatus, answer);
    }

    /** Replaces every header (nothing of the Stripe call may reach the caller) with the JSON answer. */
    private void respond(Exchange exchange, int status, Map<String, Object> answer) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(json.writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the sync answer", e);
        }
    }
}
