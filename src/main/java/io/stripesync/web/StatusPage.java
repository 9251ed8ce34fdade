package io.stripesync.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The status page at {@code /} and {@code /status}: a static file of the jar (src/main/resources/static/status/, with
 * its script and style beside it, so the Content-Security-Policy stays free of inline code), served by Spring's
 * static resource handler. It holds no data: its script reads the report endpoints with the token the visitor gives.
 */
@Configuration(proxyBeanMethods = false)
public class StatusPage implements WebMvcConfigurer {

    /** Where the page's files are served: /status/index.html, /status/status.js, /status/status.css. */
    static final String FILES = "/status";
    /** The page's addresses. */
    private static final List<String> PAGES = List.of("/", FILES);
    /** Prefixes of the page's static files (its own, and uPlot's webjar): no route answers under them. */
    private static final List<String> PAGE_FILES = List.of(FILES + "/", "/webjars/");

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        PAGES.forEach(page -> registry.addViewController(page).setViewName("forward:" + FILES + "/index.html"));
    }

    /**
     * A read (GET or HEAD) of the page or one of its files, at {@code path} ({@link ApiTokenFilter#pathOf}): they
     * carry no data, so anyone may load them (ApiTokenFilter) and a browser may keep them (ResponseHeadersFilter).
     */
    static boolean isPageFile(HttpServletRequest request, String path) {
        boolean reads = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        return reads && !path.contains("..")
                && (PAGES.contains(path) || PAGE_FILES.stream().anyMatch(path::startsWith));
    }
}
