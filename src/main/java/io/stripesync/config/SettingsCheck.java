package io.stripesync.config;

import java.net.URI;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Checks the settings before any bean (the database pool, Flyway, Camel) starts, so a bad setting stops the
 * service with one line naming it rather than a failure somewhere downstream.
 */
@Component
public class SettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Pattern STRIPE_KEY = Pattern.compile("(sk|rk)_(test|live)_[0-9A-Za-z]{8,}");
    static final int MIN_TOKEN_LENGTH = 16;
    /** Quartz refuses a shorter idle wait; a shorter check-in would only load the database. */
    static final long MIN_CLUSTER_INTERVAL_MS = 1000;

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
        String key = env.getProperty("stripe.secret-key", "");
        if (key.isBlank()) {
            throw new InvalidSettingException("STRIPE_SECRET_KEY", "is not set: give a Stripe secret key (sk_...) "
                    + "or a restricted key (rk_...) with read access to Products");
        }
        if (!STRIPE_KEY.matcher(key).matches()) {
            throw new InvalidSettingException("STRIPE_SECRET_KEY", "is malformed (" + Secrets.mask(key)
                    + "): expected sk_test_..., sk_live_..., rk_test_... or rk_live_...");
        }
        String baseUrl = env.getProperty("stripe.api-base-url", "");
        if (!isHttpUrl(baseUrl)) {
            throw new InvalidSettingException("STRIPE_API_BASE_URL", "is not an http(s) URL");
        }
        Integer pageSize = env.getProperty("stripe.page-size", Integer.class, 100);
        if (pageSize < 1 || pageSize > 100) {
            throw new InvalidSettingException("STRIPE_PAGE_SIZE", "must be between 1 and 100 (Stripe's limit)");
        }
        if (env.getProperty("sync.schedule.enabled", Boolean.class, true)
                && !CronExpression.isValidExpression(env.getProperty("sync.cron", ""))) {
            throw new InvalidSettingException("SYNC_CRON", "is not a valid Quartz cron expression "
                    + "(six fields, seconds first, e.g. '0 0 0 * * ?')");
        }
        clusterInterval(env, "sync.cluster.checkin-interval-ms", "SYNC_CLUSTER_CHECKIN_INTERVAL_MS");
        clusterInterval(env, "sync.cluster.idle-wait-ms", "SYNC_CLUSTER_IDLE_WAIT_MS");
        if (env.getProperty("sync.http.enabled", Boolean.class, true)
                && env.getProperty("sync.api-token", "").length() < MIN_TOKEN_LENGTH) {
            throw new InvalidSettingException("SYNC_API_TOKEN", "must be set (at least " + MIN_TOKEN_LENGTH
                    + " characters) while the HTTP trigger is on; set SYNC_HTTP_ENABLED=false to run on the schedule only");
        }
        String readToken = env.getProperty("sync.read-token", "");
        if (!readToken.isEmpty() && readToken.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidSettingException("SYNC_READ_TOKEN", "must be at least " + MIN_TOKEN_LENGTH
                    + " characters when set");
        }
        if (!readToken.isEmpty() && readToken.equals(env.getProperty("sync.api-token", ""))) {
            throw new InvalidSettingException("SYNC_READ_TOKEN", "must differ from SYNC_API_TOKEN: it is the token "
                    + "that cannot trigger a sync");
        }
        try {
            if (!(DurationStyle.detectAndParse(env.getProperty("sync.http.body-timeout", "10s")).toMillis() > 0)) {
                throw new IllegalArgumentException("not positive");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("SYNC_HTTP_BODY_TIMEOUT", "must be a duration of more than 0 (e.g. 10s)");
        }
        checkFilters(env);
        checkWalk(env);
        String jdbcUrl = env.getProperty("spring.datasource.url", "");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException("SPRING_DATASOURCE_URL", jdbcUrl.isBlank()
                    ? "is not set: set SPRING_DATASOURCE_URL (jdbc:postgresql://...) or DATABASE_URL (postgresql://...)"
                    : "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
    }

    private static void checkFilters(Environment env) {
        for (String[] moment : new String[][] {{"sync.filter.created-after", "SYNC_CREATED_AFTER"},
                {"sync.filter.created-before", "SYNC_CREATED_BEFORE"}}) {
            String value = env.getProperty(moment[0], "");
            if (!value.isBlank()) {
                try {
                    Moments.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSettingException(moment[1], e.getMessage());
                }
            }
        }
        try {
            MetadataPairs.parse(env.getProperty("sync.filter.metadata", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("SYNC_FILTER_METADATA", e.getMessage());
        }
        if (env.getProperty("sync.project.metadata-key", "project").isBlank()) {
            throw new InvalidSettingException("SYNC_PROJECT_KEY", "must name a metadata key, e.g. project");
        }
    }

    private static void checkWalk(Environment env) {
        int concurrency = env.getProperty("sync.walk.concurrency", Integer.class, 1);
        if (concurrency < 1 || concurrency > 32) {
            throw new InvalidSettingException("SYNC_WALK_CONCURRENCY", "must be between 1 and 32");
        }
        if (env.getProperty("sync.walk.max-requests-per-second", Double.class, 20.0) <= 0) {
            throw new InvalidSettingException("SYNC_MAX_REQUESTS_PER_SECOND", "must be more than 0");
        }
        if (env.getProperty("sync.walk.min-window-seconds", Long.class, 2L) < 1) {
            throw new InvalidSettingException("SYNC_WALK_MIN_WINDOW_SECONDS", "must be at least 1");
        }
        if (env.getProperty("sync.progress-every-pages", Integer.class, 10) < 1) {
            throw new InvalidSettingException("SYNC_PROGRESS_EVERY_PAGES", "must be at least 1");
        }
        int pool = env.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10);
        if (pool < concurrency + 3) {
            throw new InvalidSettingException("SYNC_DB_POOL_SIZE", "must be at least SYNC_WALK_CONCURRENCY + 3 ("
                    + (concurrency + 3) + "): the run's lock, one connection per walker, the scheduler and the endpoints");
        }
    }

    private static void clusterInterval(Environment env, String property, String setting) {
        if (env.getProperty(property, Long.class, MIN_CLUSTER_INTERVAL_MS) < MIN_CLUSTER_INTERVAL_MS) {
            throw new InvalidSettingException(setting, "must be at least " + MIN_CLUSTER_INTERVAL_MS
                    + " (milliseconds)");
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
