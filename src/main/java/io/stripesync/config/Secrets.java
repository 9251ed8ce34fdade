package io.stripesync.config;

import java.util.List;
import java.util.stream.Stream;
import java.util.Objects;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * The secrets this service holds, so that any text leaving it (a log line, a response, a run's error)
 * can be scrubbed of them. Stripe keys are shown masked the way Stripe does: {@code sk_test_****1234}.
 */
@Component
public class Secrets {

    private final List<String> values;
    private final String stripeSecretKey;

    public Secrets(StripeSettings stripe, SyncSettings sync, DataSourceProperties dataSource) {
        this.stripeSecretKey = stripe.secretKey();
        this.values = java.util.stream.Stream.concat(
                        Stream.of(stripeSecretKey, sync.apiToken(), dataSource.getPassword(), sync.readToken()),
                        stripe.webhookSecrets().stream())
                .filter(Objects::nonNull)
                .filter(s -> s.length() >= 4)
                .toList();
    }

    public String maskedStripeKey() {
        return mask(stripeSecretKey);
    }

    /** {@code sk_test_abcdef1234} becomes {@code sk_test_****1234}; anything else keeps at most its last 4. */
    public static String mask(String key) {
        if (key == null || key.isBlank()) {
            return "(none)";
        }
        int prefixEnd = key.indexOf('_', key.indexOf('_') + 1);
        String prefix = prefixEnd > 0 && prefixEnd < key.length() - 4 ? key.substring(0, prefixEnd + 1) : "";
        String last4 = key.length() > 8 ? key.substring(key.length() - 4) : "";
        return prefix + "****" + last4;
    }

    /** Replaces every secret this service knows in {@code text} by its masked form. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String secret : values) {
            scrubbed = scrubbed.replace(secret, mask(secret));
        }
        return scrubbed;
    }
}
