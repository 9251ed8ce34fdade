package io.stripesync.standin;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a {@link StripeStandIn} lists: one page of products (or prices) in Stripe's order, or null for an unknown
 * cursor; and the price behind an id, for {@code expand[]=data.default_price}.
 */
public interface ProductSource {

    Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter);

    /**
     * The same, told the creation-time bounds of the request ({@code from <= created < until}, null: none) as well as
     * the filter that checks them, for a source that can go to them directly (as Stripe's index does).
     */
    default Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter,
                                     Long from, Long until) {
        return page(limit, startingAfter, filter);
    }

    /** The price with this id, or null. */
    Map<String, Object> price(String id);

    /** One page of {@code GET /v1/prices}, newest first, or null for an unknown cursor. */
    Map<String, Object> pricesPage(int limit, String startingAfter);

    /** The JSON object of a Stripe list page. */
    static Map<String, Object> listPage(List<Map<String, Object>> data, boolean hasMore) {
        return listPage(data, hasMore, "/v1/products");
    }

    static Map<String, Object> listPage(List<Map<String, Object>> data, boolean hasMore, String url) {
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", data);
        page.put("has_more", hasMore);
        page.put("url", url);
        return page;
    }
}
