package io.stripesync.sync;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.springframework.stereotype.Component;

/**
 * Gathers the products of one page that the idempotent consumer let through (not marked as duplicates) into one
 * list, so the page is inserted with a single statement. The result is an empty list when every product was logged.
 */
@Component("newProductsOfPage")
public class NewProductsOfPage implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange gathered, Exchange next) {
        Exchange result = gathered != null ? gathered : next;
        List<Object> products = gathered != null ? result.getMessage().getBody(List.class) : new ArrayList<>();
        boolean duplicate = next.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, false, Boolean.class);
        Object product = next.getMessage().getBody();
        if (!duplicate) {
            products.add(product);
        }
        result.getMessage().setBody(products);
        // the splitter copies the result's properties onto the page's exchange: a duplicate flag left here would
        // mark every product of the next page a duplicate
        result.removeProperty(ExchangePropertyKey.DUPLICATE_MESSAGE);
        return result;
    }
}
