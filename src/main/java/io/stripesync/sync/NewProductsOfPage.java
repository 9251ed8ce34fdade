package io.stripesync.sync;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the products of one page that the idempotent consumer marked as new ({@value #NEW_PRODUCT}) into one
 * list, so the page is inserted with a single statement. The result is an empty list when none is new.
 *
 * <p>The result is a fresh exchange: the splitter copies the result's properties back onto the page's exchange, and a
 * per-product property left there (the duplicate flag, the new-product mark) would be inherited by every product of
 * the next page.
 */
@Component("newProductsOfPage")
public class NewProductsOfPage implements AggregationStrategy {

    /** Exchange property the route sets on a product the log lacks. */
    public static final String NEW_PRODUCT = "stripeNewProduct";

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange gathered, Exchange next) {
        Exchange result = gathered;
        if (result == null) {
            result = new DefaultExchange(next.getContext());
            result.getMessage().setBody(new ArrayList<>());
        }
        if (next.getProperty(NEW_PRODUCT, false, Boolean.class)) {
            result.getMessage().getBody(List.class).add(next.getMessage().getBody());
        }
        return result;
    }
}
