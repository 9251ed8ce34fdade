package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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
    void malformedUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("mysql://u:secret@h/db"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DATABASE_URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("postgresql://u:secret@ host/db"))
                .isInstanceOf(InvalidSettingException.class).hasMessageNotContaining("secret");
    }
}
