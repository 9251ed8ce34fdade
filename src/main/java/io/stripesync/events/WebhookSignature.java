package io.stripesync.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stripesync.config.LogSafe;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.stripesync.config.StripeSettings;
import org.springframework.stereotype.Component;

/**
 * Authenticates a webhook delivery as Stripe signs it: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>]}, where a
 * valid v1 is HMAC-SHA256(secret, "t.<raw body>"), compared in constant time, any v1 against any configured secret,
 * with t within the tolerance. Stripe cannot send our bearer token: the signature is the authentication.
 */
@Component("webhookSignature")
public class WebhookSignature {

    /** A delivery refused: the HTTP status to answer and what to say (never the secret, never the body). */
    public static class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int getStatus() {
            return status;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WebhookSignature.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<byte[]> secrets;
    private final long toleranceSeconds;
    private final EventMetrics metrics;

    public WebhookSignature(StripeSettings stripe, EventMetrics metrics) {
        this.secrets = stripe.webhookSecrets().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.toleranceSeconds = stripe.webhookToleranceSeconds();
        this.metrics = metrics;
    }

    /**
     * The delivered event, parsed once its signature holds; else {@link Refused} (404 or 400). Its size was limited
     * before any route ran (web.TriggerBodyFilter: 413 past STRIPE_WEBHOOK_MAX_BODY_BYTES, 400 when not JSON).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> verify(Exchange exchange) {
        if (secrets.isEmpty()) {
            throw new Refused(404, "the webhook endpoint is off: set STRIPE_WEBHOOK_SECRET");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            throw new Refused(400, "no body");
        }
        String header = exchange.getMessage().getHeader("Stripe-Signature", String.class);
        String problem = problemOf(header, body);
        if (problem != null) {
            metrics.signatureFailed();
            log.warn("Webhook refused: {}{}", problem, eventIdOf(body));
            throw new Refused(400, "invalid signature");
        }
        try {
            return JSON.readValue(body, Map.class);
        } catch (java.io.IOException e) {
            throw new Refused(400, "the body is not a JSON event");
        }
    }

    /** Why the signature does not hold, or null when it does. */
    String problemOf(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return "no Stripe-Signature header";
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String name = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            try {
                if (name.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (name.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException malformed) {
                return "malformed Stripe-Signature header";
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return "malformed Stripe-Signature header (no t or no v1)";
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > toleranceSeconds) {
            return "timestamp outside the tolerance of " + toleranceSeconds + " s";
        }
        byte[] signedPayload = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, signedPayload);
            for (byte[] signature : signatures) {
                if (MessageDigest.isEqual(expected, signature)) {
                    return null;
                }
            }
        }
        return "no signature matches";
    }

    /** For the log line: the event id, if one parses (nothing else of the body). */
    private static String eventIdOf(byte[] body) {
        try {
            Object id = JSON.readTree(body).path("id").asText(null);
            return id == null ? "" : " (event " + LogSafe.text(id) + ")";
        } catch (java.io.IOException | RuntimeException notJson) {
            return "";
        }
    }

    private static byte[] hmac(byte[] secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
