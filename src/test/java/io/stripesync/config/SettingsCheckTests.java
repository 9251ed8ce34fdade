package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.StripeSyncApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

class SettingsCheckTests {

    private static final String KEY = "sk_test_51Abcdefgh0123456789";

    private static MockEnvironment valid() {
        return new MockEnvironment()
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
        assertInvalid(valid().withProperty("sync.filter.created-after", "last year"), "SYNC_CREATED_AFTER", null);
        assertInvalid(valid().withProperty("sync.filter.created-before", "2024-13-45"), "SYNC_CREATED_BEFORE", null);
        assertInvalid(valid().withProperty("sync.filter.metadata", "project"), "SYNC_FILTER_METADATA", null);
        assertInvalid(valid().withProperty("sync.project.metadata-key", " "), "SYNC_PROJECT_KEY", null);
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

    private static void assertInvalid(MockEnvironment environment, String setting, String secretValue) {
        var thrown = assertThatThrownBy(() -> SettingsCheck.check(environment))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith(setting);
        if (secretValue != null) {
            thrown.hasMessageNotContaining(secretValue);
        }
    }
}
