package io.stripesync.product;

import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Says what makes a product impossible to log, or null when it can be logged. (A NUL character in a text field is not
 * such a problem: the products log stores it as U+FFFD and records a warning, see ProductsLog.) Such a product is set aside
 * in stripe_sync_failures instead of stopping the run (or being logged wrong).
 */
@Component("productCheck")
public class ProductCheck {

    /** Exchange property: why the product cannot be logged, or null. */
    public static final String PROBLEM = "stripeProductProblem";
    /** Exchange property: the product's id (the idempotent consumer's key), set when it can be logged. */
    public static final String PRODUCT_ID = "stripeProductId";

    /**
     * Checks the product (the body) and sets {@value #PROBLEM} and {@value #PRODUCT_ID}. A processor step rather than
     * an expression: Camel evaluates a bean expression on a copy of the exchange, per product.
     */
    public void check(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        String problem = problemOf(body);
        exchange.setProperty(PROBLEM, problem);
        exchange.setProperty(PRODUCT_ID, problem == null ? ((Map<?, ?>) body).get("id") : null);
    }

    public String problemOf(Object body) {
        if (!(body instanceof Map<?, ?> product)) {
            return "is not a JSON object";
        }
        if (!(product.get("id") instanceof String id) || id.isBlank()) {
            return "has no id";
        }
        if (id.indexOf('\u0000') >= 0) {
            return "has a NUL character (\\u0000) in its id, which PostgreSQL text cannot store";
        }
        if (!isWholeNumber(product.get("created"))) {
            return "has no 'created' unix timestamp";
        }
        if (product.get("updated") != null && !isWholeNumber(product.get("updated"))) {
            return "'updated' is not a unix timestamp";
        }
        for (String flag : new String[] {"active", "livemode"}) {
            if (product.get(flag) != null && !(product.get(flag) instanceof Boolean)) {
                return "'" + flag + "' is not a boolean";
            }
        }
        for (String text : new String[] {"name", "description"}) {
            if (product.get(text) != null && !(product.get(text) instanceof String)) {
                return "'" + text + "' is not a string";
            }
        }
        if (product.get("metadata") != null && !(product.get("metadata") instanceof Map)) {
            return "'metadata' is not an object";
        }
        return null;
    }

    private static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
    }
}
