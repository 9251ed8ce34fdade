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

    /** Returns the page unchanged, or throws {@link MalformedStripePageException}. */
    public Map<?, ?> check(Exchange exchange) {
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
        if (!hasMore) {
            return page;
        }
        if (data.isEmpty() || !(data.get(data.size() - 1) instanceof Map<?, ?> last)
                || !(last.get("id") instanceof String lastId)) {
            throw new MalformedStripePageException("says has_more but its last object has no id to continue from");
        }
        // a list that hands back a page already seen (the cursor just sent, or an earlier one) would never end
        Window window = exchange.getProperty(WindowSource.WINDOW, Window.class);
        if (window != null && !window.firstTimeSeen(lastId)) {
            throw new MalformedStripePageException("says has_more but repeats a page already walked (it ends at "
                    + LogSafe.text(lastId) + " again): the list does not move on");
        }
        return page;
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
