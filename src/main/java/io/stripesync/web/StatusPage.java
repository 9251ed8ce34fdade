package io.stripesync.web;

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

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName("forward:" + FILES + "/index.html");
        registry.addViewController("/status").setViewName("forward:" + FILES + "/index.html");
    }
}
