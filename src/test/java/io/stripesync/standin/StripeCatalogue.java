package io.stripesync.standin;

import io.stripesync.TestJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The products and prices a {@link StripeStandIn} serves, listed as Stripe lists them: newest first by
 * {@code created}, ties in a stable order, paged with {@code starting_after}. Products and prices are built from
 * Stripe's own fixtures; a product's {@code default_price} is a price id, expanded by the stand-in when asked.
 */
public class StripeCatalogue implements ProductSource {

    private static final Map<String, Object> TEMPLATE = TestJson.fixture("/stripe/product.json");
    private static final Map<String, Object> PRICE_TEMPLATE = TestJson.fixture("/stripe/price.json");
    private static final Comparator<Map<String, Object>> STRIPE_ORDER = Comparator
            .comparingLong(StripeCatalogue::createdOf).reversed()
            .thenComparing(p -> String.valueOf(p.get("id")), Comparator.reverseOrder());

    private final List<Map<String, Object>> products = new ArrayList<>();
    private final Map<String, Integer> positionById = new HashMap<>();
    private final List<Map<String, Object>> prices = new ArrayList<>();
    private final Map<String, Integer> pricePositionById = new HashMap<>();
    private long sequence;
    /** Stripe's events, newest first, as GET /v1/events lists them. */
    private final List<Map<String, Object>> events = new ArrayList<>();
    private long eventSequence;

    /** A product shaped exactly like Stripe's fixture, with the given id, name and creation time. */
    public static Map<String, Object> product(String id, String name, long created) {
        // nested objects of the fixture are shared and never changed: a shallow copy is enough and cheap
        Map<String, Object> product = new LinkedHashMap<>(TEMPLATE);
        product.put("id", id);
        product.put("name", name);
        product.put("created", created);
        product.put("updated", created);
        product.put("metadata", new LinkedHashMap<String, String>());
        product.put("default_price", null);
        return product;
    }

    /** A product the service cannot log faithfully (its metadata is not an object): set aside by a run. */
    public static Map<String, Object> unreadable(String id, String name, long created) {
        Map<String, Object> product = product(id, name, created);
        product.put("metadata", "not an object");
        return product;
    }

    /**
     * A price shaped exactly like Stripe's fixture (recurring, monthly, per unit), with the given id, product,
     * currency, amount in minor units and creation time.
     */
    public static Map<String, Object> price(String id, String productId, String currency, Long unitAmount,
                                            long created) {
        Map<String, Object> price = new LinkedHashMap<>(PRICE_TEMPLATE);
        price.put("id", id);
        price.put("product", productId);
        price.put("currency", currency);
        price.put("unit_amount", unitAmount);
        price.put("unit_amount_decimal", unitAmount == null ? null : String.valueOf(unitAmount));
        price.put("created", created);
        price.put("custom_unit_amount", null);
        price.put("metadata", new LinkedHashMap<String, String>());
        return price;
    }

    /** Adds a price; a product refers to it by putting its id in {@code default_price}. */
    public synchronized void addPrice(Map<String, Object> price) {
        prices.add(price);
        reorder();
    }

    /** Deletes a product, as Stripe does: it is no longer listed. */
    public synchronized void remove(String productId) {
        products.removeIf(p -> productId.equals(p.get("id")));
        reorder();
    }

    @Override
    public synchronized Map<String, Object> price(String id) {
        Integer position = pricePositionById.get(id);
        return position == null ? null : prices.get(position);
    }

    @Override
    public synchronized Map<String, Object> pricesPage(int limit, String startingAfter) {
        int from = 0;
        if (startingAfter != null) {
            Integer position = pricePositionById.get(startingAfter);
            if (position == null) {
                return null;
            }
            from = position + 1;
        }
        int to = Math.min(prices.size(), from + limit);
        return ProductSource.listPage(new ArrayList<>(prices.subList(from, to)), to < prices.size(), "/v1/prices");
    }

    public synchronized void add(Map<String, Object> product) {
        products.add(product);
        reorder();
    }

