package io.stripesync.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads a moment as people write it in settings and query strings: a date (UTC midnight), a timestamp, or unix seconds. */
public final class Moments {

    public static final String FORMATS = "a date (2025-01-31, UTC), a timestamp (2025-01-31T12:00:00Z) or unix seconds";

    private Moments() {
    }

    /** The moment, or {@link IllegalArgumentException} naming the formats accepted. */
    public static Instant parse(String text) {
        String value = text == null ? "" : text.trim();
        try {
            if (value.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("is not " + FORMATS);
        }
    }
}
