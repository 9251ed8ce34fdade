package io.stripesync.sync;

import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Checks that a parsed Stripe response is a list page before the route walks it. */
@Component("stripePage")
public class StripePage {

    /** Returns the page unchanged, or throws {@link MalformedStripePageException} (retried like a garbled response). */
    public Map<?, ?> check(Object body) {
        if (!(body instanceof Map<?, ?> page) || !"list".equals(page.get("object"))) {
            throw new MalformedStripePageException("is not a Stripe list object");
        }
        if (!(page.get("data") instanceof List<?> data)) {
            throw new MalformedStripePageException("has no 'data' array");
        }
        if (!(page.get("has_more") instanceof Boolean hasMore)) {
            throw new MalformedStripePageException("has no boolean 'has_more'");
        }
        if (hasMore && (data.isEmpty() || !(data.get(data.size() - 1) instanceof Map<?, ?> last)
                || !(last.get("id") instanceof String))) {
            throw new MalformedStripePageException("says has_more but its last product has no id to continue from");
        }
        return page;
    }

    /** The id to pass as {@code starting_after} for the page after this one. */
    static String lastId(Map<?, ?> page) {
        List<?> data = (List<?>) page.get("data");
        return data.isEmpty() ? null : (String) ((Map<?, ?>) data.get(data.size() - 1)).get("id");
    }

    public static class MalformedStripePageException extends RuntimeException {
        MalformedStripePageException(String problem) {
            super("Stripe's response " + problem);
        }
    }
}
