package io.stripesync.web;

import io.stripesync.config.SyncSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every endpoint but health and metrics (the trigger, run history, statistics, drift) requires
 * {@code Authorization: Bearer <SYNC_API_TOKEN>}. The token is compared in constant time; a refusal says nothing
 * about why, and is decided before any route runs, so Stripe is never called for an unauthenticated request.
 */
@Component
@Order(1)
public class ApiTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final org.springframework.web.util.UrlPathHelper PATHS = new org.springframework.web.util.UrlPathHelper();

    private final byte[] expected;

    public ApiTokenFilter(SyncSettings settings) {
        this.expected = (settings.apiToken() == null ? "" : settings.apiToken()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return isOpen(request);
    }

    /**
     * Only health and metrics ({@code /actuator}) are open; every other path needs the token. Decided on the path as
     * the request mapping sees it (decoded, {@code ;parameters} removed), so {@code /%73tripe-sync-products} or
     * {@code /stripe-sync-products;x} cannot slip past.
     */
    static boolean isOpen(HttpServletRequest request) {
        String path = PATHS.getPathWithinApplication(request);
        return !path.contains("..") && (path.equals("/actuator") || path.startsWith("/actuator/")
                // Stripe cannot send our token: the webhook's signature is its authentication
                || path.equals("/stripe/webhook"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (authorized(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"success\":false,\"error\":\"unauthorized\"}");
    }

    private boolean authorized(String header) {
        if (expected.length == 0 || header == null || !header.startsWith(BEARER)) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

}
