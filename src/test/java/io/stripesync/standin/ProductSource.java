package io.stripesync.standin;

import java.util.Map;
import java.util.function.Predicate;

/** What a {@link StripeStandIn} lists: one page of products in Stripe's order, or null for an unknown cursor. */
public interface ProductSource {

    Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter);

    /** The JSON object of a Stripe list page. */
    static Map<String, Object> listPage(java.util.List<Map<String, Object>> data, boolean hasMore) {
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", data);
        page.put("has_more", hasMore);
        page.put("url", "/v1/products");
        return page;
    }
}
