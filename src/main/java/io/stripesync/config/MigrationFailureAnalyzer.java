package io.stripesync.config;

import org.flywaydb.core.api.FlywayException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A migration that cannot adopt the existing database (duplicates in stripe_products_log, say) stops the service
 * with the database's own explanation up front, instead of at the bottom of a stack trace.
 */
public class MigrationFailureAnalyzer extends AbstractFailureAnalyzer<FlywayException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, FlywayException cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = String.valueOf(root.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
        return new FailureAnalysis("The database migration failed: " + reason,
                "Fix the database as the message says and start again. The failed migration was rolled back: "
                        + "nothing was changed.", cause);
    }
}
