package io.stripesync.web;

import io.stripesync.config.LogSafe;
import jakarta.servlet.http.HttpServletRequest;

/** Who sent a request, as recorded with the run it triggers ({@code stripe_sync_runs.requested_by}) and logged. */
public final class Callers {

    /** A user agent is cut to this length: it is a hint, not evidence, and the caller writes it. */
    static final int MAX_USER_AGENT = 200;

    private Callers() {
    }

    /**
     * {@code 203.0.113.7 (pg_net/0.8.0)}: the client's address (the proxy's, unless the proxy is declared trusted:
     * {@code server.forward-headers-strategy}) and its user agent, control characters escaped, if it sent one.
     */
    public static String describe(HttpServletRequest request) {
        String address = LogSafe.text(request.getRemoteAddr());
        String userAgent = request.getHeader("User-Agent");
        if (userAgent == null || userAgent.isBlank()) {
            return address;
        }
        String agent = userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) + "..." : userAgent;
        return address + " (" + LogSafe.text(agent) + ")";
    }
}
