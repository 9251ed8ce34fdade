package io.stripesync.product;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.LogSafe;
import io.stripesync.config.SyncSettings;
import io.stripesync.database.SyncSchema;
import io.stripesync.run.Run;
import io.stripesync.run.RunLifecycle;
import io.stripesync.walk.WindowSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The idempotent repository of the sync, backed by {@code stripe_products_log} itself: there is no second table of
 * processed ids that could drift from the log. It answers per page: {@link #readPage} asks the log once which of the
 * page's products it holds (exchange property {@value #PAGE_LOG}), and the idempotent consumer's per-product calls
 * are answered from that.
 *
 * <ul>
 *   <li>{@link #add(Exchange, String)} (the consumer is eager): a product the log already holds as Stripe has it now
 *       is a duplicate (false); any other, new or changed, is registered for the page's statement (true).</li>
 *   <li>{@link #remove(Exchange, String)}: a product whose processing failed leaves the page's statement.</li>
 *   <li>{@link #confirm(Exchange, String)}: nothing to do; the page's statement commits the page, all or nothing.</li>
 * </ul>
 * A product "can have changed" when Stripe's {@code updated} is newer than the log's {@code stripe_updated_at}, the
 * log never compared it, it is marked deleted, or price sync is on and its row has no price columns yet.
 */
@Component("productsLog")
public class ProductsLog extends ServiceSupport implements IdempotentRepository {

    /** Exchange property: the {@link PageLog} of the page being logged. */
    public static final String PAGE_LOG = "stripePageLog";

    private static final Logger log = LoggerFactory.getLogger(ProductsLog.class);

    /**
     * Reads what the log holds of the page's products (parameter 3: their ids) and, in the same round trip, records
     * the ids in stripe_sync_seen under the run id (parameters 1 and 2; null: not recorded) for the deletion check at
     * the end of a walk of the whole catalogue: the ids stay in the database, not in the heap, however large the
     * catalogue. A page logged twice (a retry) records its ids twice, which the check does not mind.
     */
    private static final String SELECT_LOGGED_AMONG = """
            WITH seen AS (
                INSERT INTO {schema}.stripe_sync_seen (run_id, stripe_product_id)
                SELECT CAST(? AS bigint), unnest(CAST(? AS text[])) WHERE ? IS NOT NULL
            )
            SELECT stripe_product_id, extract(epoch FROM stripe_updated_at)::bigint AS updated,
                   price_synced_at IS NOT NULL AS price_synced, deleted_at IS NOT NULL AS deleted
              FROM {schema}.stripe_products_log WHERE stripe_product_id = ANY (?)""";
    /** The fields sql/products-log-page.sql reads: images, features and the rest would be parsed there for nothing. */
    private static final List<String> WRITTEN_FIELDS = List.of("id", "name", "description", "active", "livemode",
            "metadata", "created", "updated", "default_price");
    private static final String NUL_REPLACED = "contained NUL characters (\\u0000), which PostgreSQL text cannot "
            + "store: logged with U+FFFD in their place";
    private static final String NO_EXCHANGE =
            "the products log answers per page: use it from the route's idempotent consumer";

    private final JdbcTemplate jdbc;
    private final String selectLoggedAmong;
    private final ObjectMapper json;
    private final boolean withPrices;

    public ProductsLog(JdbcTemplate jdbc, SyncSchema schema, ObjectMapper json, SyncSettings settings) {
        this.jdbc = jdbc;
        this.selectLoggedAmong = schema.qualify(SELECT_LOGGED_AMONG);
        this.json = json;
        this.withPrices = settings.prices().enabled();
    }

    /** Which of the page's products the log already holds, and how it last saw them: one statement per page. */
    public PageLog readPage(Exchange exchange) {
        List<?> products = (List<?>) exchange.getProperty(WindowSource.PAGE, Map.class).get("data");
        String[] ids = products.stream().map(p -> p instanceof Map<?, ?> map ? map.get("id") : null)
                .filter(String.class::isInstance).toArray(String[]::new);
        if (ids.length == 0) {
            return new PageLog(Map.of());
        }
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        Long seenRecordedAs = run == null ? null : run.seenRecordedAs();
        return new PageLog(jdbc.execute((ConnectionCallback<Map<String, PageLog.Logged>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(selectLoggedAmong)) {
                java.sql.Array idArray = connection.createArrayOf("text", ids);
                statement.setObject(1, seenRecordedAs, java.sql.Types.BIGINT);
                statement.setArray(2, idArray);
                statement.setObject(3, seenRecordedAs, java.sql.Types.BIGINT);
                statement.setArray(4, idArray);
                Map<String, PageLog.Logged> logged = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long updated = rows.getLong("updated");
                        logged.put(rows.getString(1), new PageLog.Logged(rows.wasNull() ? null : updated,
                                rows.getBoolean("price_synced"), rows.getBoolean("deleted")));
                    }
                }
                return logged;
            }
        }));
    }

    /** Sets aside a product that cannot be logged (the route's product check said why); recorded with its page. */
    public void setAside(Exchange exchange) {
        String reason = exchange.getProperty(ProductCheck.PROBLEM, String.class);
        Object product = exchange.getMessage().getBody();
        Object id = product instanceof Map<?, ?> map && map.get("id") instanceof String text ? text : null;
        // PostgreSQL text cannot hold NUL: keep the rest of the evidence readable
        pageLog(exchange).setAside(id == null ? null : id.toString().replace("\u0000", "\\u0000"), reason,
                json(product));
        log.warn("Product {} not logged: it {}", id == null ? "(without id)" : LogSafe.text(id), reason);
    }

    /** Counts a product that the filter settings or the team's rule left out. */
    public void filteredOut(Exchange exchange) {
        pageLog(exchange).filteredOut();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean add(Exchange exchange, String productId) {
        if (contains(exchange, productId)) {
            return false;
        }
        Map<String, Object> product = exchange.getMessage().getBody(Map.class);
        Map<String, Object> fields = new LinkedHashMap<>();
        boolean[] replaced = {false};
        for (String field : WRITTEN_FIELDS) {
            if (product.containsKey(field)) {
                fields.put(field, withoutNul(product.get(field), replaced));
            }
        }
        if (replaced[0]) {
            pageLog(exchange).altered(productId, NUL_REPLACED, json(product));
            log.warn("Product {} {}", LogSafe.text(productId), NUL_REPLACED);
        }
        pageLog(exchange).write(fields);
        return true;
    }

    /** The log holds this product as Stripe has it now: nothing to write. */
    @Override
    @SuppressWarnings("unchecked")
    public boolean contains(Exchange exchange, String productId) {
        PageLog.Logged logged = pageLog(exchange).logged(productId);
        if (logged == null) {
            return false;
        }
        Map<String, Object> product = exchange.getMessage().getBody(Map.class);
        boolean canHaveChanged = logged.updated() == null || !(product.get("updated") instanceof Number updated)
                || updated.longValue() > logged.updated() || logged.deleted() || withPrices && !logged.priceSynced();
        return !canHaveChanged;
    }

    @Override
    public boolean remove(Exchange exchange, String productId) {
        return pageLog(exchange).unwrite(productId);
    }

    @Override
    public boolean confirm(Exchange exchange, String productId) {
        return true;
    }

    @Override
    public boolean add(String productId) {
        throw new UnsupportedOperationException(NO_EXCHANGE);
    }

    @Override
    public boolean contains(String productId) {
        throw new UnsupportedOperationException(NO_EXCHANGE);
    }

    @Override
    public boolean remove(String productId) {
        throw new UnsupportedOperationException(NO_EXCHANGE);
    }

    @Override
    public boolean confirm(String productId) {
        throw new UnsupportedOperationException(NO_EXCHANGE);
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the products log is an audit trail: it is never cleared");
    }

    /** The value with every NUL (in strings, keys and nested values) replaced by U+FFFD; {@code replaced} says if any. */
    private static Object withoutNul(Object value, boolean[] replaced) {
        if (value instanceof String text) {
            if (text.indexOf('\u0000') < 0) {
                return text;
            }
            replaced[0] = true;
            return text.replace('\u0000', '\uFFFD');
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(withoutNul(k, replaced), withoutNul(v, replaced)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> withoutNul(item, replaced)).toList();
        }
        return value;
    }

    /**
     * The products the page's statement writes, as a JSON array (a parameter of sql/products-log-page.sql): written
     * straight to text, not marshalled to bytes and converted again.
     */
    public String toWriteJson(Exchange exchange) throws JsonProcessingException {
        return json.writeValueAsString(pageLog(exchange).getToWrite());
    }

    private String json(Object product) {
        try {
            return json.writeValueAsString(product);
        } catch (JsonProcessingException e) {
            return String.valueOf(product);
        }
    }

    private static PageLog pageLog(Exchange exchange) {
        return exchange.getProperty(PAGE_LOG, PageLog.class);
    }
}
