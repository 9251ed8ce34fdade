package io.stripesync.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The deletions Stripe's events tell: a deleted product cannot be re-read, so its {@code product.deleted} event is the
 * evidence (routes/stripe-events.camel.yaml, events-apply).
 */
@Component("eventDeletions")
public class EventDeletions {

    private final ObjectMapper json;

    public EventDeletions(ObjectMapper json) {
        this.json = json;
    }

    /** Read by the route: the events tell of deleted products. */
    public boolean hasDeletions(Exchange exchange) {
        return !StripeEvents.deletions(exchange).isEmpty();
    }

    /**
     * The deleted products as a list page, from their events' last state: logged like a walk's page when the log
     * never had them (created and deleted between two catch-ups), left alone otherwise.
     */
    public Map<String, Object> deletedProductsPage(Exchange exchange) {
        List<Object> products = new ArrayList<>();
        for (Map<String, Object> event : StripeEvents.deletions(exchange)) {
            products.add(StripeEvents.objectOf(event));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", products);
        page.put("has_more", false);
        return page;
    }

    /** The deletions as the statement binds them: [{id, created, eventId}], oldest first. */
    public String deletionsJson(Exchange exchange) throws JsonProcessingException {
        List<Map<String, Object>> deletions = new ArrayList<>();
        for (Map<String, Object> event : StripeEvents.deletions(exchange)) {
            deletions.add(Map.of("id", StripeEvents.productIdOf(event), "created",
                    StripeEvents.createdOf(event).getEpochSecond(), "eventId", String.valueOf(event.get("id"))));
        }
        return json.writeValueAsString(deletions);
    }
}
