package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.StripeSyncApplication;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.mock.env.MockEnvironment;

class SettingsCheckTests {

    private static final String KEY = "sk_test_51Abcdefgh0123456789";

    /** config/application.yaml as shipped, with the required settings given. */
    private static MockEnvironment valid() {
        MockEnvironment environment = new MockEnvironment();
        try {
            new YamlPropertySourceLoader().load("application.yaml", new FileSystemResource("config/application.yaml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return environment
                .withProperty("stripe.secret-key", KEY)
                .withProperty("stripe.api-base-url", "https://api.stripe.com")
                .withProperty("stripe.page-size", "100")
                .withProperty("sync.cron", "0 0 0 * * ?")
                .withProperty("sync.api-token", "a-token-of-sixteen-chars")
                .withProperty("spring.datasource.url", "jdbc:postgresql://localhost:5432/postgres");
    }

    @Test
    void validSettingsPass() {
        assertThatCode(() -> SettingsCheck.check(valid())).doesNotThrowAnyException();
    }

    @Test
    void eachBadSettingIsNamedAndItsValueNeverShown() {
        assertInvalid(valid().withProperty("stripe.secret-key", ""), "STRIPE_SECRET_KEY", null);
        assertInvalid(valid().withProperty("stripe.secret-key", "pk_test_51Publishable0123"), "STRIPE_SECRET_KEY",
                "pk_test_51Publishable0123");
        assertInvalid(valid().withProperty("stripe.secret-key", "sk_test_short"), "STRIPE_SECRET_KEY", "sk_test_short");
        assertInvalid(valid().withProperty("stripe.secret-key", "sk_tst_0000000000000000"), "STRIPE_SECRET_KEY",
                "sk_tst_0000000000000000");
        assertInvalid(valid().withProperty("stripe.api-base-url", "api.stripe.com"), "STRIPE_API_BASE_URL", null);
        assertInvalid(valid().withProperty("stripe.page-size", "101"), "STRIPE_PAGE_SIZE", null);
        assertInvalid(valid().withProperty("stripe.page-size", "0"), "STRIPE_PAGE_SIZE", null);
        assertInvalid(valid().withProperty("sync.cron", "0 0 * * *"), "SYNC_CRON", null);
        assertInvalid(valid().withProperty("sync.api-token", ""), "SYNC_API_TOKEN", null);
        assertInvalid(valid().withProperty("sync.api-token", "short-secret"), "SYNC_API_TOKEN", "short-secret");
        assertInvalid(valid().withProperty("sync.read-token", "short-reader"), "SYNC_READ_TOKEN", "short-reader");
        assertInvalid(valid().withProperty("sync.read-token", "a-token-of-sixteen-chars"), "SYNC_READ_TOKEN",
                "a-token-of-sixteen-chars");
        assertInvalid(valid().withProperty("sync.http.body-timeout", "0s"), "SYNC_HTTP_BODY_TIMEOUT", null);
        assertInvalid(valid().withProperty("sync.http.body-timeout", "soon"), "SYNC_HTTP_BODY_TIMEOUT", null);
        assertInvalid(valid().withProperty("spring.datasource.url", ""), "SPRING_DATASOURCE_URL", null);
        assertInvalid(valid().withProperty("spring.datasource.url", "jdbc:mysql://h/db"), "SPRING_DATASOURCE_URL", null);
        assertInvalid(valid().withProperty("sync.filter.created-after", "last year"), "SYNC_FILTER_CREATED_AFTER",
                null);
        assertInvalid(valid().withProperty("sync.filter.created-before", "2024-13-45"), "SYNC_FILTER_CREATED_BEFORE",
                null);
        assertInvalid(valid().withProperty("sync.filter.metadata", "project"), "SYNC_FILTER_METADATA", null);
        assertInvalid(valid().withProperty("sync.project.metadata-key", " "), "SYNC_PROJECT_METADATA_KEY", null);
        // the schema is written into every statement: an identifier, nothing else
        assertInvalid(valid().withProperty("sync.database.schema", "Audit"), "SYNC_DB_SCHEMA", null);
        assertInvalid(valid().withProperty("sync.database.schema", "audit.x; DROP TABLE y"), "SYNC_DB_SCHEMA", null);
        assertInvalid(valid().withProperty("sync.database.schema", "1st"), "SYNC_DB_SCHEMA", null);
        assertInvalid(valid().withProperty("sync.walk.concurrency", "33"), "SYNC_WALK_CONCURRENCY", null);
        assertInvalid(valid().withProperty("sync.walk.concurrency", "0"), "SYNC_WALK_CONCURRENCY", null);
        assertInvalid(valid().withProperty("sync.walk.max-requests-per-second", "0"),
                "SYNC_WALK_MAX_REQUESTS_PER_SECOND", null);
        assertInvalid(valid().withProperty("sync.walk.max-requests-per-second", "2.5"),
                "SYNC_WALK_MAX_REQUESTS_PER_SECOND", null);
        assertInvalid(valid().withProperty("sync.walk.min-window-seconds", "0"), "SYNC_WALK_MIN_WINDOW_SECONDS", null);
        assertInvalid(valid().withProperty("sync.progress-every-pages", "0"), "SYNC_PROGRESS_EVERY_PAGES", null);
        assertInvalid(valid().withProperty("sync.walk.concurrency", "8"), "SYNC_DB_POOL_SIZE", null);
        assertInvalid(valid().withProperty("sync.http.timeout", "soon"), "SYNC_HTTP_TIMEOUT", null);
        assertInvalid(valid().withProperty("sync.lock-key", "any"), "SYNC_LOCK_KEY", null);
        assertInvalid(valid().withProperty("sync.status.run-days", "0"), "SYNC_STATUS_RUN_DAYS", null);
        assertInvalid(valid().withProperty("sync.status.recent-changes", "501"), "SYNC_STATUS_RECENT_CHANGES", null);
        assertInvalid(valid().withProperty("sync.status.drift-top", "many"), "SYNC_STATUS_DRIFT_TOP", null);
    }

    @Test
    void stripeKeysAreRefusedOnlyForTheirPrefixOrLength() {
        // live-mode keys written in two parts and plainly fake, so no secret scanner takes them for real ones
        String live = "_live_";
        for (String key : new String[] {"sk_test_acceptance_0000000000000000", "rk" + live + "FAKE0000000000", KEY,
                "sk" + live + "NOT-A-KEY.any+characters/after"}) {
            assertThatCode(() -> SettingsCheck.check(valid().withProperty("stripe.secret-key", key)))
                    .as(key).doesNotThrowAnyException();
        }
        assertInvalid(valid().withProperty("stripe.secret-key", "sk_test_0123456789a"), "STRIPE_SECRET_KEY",
                "sk_test_0123456789a");
    }

    @Test
    void formerVariableNamesStillWorkAndTheRuleNamesWin() {
        Map<String, String> former = Map.of("SYNC_PROJECT_KEY", "team", "SYNC_INCLUDE_ARCHIVED", "false",
                "SYNC_CREATED_AFTER", "2024-01-01", "SYNC_CREATED_BEFORE", "2025-01-01",
                "SYNC_EXCLUDE_IDS", "prod_A", "SYNC_MAX_REQUESTS_PER_SECOND", "7");
        Map<String, String> canonical = Map.of("SYNC_PROJECT_METADATA_KEY", "tier",
                "SYNC_FILTER_INCLUDE_ARCHIVED", "false", "SYNC_FILTER_CREATED_AFTER", "2023-01-01",
                "SYNC_FILTER_CREATED_BEFORE", "2026-01-01", "SYNC_FILTER_EXCLUDE_IDS", "prod_B",
                "SYNC_WALK_MAX_REQUESTS_PER_SECOND", "9");
        // the six renamed variables, which errors name as "NEW (formerly OLD)"
        assertThat(SettingsCheck.FORMER_NAMES).containsOnlyKeys(canonical.keySet())
                .containsValues(former.keySet().toArray(String[]::new));

        SyncSettings byFormerNames = bindWithEnvironment(former);
        assertThat(byFormerNames.project().metadataKey()).isEqualTo("team");
        assertThat(byFormerNames.filter()).isEqualTo(new SyncSettings.Filter(false, "2024-01-01", "2025-01-01", "",
                "prod_A"));
        assertThat(byFormerNames.walk().maxRequestsPerSecond()).isEqualTo(7);

        SyncSettings byCanonicalNames = bindWithEnvironment(canonical);
        assertThat(byCanonicalNames.project().metadataKey()).isEqualTo("tier");
        assertThat(byCanonicalNames.filter()).isEqualTo(new SyncSettings.Filter(false, "2023-01-01", "2026-01-01",
                "", "prod_B"));
        assertThat(byCanonicalNames.walk().maxRequestsPerSecond()).isEqualTo(9);

        Map<String, String> both = new HashMap<>(former);
        both.putAll(canonical);
        assertThat(bindWithEnvironment(both)).isEqualTo(byCanonicalNames);
    }

    @Test
    void errorsNameTheRuleVariableAndMentionTheFormerOne() {
        MockEnvironment environment = valid();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SYNC_CREATED_AFTER", "last year")));
        assertThatThrownBy(() -> SettingsCheck.check(environment)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SYNC_FILTER_CREATED_AFTER (formerly SYNC_CREATED_AFTER) is not");
    }

    @Test
    void theReadTokenIsOptional() {
        assertThatCode(() -> SettingsCheck.check(valid().withProperty("sync.read-token", ""))).doesNotThrowAnyException();
        assertThatCode(() -> SettingsCheck.check(valid().withProperty("sync.read-token", "another-token-of-16")
                .withProperty("sync.http.body-timeout", "30s"))).doesNotThrowAnyException();
    }

    @Test
    void filterSettingsAcceptDatesTimestampsAndUnixSeconds() {
        for (String moment : new String[] {"2024-01-31", "2024-01-31T12:00:00Z", "2024-01-31T12:00:00+02:00",
                "1706702400"}) {
            assertThatCode(() -> SettingsCheck.check(valid().withProperty("sync.filter.created-after", moment)
                    .withProperty("sync.filter.metadata", "project=omnia,project=atlas"))).doesNotThrowAnyException();
        }
    }

    @Test
    void clusterIntervalsBelowOneSecondAreRefused() {
        assertInvalid(valid().withProperty("sync.cluster.idle-wait-ms", "500"), "SYNC_CLUSTER_IDLE_WAIT_MS", null);
        assertInvalid(valid().withProperty("sync.cluster.checkin-interval-ms", "0"), "SYNC_CLUSTER_CHECKIN_INTERVAL_MS",
                null);
    }

    @Test
    void tokenIsNotNeededWithTheHttpTriggerOffNorACronWithTheScheduleOff() {
        assertThatCode(() -> SettingsCheck.check(valid().withProperty("sync.api-token", "")
                .withProperty("sync.http.enabled", "false"))).doesNotThrowAnyException();
        assertThatCode(() -> SettingsCheck.check(valid().withProperty("sync.cron", "nonsense")
                .withProperty("sync.schedule.enabled", "false"))).doesNotThrowAnyException();
    }

    @Test
    void serviceRefusesToStartBeforeTouchingTheDatabase() {
        SpringApplication service = new SpringApplicationBuilder(StripeSyncApplication.class)
                .web(WebApplicationType.NONE)
                .properties("STRIPE_SECRET_KEY=" + KEY, "SYNC_API_TOKEN=",
                        // nothing listens here: a check that ran after the pool started would fail differently
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
                .build();

        assertThatThrownBy(service::run).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SYNC_API_TOKEN");
    }

    /** config/application.yaml under these operating-system environment variables, bound as the service binds it. */
    private static SyncSettings bindWithEnvironment(Map<String, String> variables) {
        MockEnvironment environment = valid();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.copyOf(variables)));
        return Binder.get(environment).bindOrCreate("sync", SyncSettings.class);
    }

    private static void assertInvalid(MockEnvironment environment, String setting, String secretValue) {
        var thrown = assertThatThrownBy(() -> SettingsCheck.check(environment))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith(setting);
        if (secretValue != null) {
            thrown.hasMessageNotContaining(secretValue);
        }
    }
}
