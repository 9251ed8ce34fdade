package io.stripesync.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.mock.env.MockEnvironment;

/** Settings for unit tests: config/application.yaml as shipped, bound as the service binds it, with overrides. */
public final class TestSettings {

    public static final String KEY = "sk_test_51Abcdefgh0123456789";

    private TestSettings() {
    }

    public static SyncSettings sync(Map<String, String> overrides) {
        return Binder.get(environment(overrides)).bind("sync", SyncSettings.class).get();
    }

    public static StripeSettings stripe(Map<String, String> overrides) {
        return Binder.get(environment(overrides)).bind("stripe", StripeSettings.class).get();
    }

    /** The secrets of a service with the test key, the given API token and no database password. */
    public static Secrets secrets(String apiToken) {
        return new Secrets(stripe(Map.of()), sync(Map.of("sync.api-token", apiToken)), new DataSourceProperties());
    }

    private static MockEnvironment environment(Map<String, String> overrides) {
        MockEnvironment environment = new MockEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yaml", new FileSystemResource("config/application.yaml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        environment.setProperty("stripe.secret-key", KEY);
        overrides.forEach(environment::setProperty);
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
