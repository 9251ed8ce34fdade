package io.stripesync.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers on every answer, refusals included (set before anything answers): browsers take JSON for JSON only, send
 * no referrer, keep no copy (the answers carry catalogue data and run history), and would run a page of ours only
 * with its own scripts and styles, never inline ones or another origin's, never inside a frame. The status page's
 * files carry no data: a browser may keep them, but asks each time whether they changed (a 304 when not), so the
 * page never runs an older script than the service's.
 */
@Component
@Order(0)
public class ResponseHeadersFilter extends OncePerRequestFilter {

    /** The status page ({@link StatusPage}) runs under it: its own files only, no inline code, no other origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Cache-Control", StatusPage.isPageFile(request, ApiTokenFilter.pathOf(request))
                ? "no-cache" : "no-store");
        chain.doFilter(request, response);
    }
}
