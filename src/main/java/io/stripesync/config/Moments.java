package io.stripesync.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reads a moment as people write it in settings and query strings: a date (UTC midnight), a timestamp, or unix seconds. */
public final class Moments {

    public static final String FORMATS = "a date (2025-01-31, UTC), a timestamp (2025-01-31T12:00:00Z) or unix seconds";

    private Moments() {
    }

    /** Moments outside these years are refused: PostgreSQL cannot compare them, and no Stripe object has one. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The moment, or {@link IllegalArgumentException} naming the formats accepted. */
    public static Instant parse(String text) {
        Instant moment = parseAnyYear(text);
        if (moment.isBefore(EARLIEST) || moment.isAfter(LATEST)) {
            throw new IllegalArgumentException("is out of range: between 1970-01-01 and 9999-12-31");
        }
        return moment;
    }

    private static Instant parseAnyYear(String text) {
        String value = text == null ? "" : text.trim();
        try {
            if (value.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("is not " + FORMATS);
        }
    }
}
