package io.stripesync.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The idempotent repository of the sync, backed by {@code stripe_products_log} itself: a product is "processed"
 * exactly when the log holds its row. There is no second table of processed ids that could drift from the log.
 *
 * <p>The route asks once per page ({@link #loggedIn}) and keeps the answer in the exchange property
 * {@value #LOGGED_IDS}; the idempotent consumer's per-product checks are then answered from it, so a page costs one
 * query, not one per product. Marking a product as processed is the insert of its log row, done by the route, which
 * is why {@link #add} writes nothing.
 *
 * <p>The same answer says, for a product already logged, whether it can have changed ({@link #needsWriting}): only
 * when Stripe's {@code updated} is newer than the log's {@code stripe_updated_at} (or the row still lacks what this
 * run would add). Unchanged products cost nothing more.
 */
@Component("productsLog")
public class ProductsLog extends ServiceSupport implements IdempotentRepository {

    public static final String LOGGED_IDS = "stripeLoggedIds";

    private static final String SELECT_LOGGED_AMONG = """
            SELECT stripe_product_id, extract(epoch FROM stripe_updated_at)::bigint AS updated,
                   price_synced_at IS NOT NULL AS price_synced, deleted_at IS NOT NULL AS deleted
              FROM stripe_products_log WHERE stripe_product_id = ANY (?)""";
    private static final String SELECT_ONE = "SELECT count(*) FROM stripe_products_log WHERE stripe_product_id = ?";

    private final JdbcTemplate jdbc;
    private final boolean withPrices;

    public ProductsLog(JdbcTemplate jdbc, @Value("${sync.prices.enabled}") boolean withPrices) {
        this.jdbc = jdbc;
        this.withPrices = withPrices;
    }

    /** What the log holds of a product: Stripe's {@code updated} it last saw (epoch seconds, null if never). */
    record Logged(Long updated, boolean priceSynced, boolean deleted) {
    }

    /** Which of these Stripe products the log already holds, and how it last saw them: one statement per page. */
    public Map<String, Logged> loggedIn(List<Map<String, Object>> products) {
        String[] ids = products.stream().map(p -> p.get("id")).filter(String.class::isInstance)
                .toArray(String[]::new);
        if (ids.length == 0) {
            return Map.of();
        }
        return jdbc.execute((ConnectionCallback<Map<String, Logged>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SELECT_LOGGED_AMONG)) {
                statement.setArray(1, connection.createArrayOf("text", ids));
                Map<String, Logged> logged = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long updated = rows.getLong("updated");
                        logged.put(rows.getString(1), new Logged(rows.wasNull() ? null : updated,
                                rows.getBoolean("price_synced"), rows.getBoolean("deleted")));
                    }
                }
                return logged;
            }
        });
    }

    /**
     * Called for each product past the idempotent consumer: a new product must be written; a logged one only when it
     * can have changed: Stripe updated it after the log last saw it, the log never compared it, it is marked deleted,
     * or price sync is on and its row has no price columns yet.
     */
    @SuppressWarnings("unchecked")
    public boolean needsWriting(Exchange exchange) {
        if (!exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            return true;
        }
        Map<String, Object> product = exchange.getMessage().getBody(Map.class);
        Logged logged = ((Map<String, Logged>) exchange.getProperty(LOGGED_IDS, Map.class)).get(product.get("id"));
        if (logged == null) {
            return true;
        }
        return logged.updated() == null || !(product.get("updated") instanceof Number updated)
                || updated.longValue() > logged.updated() || logged.deleted() || withPrices && !logged.priceSynced();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean contains(Exchange exchange, String productId) {
        Map<String, Logged> logged = exchange.getProperty(LOGGED_IDS, Map.class);
        return logged != null ? logged.containsKey(productId) : contains(productId);
    }

    @Override
    public boolean contains(String productId) {
        Integer count = jdbc.queryForObject(SELECT_ONE, Integer.class, productId);
        return count != null && count > 0;
    }

    @Override
    public boolean add(String productId) {
        return true;
    }

    @Override
    public boolean confirm(String productId) {
        return true;
    }

    @Override
    public boolean remove(String productId) {
        return false;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the products log is an audit trail: it is never cleared");
    }
}
