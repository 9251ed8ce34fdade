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
        ProductFilter filter = new ProductFilter(true, "", "", "", "");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_B", false, 1_300_000_000L, Map.of("project", "x")))).isTrue();
        assertThat(filter.stripeParams()).isEmpty();
        assertThat(filter.createdFromSeconds()).isNull();
        assertThat(filter.createdUntilSeconds()).isNull();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void excludingArchivedProductsIsAskedOfStripeAndChecked() {
        ProductFilter filter = new ProductFilter(false, "", "", "", "");

        assertThat(filter.stripeParams()).isEqualTo("&active=true");
        assertThat(filter.narrowsWalk()).isTrue();
        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_B", false, JAN_2024, Map.of()))).isFalse();
    }

    @Test
    void createdWindowIncludesItsStartAndExcludesItsEnd() {
        ProductFilter filter = new ProductFilter(true, "2024-01-01", String.valueOf(FEB_2024), "", "");

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
        assertThat(new ProductFilter(true, "2024-01-01T00:00:00Z", "", "", "").narrowsWalk()).isTrue();
        assertThat(new ProductFilter(true, "", "2024-01-31", "", "").narrowsWalk()).isTrue();
    }

    @Test
    void metadataPairsNeedOneValueOfEveryKeyNamed() {
        ProductFilter filter = new ProductFilter(true, "", "", "project=omnia, project=atlas, tier=gold", "");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of("project", "omnia", "tier", "gold")))).isTrue();
        assertThat(filter.wants(product("prod_B", true, JAN_2024, Map.of("project", "atlas", "tier", "gold")))).isTrue();
        assertThat(filter.wants(product("prod_C", true, JAN_2024, Map.of("project", "helios", "tier", "gold"))))
                .isFalse();
        assertThat(filter.wants(product("prod_D", true, JAN_2024, Map.of("project", "omnia", "tier", "silver"))))
                .isFalse();
        // Stripe cannot filter on metadata: the whole catalogue is walked, and a product gone is still seen as gone
        assertThat(filter.stripeParams()).isEmpty();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void excludedIdsAreLeftOutWhateverElseTheyMatch() {
        ProductFilter filter = new ProductFilter(true, "", "", "", " prod_A , prod_C,,");

        assertThat(filter.wants(product("prod_A", true, JAN_2024, Map.of()))).isFalse();
        assertThat(filter.wants(product("prod_B", true, JAN_2024, Map.of()))).isTrue();
        assertThat(filter.wants(product("prod_C", true, JAN_2024, Map.of()))).isFalse();
        assertThat(filter.narrowsWalk()).isFalse();
    }

    @Test
    void settingsItCannotReadAreRefused() {
        assertThatThrownBy(() -> new ProductFilter(true, "last year", "", "", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProductFilter(true, "", "", "project", ""))
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
}
