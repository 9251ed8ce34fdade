package io.stripesync.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.LogSafe;
import io.stripesync.database.SyncSchema;
import io.stripesync.run.Run;
import io.stripesync.run.RunLifecycle;
import io.stripesync.walk.Window;
import io.stripesync.walk.WindowSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stripe's product and price events, as the catch-up and the webhook route apply them: which events are new (each
 * event once, in stripe_events_log) and which products to re-read at the pinned API version (100 a request). The
 * deletions they tell are {@link EventDeletions}'.
 */
@Component("stripeEvents")
public class StripeEvents {

    /** The events that concern the log. Others (a webhook endpoint may send more) are acknowledged and ignored. */
    public static final List<String> TYPES = List.of("product.created", "product.updated", "product.deleted",
            "price.created", "price.updated", "price.deleted");
    /** Exchange property: the events read so far by the catch-up, newest first as Stripe lists them. */
    public static final String READ = "stripeEventsRead";
    /** Exchange property: product id to the id of the newest event that prompted its re-read (JSON). */
    public static final String EVENT_IDS = "stripeEventIds";
    /** Exchange property: the events not seen before, oldest first (those that concern the log are applied). */
    public static final String FRESH = "stripeEventsFresh";
    /** Exchange property: of those, the product.deleted events naming a product, oldest first. */
    public static final String DELETIONS = "stripeEventsDeletions";

