package io.stripesync.standin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The products a {@link StripeStandIn} serves, listed as Stripe lists them: newest first by {@code created}, ties
 * in a stable order, paged with {@code starting_after}. Products are built from Stripe's own product fixture.
 */
public class StripeCatalogue implements ProductSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> TEMPLATE = readFixture("/stripe/product.json");
    private static final Comparator<Map<String, Object>> STRIPE_ORDER = Comparator
            .comparingLong(StripeCatalogue::createdOf).reversed()
            .thenComparing(p -> String.valueOf(p.get("id")), Comparator.reverseOrder());

    private final List<Map<String, Object>> products = new ArrayList<>();
    private final Map<String, Integer> positionById = new HashMap<>();
    private long sequence;

    /** A product shaped exactly like Stripe's fixture, with the given id, name and creation time. */
    public static Map<String, Object> product(String id, String name, long created) {
        // nested objects of the fixture are shared and never changed: a shallow copy is enough and cheap
        Map<String, Object> product = new LinkedHashMap<>(TEMPLATE);
        product.put("id", id);
        product.put("name", name);
        product.put("created", created);
        product.put("updated", created);
        product.put("metadata", new LinkedHashMap<String, String>());
        return product;
    }

    public synchronized void add(Map<String, Object> product) {
        products.add(product);
        reorder();
    }

    /** Adds {@code count} plain products, created one second apart after every product already here. */
    public synchronized List<String> addGenerated(int count) {
        long created = products.stream().mapToLong(StripeCatalogue::createdOf).max()
                .orElse(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond());
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("prod_Gen%010d", ++sequence);
            products.add(product(id, "Generated product " + sequence, ++created));
            ids.add(id);
        }
        reorder();
        return ids;
    }

    public synchronized void clear() {
        products.clear();
        positionById.clear();
        sequence = 0;
    }

    public synchronized int size() {
        return products.size();
    }

    public synchronized List<Map<String, Object>> all() {
        return List.copyOf(products);
    }

    /**
     * One page as Stripe answers {@code GET /v1/products}: after {@code startingAfter} (null for the first page),
     * at most {@code limit} products passing {@code filter}. Returns null when the cursor is not a known product.
     */
    @Override
    public synchronized Map<String, Object> page(int limit, String startingAfter, Predicate<Map<String, Object>> filter) {
        int from = 0;
        if (startingAfter != null) {
            Integer position = positionById.get(startingAfter);
            if (position == null) {
                return null;
            }
            from = position + 1;
        }
        List<Map<String, Object>> data = new ArrayList<>(limit);
        int i = from;
        for (; i < products.size() && data.size() < limit; i++) {
            if (filter.test(products.get(i))) {
                data.add(products.get(i));
            }
        }
        boolean hasMore = false;
        for (; i < products.size() && !hasMore; i++) {
            hasMore = filter.test(products.get(i));
        }
        return ProductSource.listPage(data, hasMore);
    }

    /** Tests also serve malformed products: one without a numeric 'created' sorts as the oldest. */
    static long createdOf(Map<String, Object> product) {
        return product.get("created") instanceof Number created ? created.longValue() : 0;
    }

    private void reorder() {
        products.sort(STRIPE_ORDER);
        positionById.clear();
        for (int i = 0; i < products.size(); i++) {
            positionById.put((String) products.get(i).get("id"), i);
        }
    }

    private static Map<String, Object> readFixture(String resource) {
        try (InputStream in = StripeCatalogue.class.getResourceAsStream(resource)) {
            return JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
