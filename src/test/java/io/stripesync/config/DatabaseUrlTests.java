package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.springframework.mock.env.MockEnvironment;
import org.junit.jupiter.api.Test;

class DatabaseUrlTests {

    @Test
    void supabaseUrlBecomesJdbcSettings() {
        Map<String, Object> settings = DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties(
                "postgresql://postgres.abcd:p%40ss%3Aw0rd@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require");

        assertThat(settings).containsEntry("spring.datasource.url",
                        "jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require")
                .containsEntry("spring.datasource.username", "postgres.abcd")
                .containsEntry("spring.datasource.password", "p@ss:w0rd");
    }

    @Test
    void migrationUrlBecomesFlywaySettingsWithTheServicesUserAndPasswordWhereItGivesNone() {
        assertThat(DatabaseUrlEnvironmentPostProcessor.toMigrationProperties(
                "postgresql://postgres:direct%40pw@db.abcd.supabase.co:5432/postgres?sslmode=require",
                "postgres.abcd", "pooler-pw"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "spring.flyway.url", "jdbc:postgresql://db.abcd.supabase.co:5432/postgres?sslmode=require",
                        "spring.flyway.user", "postgres", "spring.flyway.password", "direct@pw"));
        assertThat(DatabaseUrlEnvironmentPostProcessor.toMigrationProperties(
                "postgresql://db.abcd.supabase.co:5432/postgres", "postgres.abcd", "pw"))
                .containsEntry("spring.flyway.user", "postgres.abcd").containsEntry("spring.flyway.password", "pw");
        assertThat(DatabaseUrlEnvironmentPostProcessor.toMigrationProperties(
                "jdbc:postgresql://db.abcd.supabase.co:5432/postgres", "postgres", null))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "spring.flyway.url", "jdbc:postgresql://db.abcd.supabase.co:5432/postgres",
                        "spring.flyway.user", "postgres"));
    }

    @Test
    void migrationUrlOfTheServiceEnvironmentReachesFlyway() {
        var environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://postgres.abcd:pw@pooler.supabase.com:6543/postgres")
                .withProperty(DatabaseUrlEnvironmentPostProcessor.MIGRATION_URL,
                        "jdbc:postgresql://db.abcd.supabase.co:5432/postgres");
        new DatabaseUrlEnvironmentPostProcessor().postProcessEnvironment(environment, null);

        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://pooler.supabase.com:6543/postgres");
        assertThat(environment.getProperty("spring.flyway.url"))
                .isEqualTo("jdbc:postgresql://db.abcd.supabase.co:5432/postgres");
        assertThat(environment.getProperty("spring.flyway.user")).isEqualTo("postgres.abcd");
        assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("pw");
    }

    @Test
    void malformedUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("mysql://u:secret@h/db"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DATABASE_URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("postgresql://u:secret@ host/db"))
                .isInstanceOf(InvalidSettingException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toMigrationProperties(
                "jdbc:mysql://h/db?password=secret", "u", "p")).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SYNC_MIGRATION_DATABASE_URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toMigrationProperties(
                "mysql://u:secret@h/db", "u", "p")).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("SYNC_MIGRATION_DATABASE_URL").hasMessageNotContaining("secret");
    }
}
