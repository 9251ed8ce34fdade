package io.stripesync.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the products of one page that the route marked {@value #TO_WRITE} (new to the log, or updated in Stripe
 * since the log saw them) into one list, so the page is written with a single statement. The result is an empty list
 * when there is nothing to write.
 *
 * <p>The result is a fresh exchange: the splitter copies the result's properties back onto the page's exchange, and a
 * per-product property left there (the duplicate flag, the to-write mark) would be inherited by every product of the
 * next page.
 */
@Component("productsToWrite")
public class ProductsToWrite implements AggregationStrategy {

    /** Exchange property the route sets on a product the page's statement must see. */
    public static final String TO_WRITE = "stripeProductToWrite";

    private static final List<String> WRITTEN_FIELDS = List.of("id", "name", "description", "active", "livemode",
            "metadata", "created", "updated", "default_price");

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange gathered, Exchange next) {
        Exchange result = gathered;
        if (result == null) {
            result = new DefaultExchange(next.getContext());
            result.getMessage().setBody(new ArrayList<>());
        }
        if (next.getProperty(TO_WRITE, false, Boolean.class)) {
            result.getMessage().getBody(List.class).add(written(next.getMessage().getBody(Map.class)));
        }
        return result;
    }

    /**
     * The fields of a product that sql/log-page-products.sql reads, and only those: images, features, dimensions and
     * the rest would be sent to the database and parsed there for nothing (a third of a page's statement time).
     */
    static Map<String, Object> written(Map<String, Object> product) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : WRITTEN_FIELDS) {
            if (product.containsKey(field)) {
                fields.put(field, product.get(field));
            }
        }
        return fields;
    }
}
