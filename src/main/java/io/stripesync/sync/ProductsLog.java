package io.stripesync.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The idempotent repository of the sync, backed by {@code stripe_products_log} itself: a product is "processed"
 * exactly when the log holds its row. There is no second table of processed ids that could drift from the log.
 *
 * <p>The route asks once per page ({@link #loggedIdsIn}) and keeps the answer in the exchange property
 * {@value #LOGGED_IDS}; the idempotent consumer's per-product checks are then answered from it, so a page costs one
 * query, not one per product. Marking a product as processed is the insert of its log row, done by the route, which
 * is why {@link #add} writes nothing.
 */
@Component("productsLog")
public class ProductsLog extends ServiceSupport implements IdempotentRepository {

    public static final String LOGGED_IDS = "stripeLoggedIds";

    private static final String SELECT_LOGGED_AMONG =
            "SELECT stripe_product_id FROM stripe_products_log WHERE stripe_product_id = ANY (?)";
    private static final String SELECT_ONE = "SELECT count(*) FROM stripe_products_log WHERE stripe_product_id = ?";

    private final JdbcTemplate jdbc;

    public ProductsLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Which of these Stripe products the log already holds: one statement for the whole page. */
    public Set<String> loggedIdsIn(List<Map<String, Object>> products) {
        String[] ids = products.stream().map(p -> p.get("id")).filter(String.class::isInstance)
                .toArray(String[]::new);
        if (ids.length == 0) {
            return Set.of();
        }
        return jdbc.execute((ConnectionCallback<Set<String>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SELECT_LOGGED_AMONG)) {
                statement.setArray(1, connection.createArrayOf("text", ids));
                Set<String> logged = new HashSet<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        logged.add(rows.getString(1));
                    }
                }
                return logged;
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean contains(Exchange exchange, String productId) {
        Set<String> logged = exchange.getProperty(LOGGED_IDS, Set.class);
        return logged != null ? logged.contains(productId) : contains(productId);
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
