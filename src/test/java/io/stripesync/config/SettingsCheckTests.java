package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class SettingsCheckTests {

    private final MockEnvironment env = new MockEnvironment()
            .withProperty("stripe.secret-key", "sk_test_0123456789abcdef")
            .withProperty("stripe.api-base-url", "https://api.stripe.com")
            .withProperty("sync.cron", "0 0 0 * * ?")
            .withProperty("sync.api-token", "test-token-0123456789abcdef")
            .withProperty("spring.datasource.url", "jdbc:postgresql://localhost:5432/postgres")
            .withProperty("sync.cluster.checkin-interval-ms", "7500")
            .withProperty("sync.cluster.idle-wait-ms", "30000");

    @Test
    void acceptsTheClusterDefaults() {
        assertThatCode(() -> SettingsCheck.check(env)).doesNotThrowAnyException();
    }

    @Test
    void refusesClusterIntervalsBelowOneSecond() {
        env.setProperty("sync.cluster.idle-wait-ms", "500");
        assertThatThrownBy(() -> SettingsCheck.check(env)).isInstanceOf(InvalidSettingException.class)
                .hasMessage("SYNC_CLUSTER_IDLE_WAIT_MS must be at least 1000 (milliseconds)");

        env.setProperty("sync.cluster.idle-wait-ms", "1000");
        env.setProperty("sync.cluster.checkin-interval-ms", "0");
        assertThatThrownBy(() -> SettingsCheck.check(env)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SYNC_CLUSTER_CHECKIN_INTERVAL_MS");
    }
}
