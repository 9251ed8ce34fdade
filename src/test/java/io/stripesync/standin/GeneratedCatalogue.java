package io.stripesync.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A catalogue of {@code size} products computed on demand, for benchmarks: it holds nothing in memory, so the heap
 * a benchmark measures is the service's. Product {@code i} (0 = oldest) is {@code prod_Gen<i>}, created at
 * {@code base + i} seconds, with default price {@code price_Gen<i>} (usd, recurring monthly); lists are newest first,
 * as Stripe's.
 */
public class GeneratedCatalogue implements ProductSource {

    private static final long BASE_CREATED = 1_500_000_000L;

    private final int size;

    public GeneratedCatalogue(int size) {
        this.size = size;
    }

    @Override
    public Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter) {
        return page(limit, startingAfter, filter, null, null);
    }

    /**
     * Goes straight to the window's bounds, as Stripe's index does: product i is created at base + i, so a window's
     * first page does not compute every newer product to skip it, nor its last page every older one.
     */
    @Override
    public Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter,
                                    Long from, Long until) {
        int next = start(startingAfter, "prod_Gen");
        if (next == Integer.MIN_VALUE) {
            return null;
        }
        if (until != null) {
            next = (int) Math.min(next, Math.max(-1, until - BASE_CREATED - 1));
        }
        int lowest = from == null ? 0 : (int) Math.min(size, Math.max(0, from - BASE_CREATED));
        List<Map<String, Object>> data = new ArrayList<>(limit);
        for (; next >= lowest && data.size() < limit; next--) {
            Map<String, Object> product = product(next);
            if (filter.test(product)) {
                data.add(product);
            }
        }
        return ProductSource.listPage(data, next >= lowest);
    }

    @Override
    public Map<String, Object> price(String id) {
        return id.startsWith("price_Gen") ? price(Integer.parseInt(id.substring("price_Gen".length()))) : null;
    }

    @Override
    public Map<String, Object> pricesPage(int limit, String startingAfter) {
        int next = start(startingAfter, "price_Gen");
        if (next == Integer.MIN_VALUE) {
            return null;
        }
        List<Map<String, Object>> data = new ArrayList<>(limit);
        for (; next >= 0 && data.size() < limit; next--) {
            data.add(price(next));
        }
        return ProductSource.listPage(data, next >= 0, "/v1/prices");
    }

    private int start(String startingAfter, String prefix) {
        if (startingAfter == null) {
            return size - 1;
        }
        return startingAfter.startsWith(prefix)
                ? Integer.parseInt(startingAfter.substring(prefix.length())) - 1 : Integer.MIN_VALUE;
    }

    private static Map<String, Object> product(int i) {
        Map<String, Object> product = StripeCatalogue.product(String.format("prod_Gen%010d", i),
                "Generated product " + i, BASE_CREATED + i);
        product.put("metadata", Map.of("project", i % 2 == 0 ? "omnia" : "atlas"));
        product.put("default_price", String.format("price_Gen%010d", i));
        return product;
    }

    private static Map<String, Object> price(int i) {
        return StripeCatalogue.price(String.format("price_Gen%010d", i), String.format("prod_Gen%010d", i), "usd",
                1000L + i, BASE_CREATED + i);
    }
}
