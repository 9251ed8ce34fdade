package io.stripesync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SYNC_FILTER_METADATA: key=value pairs; values of one key are alternatives. */
class MetadataPairsTests {

    @Test
    void valuesOfOneKeyAreGatheredAsAlternatives() {
        assertThat(MetadataPairs.parse("project=omnia,project=atlas,tier=gold")).containsExactly(
                Map.entry("project", Set.of("omnia", "atlas")), Map.entry("tier", Set.of("gold")));
    }

    @Test
    void spacesAroundKeysAndValuesAndEmptyPairsAreIgnored() {
        assertThat(MetadataPairs.parse(" project = omnia ,, tier=gold, ")).containsExactly(
                Map.entry("project", Set.of("omnia")), Map.entry("tier", Set.of("gold")));
    }

    @Test
    void nothingMeansNoCondition() {
        assertThat(MetadataPairs.parse("")).isEmpty();
        assertThat(MetadataPairs.parse(" , ")).isEmpty();
    }

    @Test
    void aValueMayHoldEqualsSignsOrBeEmpty() {
        assertThat(MetadataPairs.parse("query=a=b,flag=")).containsExactly(
                Map.entry("query", Set.of("a=b")), Map.entry("flag", Set.of("")));
    }

    @Test
    void aPairWithoutKeyOrEqualsSignIsRefused() {
        for (String text : new String[] {"project", "=omnia", "project=omnia,tier"}) {
            assertThatThrownBy(() -> MetadataPairs.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key=value pairs separated by commas");
        }
    }
}
