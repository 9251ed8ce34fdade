package io.stripesync.config;

import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import io.stripesync.database.SyncSchema;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.quartz.CronExpression;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Checks the settings before any bean (the database pool, Flyway, Camel) starts, so a bad setting stops the
 * service with one line naming its environment variable rather than a failure somewhere downstream. It binds
 * {@link StripeSettings} and {@link SyncSettings} as Spring will, checks their constraints, then what no constraint
 * says.
 */
@Component
public class SettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    static final int MIN_TOKEN_LENGTH = 16;
    /** Stripe does not document what follows the prefix: only a clearly truncated key is refused here. */
    static final int MIN_STRIPE_KEY_LENGTH = 20;
    private static final List<String> STRIPE_KEY_PREFIXES = List.of("sk_test_", "sk_live_", "rk_test_", "rk_live_");

    /**
     * Environment variables renamed to the rule (property {@code a.b-c.d} is {@code A_B_C_D}), still read under
     * their former names through config/application.yaml.
     */
    static final Map<String, String> FORMER_NAMES = Map.of(
            "SYNC_PROJECT_METADATA_KEY", "SYNC_PROJECT_KEY",
            "SYNC_FILTER_INCLUDE_ARCHIVED", "SYNC_INCLUDE_ARCHIVED",
            "SYNC_FILTER_CREATED_AFTER", "SYNC_CREATED_AFTER",
            "SYNC_FILTER_CREATED_BEFORE", "SYNC_CREATED_BEFORE",
            "SYNC_FILTER_EXCLUDE_IDS", "SYNC_EXCLUDE_IDS",
            "SYNC_WALK_MAX_REQUESTS_PER_SECOND", "SYNC_MAX_REQUESTS_PER_SECOND");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        check(environment);
    }

    static void check(Environment env) {
        Binder binder = Binder.get(env);
        StripeSettings stripe = bind(binder, "stripe", StripeSettings.class);
        SyncSettings sync = bind(binder, "sync", SyncSettings.class);
        checkStripeKey(stripe.secretKey());
        checkConstraints(Map.of("stripe", stripe, "sync", sync));
        if (!isHttpUrl(stripe.apiBaseUrl())) {
            throw new InvalidSettingException("STRIPE_API_BASE_URL", "is not an http(s) URL");
        }
        if (sync.schedule().enabled() && !CronExpression.isValidExpression(Objects.toString(sync.cron(), ""))) {
            throw new InvalidSettingException("SYNC_CRON", "is not a valid Quartz cron expression "
                    + "(six fields, seconds first, e.g. '0 0 0 * * ?')");
        }
        if (sync.schedule().enabled() && sync.events().enabled()
                && !CronExpression.isValidExpression(Objects.toString(sync.events().cron(), ""))) {
            throw new InvalidSettingException("SYNC_EVENTS_CRON", "is not a valid Quartz cron expression "
                    + "(six fields, seconds first, e.g. '0 */5 * * * ?')");
        }
        if (sync.http().enabled() && Objects.toString(sync.apiToken(), "").length() < MIN_TOKEN_LENGTH) {
            throw new InvalidSettingException("SYNC_API_TOKEN", "must be set (at least " + MIN_TOKEN_LENGTH
                    + " characters) while the HTTP trigger is on; set SYNC_HTTP_ENABLED=false to run on the schedule only");
        }
        checkReadToken(sync);
        if (sync.http().bodyTimeout() == null || sync.http().bodyTimeout().toMillis() <= 0) {
            throw new InvalidSettingException("SYNC_HTTP_BODY_TIMEOUT", "must be a duration of more than 0 (e.g. 10s)");
        }
        checkFilter(sync.filter());
        checkDatabase(binder, sync.walk().concurrency());
    }

    /** The environment variable of a property by the rule: {@code sync.walk.concurrency} is SYNC_WALK_CONCURRENCY. */
    private static String variableOf(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static <T> T bind(Binder binder, String prefix, Class<T> type) {
        try {
            return binder.bindOrCreate(prefix, type);
        } catch (BindException e) {
            throw invalid(e.getName().toString(), "cannot be read as " + kindOf(e.getTarget().getType().resolve()));
        }
    }

    private static String kindOf(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration (30m, 26h, or milliseconds)";
        }
        return type == null ? "the expected type" : type.getSimpleName();
    }

    private static void checkReadToken(SyncSettings sync) {
        String readToken = Objects.toString(sync.readToken(), "");
        if (!readToken.isEmpty() && readToken.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidSettingException("SYNC_READ_TOKEN", "must be at least " + MIN_TOKEN_LENGTH
                    + " characters when set");
        }
        if (!readToken.isEmpty() && readToken.equals(Objects.toString(sync.apiToken(), ""))) {
            throw new InvalidSettingException("SYNC_READ_TOKEN", "must differ from SYNC_API_TOKEN: it is the token "
                    + "that cannot trigger a sync");
        }
    }

    private static void checkStripeKey(String key) {
        if (Objects.toString(key, "").isBlank()) {
            throw new InvalidSettingException("STRIPE_SECRET_KEY", "is not set: give a Stripe secret key (sk_...) "
                    + "or a restricted key (rk_...) with read access to Products");
        }
        if (STRIPE_KEY_PREFIXES.stream().noneMatch(key::startsWith)) {
            throw new InvalidSettingException("STRIPE_SECRET_KEY", "is malformed (" + Secrets.mask(key)
                    + "): expected sk_test_..., sk_live_..., rk_test_... or rk_live_...");
        }
        if (key.length() < MIN_STRIPE_KEY_LENGTH) {
            throw new InvalidSettingException("STRIPE_SECRET_KEY", "is too short (" + Secrets.mask(key)
                    + "): a Stripe key has at least " + MIN_STRIPE_KEY_LENGTH + " characters");
        }
    }

    /** The constraints of each group of settings (by prefix); the first broken one, by property, is reported. */
    private static void checkConstraints(Map<String, Object> settingsByPrefix) {
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            Validator validator = validation.getValidator();
            settingsByPrefix.entrySet().stream()
                    .flatMap(settings -> validator.validate(settings.getValue()).stream().map(violation -> Map.entry(
                            settings.getKey() + "." + dashed(violation.getPropertyPath()), violation.getMessage())))
                    .min(Map.Entry.comparingByKey())
                    .ifPresent(violation -> {
                        throw invalid(violation.getKey(), violation.getValue());
                    });
        }
    }

    private static String dashed(Path path) {
        return StreamSupport.stream(path.spliterator(), false)
                .map(node -> DataObjectPropertyName.toDashedForm(node.getName()))
                .collect(Collectors.joining("."));
    }

    private static void checkFilter(SyncSettings.Filter filter) {
        checkMoment("sync.filter.created-after", filter.createdAfter());
        checkMoment("sync.filter.created-before", filter.createdBefore());
        try {
            MetadataPairs.parse(filter.metadata());
        } catch (IllegalArgumentException e) {
            throw invalid("sync.filter.metadata", e.getMessage());
        }
    }

    private static void checkMoment(String property, String value) {
        if (!value.isBlank()) {
            try {
                Moments.parse(value);
            } catch (IllegalArgumentException e) {
                throw invalid(property, e.getMessage());
            }
        }
    }

    /** spring.datasource.* is Spring Boot's; what the service needs of it is checked here. */
    private static void checkDatabase(Binder binder, int concurrency) {
        int pool;
        try {
            pool = binder.bind("spring.datasource.hikari.maximum-pool-size", Integer.class).orElse(10);
        } catch (BindException e) {
            throw new InvalidSettingException("SYNC_DB_POOL_SIZE", "cannot be read as a whole number");
        }
        if (pool < concurrency + 3) {
            throw new InvalidSettingException("SYNC_DB_POOL_SIZE", "must be at least SYNC_WALK_CONCURRENCY + 3 ("
                    + (concurrency + 3) + "): the run's lock, one connection per walker, the scheduler and the endpoints");
        }
        SyncSchema.checked(binder.bind("sync.database.schema", String.class).orElse("public"));
        String jdbcUrl = binder.bind("spring.datasource.url", String.class).orElse("");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("SPRING_DATASOURCE_URL", jdbcUrl.isBlank()
                    ? "is not set: set SPRING_DATASOURCE_URL (jdbc:postgresql://...) or DATABASE_URL (postgresql://...)"
                    : "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
    }

    /** Names the canonical variable, and the former one where there is one; never the value. */
    private static InvalidSettingException invalid(String property, String problem) {
        String variable = variableOf(property);
        String former = FORMER_NAMES.get(variable);
        return new InvalidSettingException(variable, (former == null ? "" : "(formerly " + former + ") ") + problem);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(Objects.toString(value, ""));
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
