package io.stripesync.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A catalogue of {@code size} products computed on demand, for benchmarks: it holds nothing in memory, so the heap
 * a benchmark measures is the service's. Product {@code i} (0 = oldest) is {@code prod_Gen<i>}, created at
 * {@code base + i} seconds; the list is newest first, as Stripe's.
 */
public class GeneratedCatalogue implements ProductSource {

    private static final long BASE_CREATED = 1_500_000_000L;

    private final int size;

    public GeneratedCatalogue(int size) {
        this.size = size;
    }

    @Override
    public Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter) {
        int next = size - 1;
        if (startingAfter != null) {
            if (!startingAfter.startsWith("prod_Gen")) {
                return null;
            }
            next = Integer.parseInt(startingAfter.substring("prod_Gen".length())) - 1;
        }
        List<Map<String, Object>> data = new ArrayList<>(limit);
        for (; next >= 0 && data.size() < limit; next--) {
            Map<String, Object> product = product(next);
            if (filter.test(product)) {
                data.add(product);
            }
        }
        return ProductSource.listPage(data, next >= 0);
    }

    private static Map<String, Object> product(int i) {
        Map<String, Object> product = StripeCatalogue.product(String.format("prod_Gen%010d", i),
                "Generated product " + i, BASE_CREATED + i);
        product.put("metadata", Map.of("project", i % 2 == 0 ? "omnia" : "atlas"));
        return product;
    }
}
