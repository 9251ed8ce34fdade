package io.stripesync.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import io.stripesync.config.SyncSettings;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Nothing but health's status and the status page's files answer without a token.
 * {@code Authorization: Bearer <SYNC_API_TOKEN>} opens everything;
 * {@code Bearer <SYNC_READ_TOKEN>} (optional) opens what only reads (metrics, health's details, runs, stats, drift:
 * GET and HEAD) and gets 403 elsewhere, so it cannot trigger a sync. Tokens are compared in constant time; a refusal
 * says nothing about why, reads no body (see {@link UnreadBodyValve}), and is decided before any route runs, so
 * Stripe is never called for an unauthenticated request. Wrong tokens are counted per address ({@link FailedLogins}).
 * An authorized request goes on with a principal, which is what actuator's {@code show-details: when-authorized}
 * looks for.
 */
@Component
@Order(1)
public class ApiTokenFilter extends OncePerRequestFilter {

    /** Health's overall status and the probes: all a load balancer or Kubernetes needs, without details. */
    private static final Set<String> OPEN = Set.of("/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness");
    /** Stripe's webhook deliveries: authenticated by their signature, not by a token. */
    static final String WEBHOOK = "/stripe/webhook";
    private static final String BEARER = "Bearer ";
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    /** What a token opens. */
    enum Access {
        ALL("sync-api-token"), READ("sync-read-token");

        private final String principal;

        Access(String principal) {
            this.principal = principal;
        }
    }

    private final byte[] apiToken;
    private final byte[] readToken;
    private final FailedLogins failedLogins;

    public ApiTokenFilter(SyncSettings settings, FailedLogins failedLogins) {
        this.apiToken = Objects.toString(settings.apiToken(), "").getBytes(StandardCharsets.UTF_8);
        this.readToken = Objects.toString(settings.readToken(), "").getBytes(StandardCharsets.UTF_8);
        this.failedLogins = failedLogins;
    }

    /**
     * Decided on the path as the request mapping sees it (decoded, {@code ;parameters} removed), so
     * {@code /%73tripe-sync-products} or {@code /stripe-sync-products;x} cannot slip past.
     */
    static String pathOf(HttpServletRequest request) {
        return PATHS.getPathWithinApplication(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = pathOf(request);
        if (path.equals("/error") || path.startsWith("/error/")) {
            // the container's error page, rendered for failed requests; asked for directly it has nothing to show
            Refusals.answer(response, 404, "not found");
            return;
        }
        if (path.equals(WEBHOOK)) {
            // Stripe cannot send our token: the webhook's signature is its authentication (routes/stripe-events)
            chain.doFilter(request, response);
            return;
        }
        if (StatusPage.isPageFile(request, path)) {
            // the status page carries no data (it reads it with the caller's token); not even a blocked address is
            // refused it: it is what tells the caller it is blocked
            chain.doFilter(request, response);
            return;
        }
        // health's status answers anyone; its details only a caller whose token is right (and not blocked, or
        // health would tell a guessed token from a wrong one)
        boolean open = !path.contains("..") && OPEN.contains(path);
        String address = request.getRemoteAddr();
        Duration blocked = failedLogins.blockedFor(address);
        if (blocked != null) {
            if (open) {
                chain.doFilter(request, response);
                return;
            }
            response.setHeader("Retry-After", String.valueOf(blocked.toSeconds() + 1));
            Refusals.answer(response, 429, "too many wrong tokens from this address: try again later");
            return;
        }
        String header = request.getHeader("Authorization");
        Access access = accessOf(header);
        if (access == null) {
            if (header != null) {
                failedLogins.failed(address, request.getMethod() + " " + path);
            }
            if (open) {
                chain.doFilter(request, response);
                return;
            }
            response.setHeader("WWW-Authenticate", "Bearer");
            Refusals.answer(response, 401, "unauthorized");
            return;
        }
        if (access == Access.READ && !"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            Refusals.answer(response, 403, "this token can only read: triggering a sync needs SYNC_API_TOKEN");
            return;
        }
        chain.doFilter(new Authorized(request, access), response);
    }

    /** The scheme is case-insensitive (RFC 7235); anything but Bearer and a known token opens nothing. */
    private Access accessOf(String header) {
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        boolean all = apiToken.length > 0 && MessageDigest.isEqual(apiToken, given);
        boolean read = readToken.length > 0 && MessageDigest.isEqual(readToken, given);
        return all ? Access.ALL : read ? Access.READ : null;
    }

    /** The request with the token's principal (and nothing of the token). */
    private static final class Authorized extends HttpServletRequestWrapper {

        private final Access access;

        Authorized(HttpServletRequest request, Access access) {
            super(request);
            this.access = access;
        }

        @Override
        public Principal getUserPrincipal() {
            return () -> access.principal;
        }

        @Override
        public String getRemoteUser() {
            return access.principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return access.principal.equals(role);
        }

        @Override
        public String getAuthType() {
            return "Bearer";
        }
    }
}