    private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);
    /** Events created up to this long before the cursor's are asked for again: one may become listed late. */
    private static final long SLACK_SECONDS = 60;
    private static final int IDS_PER_REQUEST = 100;
    private static final String RECORD = """
            INSERT INTO {schema}.stripe_events_log (event_id, type, event_created, source, outcome) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING""";
    private static final String SELECT_SEEN =
            "SELECT event_id FROM {schema}.stripe_events_log WHERE event_id = ANY (?)";

    private final JdbcTemplate jdbc;
    private final String record;
    private final String selectSeen;
    private final ObjectMapper json;
    private final EventsCursor cursor;
    private final EventMetrics metrics;

    public StripeEvents(JdbcTemplate jdbc, SyncSchema schema, ObjectMapper json, EventsCursor cursor,
                        EventMetrics metrics) {
        this.jdbc = jdbc;
        this.record = schema.qualify(RECORD);
        this.selectSeen = schema.qualify(SELECT_SEEN);
        this.json = json;
        this.cursor = cursor;
        this.metrics = metrics;
    }

    /**
     * The catch-up's list: the product and price events since the cursor (a minute of slack; events seen before are
     * dropped by {@link #firstSeen}). Without a cursor the catch-up starts from now, the walk having the past, and
     * the window is the end marker: nothing to read.
     */
    public Window since(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        exchange.setProperty(READ, new ArrayList<Map<String, Object>>());
        var position = cursor.position();
        if (position.isEmpty()) {
            cursor.startFrom(Instant.now());
            log.info("Events catch-up {}: no cursor yet: starting from now (the walk covers the past)", run.getId());
            return Window.none();
        }
        Instant from = position.get().eventCreated() != null ? position.get().eventCreated() : position.get().readAt();
        return Window.eventsOf(run, TYPES, from.getEpochSecond() - SLACK_SECONDS);
    }

    /** Gathers a page of events (the route walks them newest first, as Stripe lists them). */
    @SuppressWarnings("unchecked")
    public void collect(Exchange exchange) {
        List<Map<String, Object>> data = (List<Map<String, Object>>) exchange.getProperty(WindowSource.PAGE, Map.class)
                .get("data");
        exchange.getProperty(READ, List.class).addAll(data);
    }

    /** The events read by the catch-up, oldest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> oldestFirst(Exchange exchange) {
        List<Map<String, Object>> events = new ArrayList<>(exchange.getProperty(READ, List.class));
        Collections.reverse(events);
        exchange.removeProperty(READ);
        return events;
    }

    /**
     * The events (the body, oldest first) not seen before (exchange property {@value #FRESH}, and their deletions
     * {@value #DELETIONS}); those that concern the log are applied by the route, and all are recorded in
     * stripe_events_log once that succeeded ({@link #recordSeen}). An event seen before (a redelivery, or the catch-up
     * meeting a webhook's event) changes nothing. (Two deliveries applied at once do no harm: the log's statements keep
     * the newest state and record a change once.)
     */
    @SuppressWarnings("unchecked")
    public void sortOut(Exchange exchange) {
        List<Map<String, Object>> events = exchange.getMessage().getBody(List.class);
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        String source = run.getSource();
        run.eventsRead(events.size());
        String[] ids = events.stream().map(e -> String.valueOf(e.get("id"))).toArray(String[]::new);
        Set<String> seen = new HashSet<>(jdbc.queryForList(selectSeen, String.class, (Object) ids));
        List<Map<String, Object>> fresh = new ArrayList<>();
        List<Map<String, Object>> deletions = new ArrayList<>();
        for (Map<String, Object> event : events) {
            metrics.received(source, String.valueOf(event.get("type")));
            if (!seen.add(String.valueOf(event.get("id")))) {
                metrics.outcome("duplicate");
                continue;
            }
            fresh.add(event);
            if ("product.deleted".equals(event.get("type")) && productIdOf(event) != null) {
                deletions.add(event);
            }
        }
        exchange.setProperty(FRESH, fresh);
        exchange.setProperty(DELETIONS, deletions);
    }

    /** The fresh events are applied: each is recorded, applied or ignored (not a product or price event). */
    public void recordSeen(Exchange exchange) {
        String source = exchange.getProperty(RunLifecycle.RUN, Run.class).getSource();
        List<Object[]> rows = new ArrayList<>();
        for (Map<String, Object> event : fresh(exchange)) {
            String type = String.valueOf(event.get("type"));
            boolean concerns = TYPES.contains(type);
            rows.add(new Object[] {String.valueOf(event.get("id")), type, Timestamp.from(createdOf(event)), source,
                    concerns ? "applied" : "ignored"});
            if (concerns) {
                metrics.applied(createdOf(event));
            } else {
                metrics.outcome("ignored");
            }
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(record, rows); // one round trip for the catch-up's events
        }
    }

    /**
     * The products the events created or changed, re-read at the pinned API version: windows of up to 100 ids, one
     * request each. A product deleted by one of these events is not re-read (Stripe no longer has it).
     */
    public List<Window> reReads(Exchange exchange) {
        Set<String> deleted = new HashSet<>();
        deletions(exchange).forEach(event -> deleted.add(productIdOf(event)));
        Map<String, String> eventIds = new LinkedHashMap<>();
        for (Map<String, Object> event : fresh(exchange)) {
            String productId = productIdOf(event);
            if (productId != null && !deleted.contains(productId)) {
                eventIds.remove(productId); // keeps the newest event last, for its id
                eventIds.put(productId, String.valueOf(event.get("id")));
            }
        }
        exchange.setProperty(EVENT_IDS, toJson(eventIds));
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        List<String> ids = new ArrayList<>(eventIds.keySet());
        List<Window> windows = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_REQUEST) {
            windows.add(Window.idsOf(run, ids.subList(from, Math.min(ids.size(), from + IDS_PER_REQUEST))));
        }
        return windows;
    }

    /** A walk replaced the catch-up (its cursor was too old): once it succeeded, events count from its start. */
    public void restartAfterWalk(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        if (run != null && run.failure() == null && run.isWalkedToTheEnd()) {
            cursor.startFrom(run.startedAt());
        }
    }

    /** A webhook delivery as the events route takes it: a list of one event, from the webhook. */
    public List<Map<String, Object>> delivered(Map<String, Object> event) {
        return List.of(event);
    }

    /** The catch-up applied its events (the body, oldest first): the cursor moves to the newest, read now. */
    @SuppressWarnings("unchecked")
    public void moveCursor(Exchange exchange) {
        List<Map<String, Object>> events = exchange.getMessage().getBody(List.class);
        if (events == null || events.isEmpty()) {
            cursor.moveTo(null, null);
            return;
        }
        Map<String, Object> newest = events.get(events.size() - 1);
        cursor.moveTo(String.valueOf(newest.get("id")), createdOf(newest));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fresh(Exchange exchange) {
        return exchange.getProperty(FRESH, List.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> deletions(Exchange exchange) {
        return exchange.getProperty(DELETIONS, List.class);
    }

    /** The product an event concerns: the product itself, or a price's product (an id, or expanded). */
    static String productIdOf(Map<String, Object> event) {
        Map<?, ?> object = objectOf(event);
        if (object == null) {
            return null;
        }
        String type = String.valueOf(event.get("type"));
        if (type.startsWith("product.")) {
            return object.get("id") instanceof String id ? id : null;
        }
        Object product = object.get("product");
        if (product instanceof Map<?, ?> expanded) {
            product = expanded.get("id");
        }
        return product instanceof String id ? id : null;
    }

    static Map<?, ?> objectOf(Map<String, Object> event) {
        return event.get("data") instanceof Map<?, ?> data && data.get("object") instanceof Map<?, ?> object
                ? object : null;
    }

    static Instant createdOf(Map<String, Object> event) {
        return event.get("created") instanceof Number created ? Instant.ofEpochSecond(created.longValue())
                : Instant.now();
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
