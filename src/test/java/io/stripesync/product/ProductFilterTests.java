package io.stripesync.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.TestJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter settings: what Stripe is asked to leave out, and what is checked product by product. */
class ProductFilterTests {

    private static final long JAN_2024 = 1_704_067_200L;
    private static final long FEB_2024 = 1_706_745_600L;

    @Test
    void byDefaultEveryProductIsWantedAndTheWalkSeesTheWholeCatalogue() {
        ProductFilter filter = filter(true, "", "", "", "");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_B", false, 1_300_000_000L, Map.of("project", "x")))).isTrue();
        assertThat(filter.stripeParams()).isEmpty();
        assertThat(filter.createdFromSeconds()).isNull();
        assertThat(filter.createdUntilSeconds()).isNull();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void excludingArchivedProductsIsAskedOfStripeAndChecked() {
        ProductFilter filter = filter(false, "", "", "", "");

        assertThat(filter.stripeParams()).isEqualTo("&active=true");
        assertThat(filter.narrowsWalk()).isTrue();
        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_B", false, JAN_2024, Map.of()))).isFalse();
    }

    @Test
    void createdWindowIncludesItsStartAndExcludesItsEnd() {
        ProductFilter filter = filter(true, "2024-01-01", String.valueOf(FEB_2024), "", "");

        assertThat(filter.createdFromSeconds()).isEqualTo(JAN_2024);
        assertThat(filter.createdUntilSeconds()).isEqualTo(FEB_2024);
        assertThat(filter.narrowsWalk()).isTrue();
        assertThat(filter.stripeParams()).as("the window bounds the walk's windows, not its fixed parameters")
                .isEmpty();
        assertThat(filter.wants(product("prod_A", true, JAN_2024 - 1, Map.of()))).isFalse();
        assertThat(filter.wants(product("prod_B", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_C", true, FEB_2024 - 1, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_D", true, FEB_2024, Map.of()))).isFalse();
    }

    @Test
    void eitherBoundOfTheWindowNarrowsTheWalk() {
        assertThat(filter(true, "2024-01-01T00:00:00Z", "", "", "").narrowsWalk()).isTrue();
        assertThat(filter(true, "", "2024-01-31", "", "").narrowsWalk()).isTrue();
    }

    @Test
    void metadataPairsNeedOneValueOfEveryKeyNamed() {
        ProductFilter filter = filter(true, "", "", "project=omnia, project=atlas, tier=gold", "");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of("project", "omnia", "tier", "gold")))).isTrue();
        assertThat(filter.wants(product("prod_B", true, JAN_2024, Map.of("project", "atlas", "tier", "gold")))).isTrue();
        assertThat(filter.wants(product("prod_C", true, JAN_2024, Map.of("project", "helios", "tier", "gold"))))
                .isFalse();
        assertThat(filter.wants(product("prod_D", true, JAN_2024, Map.of("project", "omnia", "tier", "silver"))))
                .isFalse();
        // a product whose metadata lacks a key named is not wanted (it was a NullPointerException that failed the run)
        assertThat(filter.wants(product("prod_E", true, JAN_2024, Map.of("project", "omnia")))).isFalse();
        assertThat(filter.wants(product("prod_F", true, JAN_2024, Map.of()))).isFalse();
        // Stripe cannot filter on metadata: the whole catalogue is walked, and a product gone is still seen as gone
        assertThat(filter.stripeParams()).isEmpty();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void excludedIdsAreLeftOutWhateverElseTheyMatch() {
        ProductFilter filter = filter(true, "", "", "", " prod_A , prod_C,,");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isFalse();
        assertThat(filter.wants(product("prod_B", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_C", true, JAN_2024, Map.of()))).isFalse();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void settingsItCannotReadAreRefused() {
        assertThatThrownBy(() -> filter(true, "last year", "", "", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> filter(true, "", "", "project", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Object> product(String id, boolean active, long created, Map<String, String> metadata) {
        Map<String, Object> product = TestJson.fixture("/stripe/product.json");
        product.put("id", id);
        product.put("active", active);
        product.put("created", created);
        product.put("metadata", metadata);
        return product;
    }

    /** A filter from the settings as SYNC_FILTER_INCLUDE_ARCHIVED, _CREATED_AFTER, _CREATED_BEFORE, _METADATA and
     *  _EXCLUDE_IDS would give them. */
    private static ProductFilter filter(boolean includeArchived, String createdAfter, String createdBefore,
                                        String metadata, String excludeIds) {
        return new ProductFilter(io.stripesync.config.TestSettings.sync(java.util.Map.of(
                "sync.filter.include-archived", String.valueOf(includeArchived),
                "sync.filter.created-after", createdAfter, "sync.filter.created-before", createdBefore,
                "sync.filter.metadata", metadata, "sync.filter.exclude-ids", excludeIds)));
    }
}
