package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Moments as people write them in SYNC_FILTER_CREATED_AFTER / _BEFORE and in the drift report's {@code since}. */
class MomentsTests {

    @Test
    void aDateIsMidnightUtc() {
        assertThat(Moments.parse("2025-01-31")).isEqualTo(Instant.parse("2025-01-31T00:00:00Z"));
    }

    @Test
    void aTimestampKeepsItsOffset() {
        assertThat(Moments.parse("2025-01-31T12:00:00Z")).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
        assertThat(Moments.parse("2025-01-31T12:00:00+02:00")).isEqualTo(Instant.parse("2025-01-31T10:00:00Z"));
        assertThat(Moments.parse("2025-01-31T12:00:00.250-05:00")).isEqualTo(Instant.parse("2025-01-31T17:00:00.250Z"));
    }

    @Test
    void digitsAreUnixSeconds() {
        assertThat(Moments.parse("1738324800")).isEqualTo(Instant.parse("2025-01-31T12:00:00Z"));
        assertThat(Moments.parse("0")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(Moments.parse("  2025-01-31 ")).isEqualTo(Instant.parse("2025-01-31T00:00:00Z"));
    }

    @Test
    void anythingElseIsRefusedNamingTheFormats() {
        // milliseconds (13 digits), a timestamp without offset, an impossible date, words, nothing
        for (String text : new String[] {"1738324800000", "2025-01-31T12:00:00", "2024-13-45", "last year", "-1", "",
                null}) {
            assertThatThrownBy(() -> Moments.parse(text)).as(String.valueOf(text))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("is not " + Moments.FORMATS);
        }
    }
}
