package io.stripesync.standin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A catalogue that looks like a real company's: several projects, archived products, unicode, years of history. */
public final class SampleProducts {

    private static final List<String> PROJECTS = List.of("omnia", "atlas", "helios");
    private static final List<String> CURRENCIES = List.of("usd", "eur", "usd", "jpy", "gbp");
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
            // most products have a default price, in a few currencies (JPY has no minor unit)
            if (i % 4 != 3) {
                String currency = CURRENCIES.get(i % CURRENCIES.size());
                long amount = "jpy".equals(currency) ? 500L * (1 + i % 9) : 990L + 1000L * (i % 9);
                String priceId = String.format("price_Sample%08d", i);
                catalogue.addPrice(StripeCatalogue.price(priceId, (String) product.get("id"), currency, amount,
                        created));
                product.put("default_price", priceId);
            }
            catalogue.add(product);
        }
    }
}
