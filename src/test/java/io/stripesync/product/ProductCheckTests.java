package io.stripesync.product;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.TestJson;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What makes a product impossible to log faithfully (it is set aside instead), and what does not. */
class ProductCheckTests {

    private final ProductCheck check = new ProductCheck();

    @Test
    void aProductShapedLikeStripesIsLogged() {
        Map<String, Object> product = product();
        Map<String, Object> sparse = product();
        sparse.put("updated", null);
        sparse.put("description", null);
        sparse.put("metadata", null);
        sparse.put("created", new BigInteger("1234567890"));
        sparse.put("livemode", null);

        assertThat(check.problemOf(product)).isNull();
        assertThat(check.problemOf(sparse)).isNull();
    }

    @Test
    void aProductThatIsNotAJsonObjectIsSetAside() {
        assertThat(check.problemOf("prod_QXg1hqf4jFNsqG")).isEqualTo("is not a JSON object");
        assertThat(check.problemOf(List.of(product()))).isEqualTo("is not a JSON object");
        assertThat(check.problemOf(null)).isEqualTo("is not a JSON object");
    }

    @Test
    void aProductWithoutAnIdIsSetAside() {
        assertThat(check.problemOf(with("id", null))).isEqualTo("has no id");
        assertThat(check.problemOf(with("id", " "))).isEqualTo("has no id");
        assertThat(check.problemOf(with("id", 42))).isEqualTo("has no id");
    }

    @Test
    void timestampsMustBeWholeUnixSeconds() {
        assertThat(check.problemOf(with("created", null))).isEqualTo("has no 'created' unix timestamp");
        assertThat(check.problemOf(with("created", "yesterday"))).isEqualTo("has no 'created' unix timestamp");
        assertThat(check.problemOf(with("created", 1234567890.5))).isEqualTo("has no 'created' unix timestamp");
        assertThat(check.problemOf(with("updated", "2024-01-01"))).isEqualTo("'updated' is not a unix timestamp");
        assertThat(check.problemOf(with("created", 1_234_567_890L))).isNull();
    }

    @Test
    void fieldsOfTheWrongTypeAreSetAside() {
        assertThat(check.problemOf(with("active", "true"))).isEqualTo("'active' is not a boolean");
        assertThat(check.problemOf(with("livemode", 0))).isEqualTo("'livemode' is not a boolean");
        assertThat(check.problemOf(with("name", List.of("T-shirt")))).isEqualTo("'name' is not a string");
        assertThat(check.problemOf(with("description", 7))).isEqualTo("'description' is not a string");
        assertThat(check.problemOf(with("metadata", "project=omnia"))).isEqualTo("'metadata' is not an object");
    }

    @Test
    void aNulCharacterIsAProblemOnlyInTheId() {
        // elsewhere the products log stores it as U+FFFD and records a warning (ProductsLogTests, MalformedProductTests)
        assertThat(check.problemOf(with("name", "Nul\u0000name"))).isNull();
        assertThat(check.problemOf(with("metadata", Map.of("s\u0000ku", "A\u00001")))).isNull();
        assertThat(check.problemOf(with("images", List.of("https://x.test/a\u0000.png")))).isNull();
        assertThat(check.problemOf(with("id", "prod_\u0000"))).contains("NUL").contains("id");
        assertThat(check.problemOf(with("name", "Ünïcødé 🚀 \"quoted\" back\\slash\nnewline"))).isNull();
    }

    private static Map<String, Object> product() {
        return TestJson.fixture("/stripe/product.json");
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> product = product();
        product.put(field, value);
        return product;
    }
}
