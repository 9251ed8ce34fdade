package io.stripesync.walk;

import java.util.List;
import java.util.Map;
import io.stripesync.config.LogSafe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Checks that a parsed Stripe response is a list page that moves the walk on, before the route logs it. A page that
 * is not is malformed: retried like a garbled response, and the run fails if it stays so.
 */
@Component("stripePage")
public class StripePage {

    /** Exchange property: the last object's id of a page that has more, where the next page starts; else null. */
    public static final String LAST_ID = "stripePageLastId";

    /**
     * Checks the page (the body) and sets it as {@value WindowSource#PAGE}, with {@value WindowSource#HAS_MORE} and
     * {@value #LAST_ID}, or throws {@link MalformedStripePageException}. The route reads these plain properties:
     * Simple's map navigation ({@code stripePage[data][last][id]}) re-hashes the whole page at every step.
     */
    public void check(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof Map<?, ?> page) || !"list".equals(page.get("object"))) {
            throw new MalformedStripePageException("is not a Stripe list object");
        }
        if (!(page.get("data") instanceof List<?> data)) {
            throw new MalformedStripePageException("has no 'data' array");
        }
        if (!(page.get("has_more") instanceof Boolean hasMore)) {
            throw new MalformedStripePageException("has no boolean 'has_more'");
        }
        String lastId = hasMore ? continuesFrom(data, exchange.getProperty(WindowSource.WINDOW, Window.class)) : null;
        exchange.setProperty(WindowSource.PAGE, page);
        exchange.setProperty(WindowSource.HAS_MORE, hasMore);
        exchange.setProperty(LAST_ID, lastId);
    }

    /** The objects of the page being logged (the split's list). */
    public List<?> dataOf(@ExchangeProperty(WindowSource.PAGE) Map<?, ?> page) {
        return (List<?>) page.get("data");
    }

    /** Where the next page of a page that has more starts: its last object's id, never one already walked. */
    private static String continuesFrom(List<?> data, Window window) {
        if (data.isEmpty() || !(data.get(data.size() - 1) instanceof Map<?, ?> last)
                || !(last.get("id") instanceof String lastId)) {
            throw new MalformedStripePageException("says has_more but its last object has no id to continue from");
        }
        // a list that hands back a page already seen (the cursor just sent, or an earlier one) would never end
        if (window != null && !window.firstTimeSeen(lastId)) {
            throw new MalformedStripePageException("says has_more but repeats a page already walked (it ends at "
                    + LogSafe.text(lastId) + " again): the list does not move on");
        }
        return lastId;
    }

    /** The query with {@code &starting_after=<cursor>}, URL-encoded, appended. */
    public String continueAfter(@Header(Exchange.HTTP_QUERY) String query,
                                @ExchangeProperty("stripeStartingAfter") String cursor) {
        return query + "&starting_after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }

    public static class MalformedStripePageException extends RuntimeException {
        MalformedStripePageException(String problem) {
            super("Stripe's response " + problem);
        }
    }
}
