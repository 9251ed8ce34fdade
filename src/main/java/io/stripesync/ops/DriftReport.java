package io.stripesync.ops;

import io.stripesync.config.Moments;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** The drift report's one parameter, {@code ?since=}, read with {@link Moments}. */
@Component("driftReport")
public class DriftReport {

    /** The moment as an ISO timestamp, or null (the route answers 400) when it is missing or unreadable. */
    public String since(@Header("since") String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Moments.parse(since).toString();
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }
}
