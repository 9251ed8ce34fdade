package io.stripesync.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stripesync.TestJson;
import io.stripesync.run.TestRuns;
import io.stripesync.walk.StripePage.MalformedStripePageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A parsed Stripe response is logged only if it is a list page that moves the walk on. */
class StripePageTests {

    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final StripePage stripePage = new StripePage();

    @Test
    void aListPageIsKeptWithWhereTheNextPageStarts() {
        Map<String, Object> page = TestJson.fixture("/stripe/products-page.json");
        Map<String, Object> lastPage = TestJson.fixture("/stripe/products-last-page.json");
        Map<String, Object> emptyLastPage = page(List.of(), false);

        Exchange checked = checked(page);
        assertThat(checked.getProperty(WindowSource.PAGE)).isSameAs(page);
        assertThat(checked.getProperty(WindowSource.HAS_MORE)).isEqualTo(true);
        List<?> data = (List<?>) page.get("data");
        assertThat(checked.getProperty(StripePage.LAST_ID)).isEqualTo(((Map<?, ?>) data.get(data.size() - 1)).get("id"));
        assertThat(stripePage.dataOf(page)).isSameAs(data);

        Exchange last = checked(lastPage);
        assertThat(last.getProperty(WindowSource.PAGE)).isSameAs(lastPage);
        assertThat(last.getProperty(WindowSource.HAS_MORE)).isEqualTo(false);
        assertThat(last.getProperty(StripePage.LAST_ID)).isNull();
        assertThat(checked(emptyLastPage).getProperty(WindowSource.PAGE)).isSameAs(emptyLastPage);
    }

    private Exchange checked(Map<String, Object> page) {
        Exchange exchange = exchange(page, null);
        stripePage.check(exchange);
        return exchange;
    }

    @Test
    void aResponseThatIsNotAListObjectIsMalformed() {
        Map<String, Object> product = TestJson.fixture("/stripe/product.json");
        Map<String, Object> noObject = TestJson.fixture("/stripe/products-page.json");
        noObject.remove("object");

        for (Object body : new Object[] {product, noObject, "<html>maintenance</html>", List.of(), null}) {
            assertThatThrownBy(() -> stripePage.check(exchange(body, null)))
                    .isInstanceOf(MalformedStripePageException.class).hasMessageContaining("not a Stripe list object");
        }
    }

    @Test
    void aListWithoutADataArrayIsMalformed() {
        Map<String, Object> page = TestJson.fixture("/stripe/products-page.json");
        page.put("data", Map.of("id", "prod_1"));
        Map<String, Object> noData = TestJson.fixture("/stripe/products-page.json");
        noData.remove("data");

        for (Map<String, Object> body : List.of(page, noData)) {
            assertThatThrownBy(() -> stripePage.check(exchange(body, null)))
                    .isInstanceOf(MalformedStripePageException.class).hasMessageContaining("no 'data' array");
        }
    }

    @Test
    void hasMoreMustBeABoolean() {
        Map<String, Object> text = TestJson.fixture("/stripe/products-page.json");
        text.put("has_more", "true");
        Map<String, Object> missing = TestJson.fixture("/stripe/products-page.json");
        missing.remove("has_more");

        for (Map<String, Object> body : List.of(text, missing)) {
            assertThatThrownBy(() -> stripePage.check(exchange(body, null)))
                    .isInstanceOf(MalformedStripePageException.class).hasMessageContaining("no boolean 'has_more'");
        }
    }

    @Test
    void hasMoreWithoutALastIdToContinueFromIsMalformed() {
        Map<String, Object> empty = TestJson.fixture("/stripe/products-page-without-cursor.json");
        Map<String, Object> lastWithoutId = TestJson.fixture("/stripe/products-page.json");
        ((Map<?, ?>) data(lastWithoutId).get(1)).remove("id");
        Map<String, Object> lastNotAnObject = page(List.of("prod_1"), true);

        for (Map<String, Object> body : List.of(empty, lastWithoutId, lastNotAnObject)) {
            assertThatThrownBy(() -> stripePage.check(exchange(body, null)))
                    .isInstanceOf(MalformedStripePageException.class)
                    .hasMessageContaining("has_more but its last object has no id");
        }
    }

    @Test
    void aPageThatRepeatsAPageAlreadyWalkedInTheWindowIsMalformed() {
        Window window = Window.productsOf(TestRuns.wholeCatalogue());
        Map<String, Object> first = TestJson.fixture("/stripe/products-page.json");
        Map<String, Object> second = page(List.of(product("prod_B")), true);

        stripePage.check(exchange(first, window));
        stripePage.check(exchange(second, window));

        // Stripe handing back the first page again: the walk would never end
        assertThatThrownBy(() -> stripePage.check(exchange(TestJson.fixture("/stripe/products-page.json"), window)))
                .isInstanceOf(MalformedStripePageException.class)
                .hasMessageContaining("repeats a page already walked").hasMessageContaining("sku+1&2");
        // another window has its own pages
        Window other = Window.productsOf(TestRuns.wholeCatalogue());
        Exchange ofOther = exchange(first, other);
        stripePage.check(ofOther);
        assertThat(ofOther.getProperty(WindowSource.PAGE)).isSameAs(first);
    }

    @Test
    void theCursorIsUrlEncodedAfterTheQuery() {
        assertThat(stripePage.continueAfter("limit=100&active=true", "sku+1&2"))
                .isEqualTo("limit=100&active=true&starting_after=sku%2B1%262");
        assertThat(stripePage.continueAfter("limit=100", "prod_QXg1hqf4jFNsqG"))
                .isEqualTo("limit=100&starting_after=prod_QXg1hqf4jFNsqG");
    }

    private static Exchange exchange(Object body, Window window) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(body);
        if (window != null) {
            exchange.setProperty(WindowSource.WINDOW, window);
        }
        return exchange;
    }

    private static Map<String, Object> page(List<?> data, boolean hasMore) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("url", "/v1/products");
        page.put("has_more", hasMore);
        page.put("data", new ArrayList<>(data));
        return page;
    }

    private static Map<String, Object> product(String id) {
        Map<String, Object> product = TestJson.fixture("/stripe/product.json");
        product.put("id", id);
        return product;
    }

    private static List<?> data(Map<String, Object> page) {
        return (List<?>) page.get("data");
    }
}
