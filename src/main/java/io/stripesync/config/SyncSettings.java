package io.stripesync.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code sync.*} settings of config/application.yaml, where each is documented with its default. {@link
 * SettingsCheck} checks them before anything connects; what a constraint cannot say (a cron, a moment, the token
 * while the HTTP trigger is on) is checked there. A group missing from the file binds empty ({@code @DefaultValue}),
 * so its constraints name what is missing.
 */
@Validated
@ConfigurationProperties("sync")
public record SyncSettings(
        String apiToken,
        String readToken,
        String cron,
        String timeZone,
        @Valid @DefaultValue Schedule schedule,
        @Valid @DefaultValue Cluster cluster,
        @Valid @DefaultValue Http http,
        String defaultProject,
        @Valid @DefaultValue Project project,
        @Valid @DefaultValue Prices prices,
        @Valid @DefaultValue Filter filter,
        long lockKey,
        @Valid @DefaultValue Database database,
        @Valid @DefaultValue Events events,
        @Valid @DefaultValue Walk walk,
        @Min(value = 1, message = "must be at least 1") int progressEveryPages,
        @Valid @DefaultValue Retry retry,
        @Valid @DefaultValue Health health,
        @Valid @DefaultValue Status status,
        String routesDir) {

    /** Quartz refuses a shorter idle wait; a shorter check-in would only load the database. */
    static final String AT_LEAST_ONE_SECOND = "must be at least 1000 (milliseconds)";

    public record Schedule(boolean enabled) {
    }

    public record Cluster(
            @Min(value = 1000, message = AT_LEAST_ONE_SECOND) long checkinIntervalMs,
            @Min(value = 1000, message = AT_LEAST_ONE_SECOND) long idleWaitMs) {
    }

    public record Http(boolean enabled, Duration timeout, int maxBodyBytes, Duration bodyTimeout) {
    }

    public record Project(
            @NotBlank(message = "must name a metadata key, e.g. project") String metadataKey,
            @DefaultValue Map<String, String> renames) {
    }

    public record Prices(boolean enabled, boolean all) {
    }

    /** As written, empty when not set: {@link Moments} and {@link MetadataPairs} read the moments and the pairs. */
    public record Filter(boolean includeArchived, String createdAfter, String createdBefore, String metadata,
                         String excludeIds) {

        public Filter {
            createdAfter = createdAfter == null ? "" : createdAfter;
            createdBefore = createdBefore == null ? "" : createdBefore;
            metadata = metadata == null ? "" : metadata;
            excludeIds = excludeIds == null ? "" : excludeIds;
        }
    }

    /** Where the tables are (SYNC_DB_SCHEMA, checked by SettingsCheck) and how migrations connect. */
    public record Database(String schema, String migrationUrl) {

        public Database {
            schema = schema == null || schema.isBlank() ? "public" : schema;
        }

        /** The migration URL can carry a password (postgresql://user:password@host/db): never shown. */
        @Override
        public String toString() {
            return "Database[schema=" + schema + ", migrationUrl="
                    + (migrationUrl == null || migrationUrl.isBlank() ? "(none)" : "(set)") + "]";
        }
    }

    /** The events catch-up; the webhook's settings are Stripe's (stripe.webhook-*). */
    public record Events(boolean enabled, String cron, Duration maxAge, Duration healthMaxAge, long lockKey) {
    }

    public record Walk(
            @Min(value = 1, message = "must be between 1 and 32") @Max(value = 32, message = "must be between 1 and 32")
            int concurrency,
            @Min(value = 1, message = "must be at least 1 (whole requests per second)") int maxRequestsPerSecond,
            @Min(value = 1, message = "must be at least 1") long minWindowSeconds) {
    }

    public record Retry(int maxRetries, long initialDelayMs, long maxDelayMs, long maxTotalWaitMs) {
    }

    public record Health(Duration maxAge) {
    }

    static final String BETWEEN_1_AND_500 = "must be between 1 and 500";

    /** What the status page's charts and lists cover (the report routes bind these into their SQL). */
    public record Status(
            @Min(value = 1, message = "must be at least 1 (days)") int runDays,
            @Min(value = 1, message = "must be at least 1") int maxRuns,
            @Min(value = 1, message = "must be at least 1 (days)") int loggedDays,
            @Min(value = 1, message = BETWEEN_1_AND_500) @Max(value = 500, message = BETWEEN_1_AND_500)
            int recentChanges,
            @Min(value = 1, message = "must be at least 1 (days)") int driftDays,
            @Min(value = 1, message = "must be at least 1") int driftTop) {
    }

    /** A record's own, with the API token masked: settings can end up in a log line. */
    @Override
    public String toString() {
        return "SyncSettings[apiToken=" + Secrets.mask(apiToken) + ", readToken=" + Secrets.mask(readToken) + ", cron=" + cron + ", timeZone=" + timeZone
                + ", schedule=" + schedule + ", cluster=" + cluster + ", http=" + http + ", defaultProject="
                + defaultProject + ", project=" + project + ", prices=" + prices + ", filter=" + filter + ", lockKey="
                + lockKey + ", database=" + database + ", events=" + events + ", walk=" + walk + ", progressEveryPages=" + progressEveryPages + ", retry=" + retry
                + ", health=" + health + ", status=" + status + ", routesDir=" + routesDir + "]";
    }
}
