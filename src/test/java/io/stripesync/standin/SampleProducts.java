package io.stripesync.standin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalogue that looks like a real company's: several projects, archived products, unicode, years of history. */
public final class SampleProducts {

    private static final List<String> PROJECTS = List.of("omnia", "atlas", "helios");
    private static final List<String> KINDS = List.of("Starter plan", "Pro plan", "Team seat", "Add-on: storage",
            "Café crème subscription", "Ürün paketi", "Support hours", "Workshop ticket 🎟️", "API credits");

    private SampleProducts() {
    }

    public static void fill(StripeCatalogue catalogue, int count) {
        long first = Instant.parse("2017-06-01T09:00:00Z").getEpochSecond();
        long span = Instant.now().getEpochSecond() - first;
        for (int i = 0; i < count; i++) {
            long created = first + span * i / count;
            Map<String, Object> product = StripeCatalogue.product(String.format("prod_Sample%08d", i),
                    KINDS.get(i % KINDS.size()) + " #" + (i + 1), created);
            product.put("active", i % 7 != 0);
            product.put("description", i % 3 == 0 ? null : "Sample product " + (i + 1) + " of the local stand-in");
            if (i % 5 != 0) {
                product.put("metadata", Map.of("project", PROJECTS.get(i % PROJECTS.size()), "sku", "SKU-" + i));
            }
            catalogue.add(product);
        }
    }
}