    /**
     * Adds {@code count} plain products, created one second apart after every product already here, each with its
     * own default price ({@code price_Gen<n>}, usd, 1000 + n cents a month).
     */
    public synchronized List<String> addGenerated(int count) {
        long created = products.stream().mapToLong(StripeCatalogue::createdOf).max()
                .orElse(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond());
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("prod_Gen%010d", ++sequence);
            Map<String, Object> product = product(id, "Generated product " + sequence, ++created);
            String priceId = String.format("price_Gen%010d", sequence);
            prices.add(price(priceId, id, "usd", 1000L + sequence, created));
            product.put("default_price", priceId);
            products.add(product);
            ids.add(id);
        }
        reorder();
        return ids;
    }

    /**
     * Creates a product as the dashboard would: listed from now on, with a {@code product.created} event (and a
     * {@code price.created} one for its default price).
     */
    public synchronized Map<String, Object> create(String id, String name) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> product = product(id, name, now);
        String priceId = "price_" + id.substring(id.indexOf('_') + 1);
        Map<String, Object> price = price(priceId, id, "usd", 500L, now);
        prices.add(price);
        product.put("default_price", priceId);
        products.add(product);
        reorder();
        emit("price.created", price);
        emit("product.created", product);
        return product;
    }

    /** Changes a product as the dashboard would: {@code updated} moves on, a {@code product.updated} event. */
    @SuppressWarnings("unchecked")
    public synchronized void update(String id, Map<String, Object> changes) {
        Map<String, Object> product = products.get(positionById.get(id));
        Map<String, Object> previous = new LinkedHashMap<>();
        changes.keySet().forEach(field -> previous.put(field, product.get(field)));
        product.putAll(changes);
        product.put("updated", Math.max(Instant.now().getEpochSecond(), ((Number) product.get("updated")).longValue() + 1));
        Map<String, Object> event = emit("product.updated", product);
        ((Map<String, Object>) event.get("data")).put("previous_attributes", previous);
    }

    /** A new default price for a product: a {@code price.created} and a {@code product.updated} event. */
    public synchronized String changeDefaultPrice(String productId, long unitAmount) {
        String priceId = "price_" + productId.substring(productId.indexOf('_') + 1) + "_" + (++eventSequence);
        Map<String, Object> price = price(priceId, productId, "usd", unitAmount, Instant.now().getEpochSecond());
        prices.add(price);
        reorder();
        emit("price.created", price);
        update(productId, Map.of("default_price", priceId));
        return priceId;
    }

    /** Deletes a product as the dashboard would: no longer listed, a {@code product.deleted} event. */
    public synchronized void delete(String id) {
        Map<String, Object> product = products.get(positionById.get(id));
        remove(id);
        emit("product.deleted", product);
    }

    /** Records an event of any type (other types than products' and prices' too). */
    public synchronized Map<String, Object> emit(String type, Map<String, Object> object) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("object", TestJson.JSON.convertValue(object, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {}));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", String.format("evt_StandIn%010d", ++eventSequence));
        event.put("object", "event");
        event.put("api_version", "2020-08-27");
        event.put("created", Instant.now().getEpochSecond());
        event.put("data", data);
        event.put("livemode", false);
        event.put("pending_webhooks", 0);
        event.put("type", type);
        events.add(0, event);
        return event;
    }

    /**
     * One page of {@code GET /v1/events}: newest first, of the given types (all when empty), created at or after
     * {@code createdGte} (when not null), after {@code startingAfter}. Null when the cursor is unknown.
     */
    public synchronized Map<String, Object> eventsPage(int limit, String startingAfter, List<String> types,
                                                       Long createdGte) {
        List<Map<String, Object>> matching = events.stream()
                .filter(e -> types.isEmpty() || types.contains(e.get("type")))
                .filter(e -> createdGte == null || ((Number) e.get("created")).longValue() >= createdGte).toList();
        int from = 0;
        if (startingAfter != null) {
            from = -1;
            for (int i = 0; i < matching.size(); i++) {
                if (startingAfter.equals(matching.get(i).get("id"))) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                return null;
            }
        }
        int to = Math.min(matching.size(), from + limit);
        return ProductSource.listPage(new ArrayList<>(matching.subList(from, to)), to < matching.size(), "/v1/events");
    }

    /** The events recorded so far, newest first. */
    public synchronized List<Map<String, Object>> events() {
        return List.copyOf(events);
    }

    public synchronized void clear() {
        events.clear();
        eventSequence = 0;
        products.clear();
        positionById.clear();
        prices.clear();
        pricePositionById.clear();
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
        prices.sort(STRIPE_ORDER);
        pricePositionById.clear();
        for (int i = 0; i < prices.size(); i++) {
            pricePositionById.put((String) prices.get(i).get("id"), i);
        }
    }
}
