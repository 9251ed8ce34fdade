package io.stripesync.product;

import io.stripesync.config.MetadataPairs;
import io.stripesync.config.Moments;
import io.stripesync.config.SyncSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Which products are logged, from the filter settings (SYNC_FILTER_INCLUDE_ARCHIVED, SYNC_FILTER_CREATED_AFTER,
 * SYNC_FILTER_CREATED_BEFORE, SYNC_FILTER_METADATA, SYNC_FILTER_EXCLUDE_IDS). What Stripe can filter itself is sent
 * as query parameters ({@link #stripeParams()}), so a narrower walk costs fewer requests; {@link #wants} checks every
 * product all the same. The team's own rule comes after this, in routes/product-rules.camel.yaml.
 */
@Component("productFilter")
public class ProductFilter {

    private final boolean includeArchived;
    private final Instant createdFrom;
    private final Instant createdBefore;
    private final Map<String, Set<String>> metadata;
    private final Set<String> excludedIds;

    public ProductFilter(SyncSettings settings) {
        SyncSettings.Filter filter = settings.filter();
        this.includeArchived = filter.includeArchived();
        this.createdFrom = momentOrNull(filter.createdAfter());
        this.createdBefore = momentOrNull(filter.createdBefore());
        this.metadata = MetadataPairs.parse(filter.metadata());
        this.excludedIds = Arrays.stream(filter.excludeIds().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Instant momentOrNull(String text) {
        return text.isBlank() ? null : Moments.parse(text);
    }

    /** Exchange property: whether the product is logged (the settings', then the team's rule, say so). */
    public static final String WANTED = "stripeProductWanted";

    /** Sets {@value #WANTED} to what {@link #wants} says of the product (the body); a step, not a per-product copy. */
    @SuppressWarnings("unchecked")
    public void apply(org.apache.camel.Exchange exchange) {
        exchange.setProperty(WANTED, wants(exchange.getMessage().getBody(Map.class)));
    }

    /** Whether the settings let this (well-formed) product into the log. */
    public boolean wants(Map<String, Object> product) {
        if (excludedIds.contains(product.get("id"))) {
            return false;
        }
        if (!includeArchived && Boolean.FALSE.equals(product.get("active"))) {
            return false;
        }
        long created = ((Number) product.get("created")).longValue();
        if (createdFrom != null && created < createdFrom.getEpochSecond()) {
            return false;
        }
        if (createdBefore != null && created >= createdBefore.getEpochSecond()) {
            return false;
        }
        Map<?, ?> tags = product.get("metadata") instanceof Map<?, ?> map ? map : Map.of();
        // a product without the key does not match (and a TreeSet cannot be asked about null)
        return metadata.entrySet().stream()
                .allMatch(e -> tags.get(e.getKey()) instanceof String value && e.getValue().contains(value));
    }

    /**
     * The filters Stripe applies itself, other than creation time, as query parameters of GET /v1/products (empty,
     * or starting with &). The creation-time filters bound the walk's windows: created[gte] / created[lt].
     */
    public String stripeParams() {
        return includeArchived ? "" : "&active=true";
    }

    /** SYNC_FILTER_CREATED_AFTER in unix seconds (the walk's created[gte]), or null. */
    public Long createdFromSeconds() {
        return createdFrom == null ? null : createdFrom.getEpochSecond();
    }

    /** SYNC_FILTER_CREATED_BEFORE in unix seconds (the walk's created[lt]), or null. */
    public Long createdUntilSeconds() {
        return createdBefore == null ? null : createdBefore.getEpochSecond();
    }

    /** Stripe lists only part of the catalogue, so a walk cannot tell a deleted product from a filtered one. */
    public boolean narrowsWalk() {
        return !includeArchived || createdFrom != null || createdBefore != null;
    }
}
