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
 *
 * <p>Also the migrations' own connection, {@code SYNC_MIGRATION_DATABASE_URL} ({@code sync.database.migration-url}),
 * in that form or as {@code jdbc:postgresql://...}: it becomes {@code spring.flyway.url}, {@code .user} and
 * {@code .password}, each part it does not give taken from the service's own settings.
 */
public class DatabaseUrlEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "databaseUrl";
    static final String MIGRATION_URL = "sync.database.migration-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new HashMap<>();
        String databaseUrl = environment.getProperty("DATABASE_URL");
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            properties.putAll(toDataSourceProperties(databaseUrl));
        }
        String migrationUrl = environment.getProperty(MIGRATION_URL);
        if (migrationUrl != null && !migrationUrl.isBlank()) {
            properties.putAll(toMigrationProperties(migrationUrl,
                    environment.getProperty("spring.datasource.username",
                            (String) properties.get("spring.datasource.username")),
                    environment.getProperty("spring.datasource.password",
                            (String) properties.get("spring.datasource.password"))));
        }
        if (!properties.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
        }
    }

    static Map<String, Object> toDataSourceProperties(String databaseUrl) {
        return fromUrl(databaseUrl, "DATABASE_URL");
    }

    /**
     * Flyway's connection: {@code postgresql://} or {@code jdbc:postgresql:} URL, with the service's user and
     * password where the URL gives none (the driver takes a jdbc URL's {@code ?user=&password=} over them).
     */
    static Map<String, Object> toMigrationProperties(String migrationUrl, String serviceUser, String servicePassword) {
        String url = migrationUrl.trim();
        Map<String, Object> migration = new HashMap<>();
        if (url.startsWith("jdbc:")) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new InvalidSettingException("SYNC_MIGRATION_DATABASE_URL",
                        "must be a PostgreSQL URL: postgresql://user:password@host:5432/database or "
                        + "jdbc:postgresql://host:5432/database");
            }
            migration.put("spring.flyway.url", url);
        } else {
            Map<String, Object> parts = fromUrl(url, "SYNC_MIGRATION_DATABASE_URL");
            migration.put("spring.flyway.url", parts.get("spring.datasource.url"));
            putIfPresent(migration, "spring.flyway.user", parts.get("spring.datasource.username"));
            putIfPresent(migration, "spring.flyway.password", parts.get("spring.datasource.password"));
        }
        migration.putIfAbsent("spring.flyway.user", serviceUser);
        migration.putIfAbsent("spring.flyway.password", servicePassword);
        migration.values().removeIf(value -> value == null);
        return migration;
    }

    private static Map<String, Object> fromUrl(String databaseUrl, String setting) {
        URI uri;
        try {
            uri = URI.create(databaseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting,
                    "is not a URL of the form postgresql://user:password@host:port/database");
        }
        String scheme = uri.getScheme();
        if (!("postgresql".equals(scheme) || "postgres".equals(scheme)) || uri.getHost() == null
                || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new InvalidSettingException(setting,
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

    private static void putIfPresent(Map<String, Object> properties, String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
    }
}
