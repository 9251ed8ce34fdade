package io.stripesync.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Accepts {@code DATABASE_URL} in the {@code postgresql://user:password@host:port/db?sslmode=require} form that
 * Supabase and Heroku hand out, and turns it into the {@code spring.datasource.*} settings.
 * An explicit {@code SPRING_DATASOURCE_URL} wins: the derived values are the lowest-precedence source.
 */
public class DatabaseUrlEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "databaseUrl";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String databaseUrl = environment.getProperty("DATABASE_URL");
        if (databaseUrl == null || databaseUrl.isBlank()) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, toDataSourceProperties(databaseUrl)));
    }

    static Map<String, Object> toDataSourceProperties(String databaseUrl) {
        URI uri;
        try {
            uri = URI.create(databaseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("DATABASE_URL",
                    "is not a URL of the form postgresql://user:password@host:port/database");
        }
        String scheme = uri.getScheme();
        if (!("postgresql".equals(scheme) || "postgres".equals(scheme)) || uri.getHost() == null
                || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new InvalidSettingException("DATABASE_URL",
                    "is not a URL of the form postgresql://user:password@host:port/database");
        }
        Map<String, Object> properties = new HashMap<>();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath() + (query.isEmpty() ? "" : "?" + query);
        properties.put("spring.datasource.url", jdbcUrl);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            properties.put("spring.datasource.username", URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (colon >= 0) {
                properties.put("spring.datasource.password",
                        URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        return properties;
    }
}
