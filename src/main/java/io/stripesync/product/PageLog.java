package io.stripesync.product;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the log knows of one Stripe page while the route logs it: which of its products the log holds (read once),
 * the products the page's statement will write, those set aside, and how many the filters left out. Made afresh each
 * time the page's logging starts (a retried step starts clean); shared by the split's exchanges of the page.
 */
public final class PageLog {

    /** What the log holds of a product: Stripe's {@code updated} it last saw (epoch seconds, null if never). */
    record Logged(Long updated, boolean priceSynced, boolean deleted) {
    }

    private final Map<String, Logged> logged;
    private final List<Map<String, Object>> toWrite = new ArrayList<>();
    private final List<Object[]> setAside = new ArrayList<>();
    private final List<Object[]> altered = new ArrayList<>();
    private int filtered;

    PageLog(Map<String, Logged> logged) {
        this.logged = logged;
    }

    Logged logged(String productId) {
        return logged.get(productId);
    }

    synchronized void write(Map<String, Object> fields) {
        toWrite.add(fields);
    }

    synchronized boolean unwrite(String productId) {
        return toWrite.removeIf(fields -> productId.equals(fields.get("id")));
    }

    synchronized void setAside(String productId, String reason, String raw) {
        setAside.add(new Object[] {productId, reason, raw});
    }

    synchronized void altered(String productId, String reason, String raw) {
        altered.add(new Object[] {productId, reason, raw});
    }

    synchronized void filteredOut() {
        filtered++;
    }

    /** Read by the route: the products the page's statement writes (new, or changed since the log saw them). */
    public synchronized List<Map<String, Object>> getToWrite() {
        return List.copyOf(toWrite);
    }

    /** Read by the route: whether the page's statement has anything to write. */
    public synchronized boolean isSomethingToWrite() {
        return !toWrite.isEmpty();
    }

    /** Products that cannot be logged: {product id, reason, raw JSON} each. */
    public synchronized List<Object[]> setAside() {
        return List.copyOf(setAside);
    }

    /** Products logged with an alteration (NUL replaced): {product id, reason, raw JSON} each. */
    public synchronized List<Object[]> altered() {
        return List.copyOf(altered);
    }

    public synchronized int filtered() {
        return filtered;
    }
}
