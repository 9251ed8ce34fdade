package io.stripesync.database;

import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Replicas starting together on an empty database: Flyway decides to baseline before it takes its lock, so the
 * instance that comes second can find the first one's history table created and still empty, and Flyway gives up
 * ("Unable to baseline schema history table ... as it already exists, and is empty"). That instance waits and
 * migrates again: by then the history has its rows, and the second attempt validates (or waits for the lock).
 */
@Configuration(proxyBeanMethods = false)
public class MigrationRace {

    private static final Logger log = LoggerFactory.getLogger(MigrationRace.class);
    private static final int ATTEMPTS = 5;

    @Bean
    FlywayMigrationStrategy migrateAfterAnotherInstanceStarted() {
        return flyway -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    flyway.migrate();
                    return;
                } catch (FlywayException e) {
                    if (attempt == ATTEMPTS || e.getMessage() == null
                            || !e.getMessage().contains("already exists, and is empty")) {
                        throw e;
                    }
                    log.info("Another instance is creating the tables: migrating again in {} s", attempt);
                    try {
                        Thread.sleep(1000L * attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        };
    }
}
