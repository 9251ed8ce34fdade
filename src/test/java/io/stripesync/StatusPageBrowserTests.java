package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stripesync.standin.SampleProducts;
import io.stripesync.standin.StripeCatalogue;
import io.stripesync.standin.StripeStandIn;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The status page in a real browser: Debian's headless Chromium, driven through its own chromedriver (Selenium is
 * never let download one), against a service of its own with the schedule on (so there are fire times to show) and a
 * month of history: walks, one interrupted, a skipped fire time, a failed run that set a product aside, changes,
 * price drift, a catch-up. Every number the page shows is compared with the database. Skipped where Chromium is not
 * installed ({@code apt-get install -y chromium chromium-driver}); {@code -Dstatus-page.chromium=} and
 * {@code -Dstatus-page.chromedriver=} point elsewhere. The desktop screenshot goes to target/status-page.png, and
 * also to the path in {@code -Dstatus-page.screenshot=} (the README's: docs/status-page.png).
 */
class StatusPageBrowserTests {

    private static final Path CHROMIUM = Path.of(System.getProperty("status-page.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("status-page.chromedriver",
            "/usr/bin/chromedriver"));
    private static final String API_TOKEN = "status-page-api-token-0123456789";
    private static final String READ_TOKEN = "status-page-read-token-9876543210";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static StripeStandIn stripe;
    private static JdbcTemplate db;
    private static ConfigurableApplicationContext service;
    private static ChromeDriver browser;
    private static String base;

    @BeforeAll
    static void startTheServiceWithAMonthOfHistoryAndABrowser() throws Exception {
        if (!chromiumInstalled()) {
            return; // each test reports itself skipped
        }
        stripe = StripeStandIn.start(0);
        db = ServiceOnDatabase.newDatabase("");
        service = ServiceOnDatabase.startWeb(db, stripe, "SYNC_API_TOKEN=" + API_TOKEN, "SYNC_READ_TOKEN=" + READ_TOKEN,
                // the schedule on, for its fire times; the catch-up's set far from now, so nothing runs on its own
                "SYNC_SCHEDULE_ENABLED=true", "SYNC_EVENTS_CRON=0 30 3 * * ?");
        base = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");
        history();
        browser = chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (stripe != null) {
            stripe.stop();
        }
    }

    private static boolean chromiumInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeEach
    void aNewVisitor() {
        // per test, not per class: Surefire then counts each as skipped, with this message
        assumeTrue(chromiumInstalled(), "skipped: chromium not installed (apt-get install -y chromium chromium-driver)");
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        browser.manage().window().setSize(new Dimension(1280, 900));
        // forget the last test's token on a page of the same origin that runs no script: on the status page itself,
        // a refresh still under way when the storage is cleared would store the token again
        browser.get(base + "/actuator/health");
        browser.executeScript("sessionStorage.clear()");
        browser.get(base + "/");
        browser.manage().logs().get(LogType.BROWSER); // start each test with an empty console
    }

    @Test
    void aWrongTokenIsToldPlainlyAndTheRightOneIsAskedForOnceAndKeptOutOfTheAddress() {
        WebElement login = waitUntilShown("login");
        assertThat(browser.findElement(By.id("status")).isDisplayed()).isFalse();

        browser.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
        browser.findElement(By.id("login-submit")).click();

        WebElement message = waitUntilShown("login-message");
        assertThat(message.getText()).contains("refused").contains("SYNC_READ_TOKEN");
        assertThat(login.isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("status")).isDisplayed()).isFalse();
        assertThat(storedToken()).isNull();

        logIn(READ_TOKEN);

        assertThat(storedToken()).isEqualTo(READ_TOKEN);
        assertThat(browser.getCurrentUrl()).doesNotContain(READ_TOKEN).isEqualTo(base + "/");
        assertThat(login.isDisplayed()).isFalse();
        // asked once: a reload, or /status, reads with the kept token
        browser.get(base + "/status");
        waitUntilLoaded();
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        browser.findElement(By.id("forget")).click();
        waitUntilShown("login");
        assertThat(storedToken()).isNull();
        assertThat(policyViolations()).isEmpty();
    }

    @Test
    void chartsRenderAndEveryNumberShownIsTheDatabases() throws Exception {
        logIn(API_TOKEN);

        for (String chart : new String[] {"runs-chart", "projects-chart", "logged-chart"}) {
            @SuppressWarnings("unchecked")
            Map<String, Number> size = (Map<String, Number>) browser.executeScript("var c = document.querySelector("
                    + "'#" + chart + " canvas'); var r = c.getBoundingClientRect();"
                    + "return {w: c.width, h: c.height, cssW: r.width, cssH: r.height};");
            assertThat(size.values()).as(chart).allSatisfy(v -> assertThat(v.doubleValue()).isGreaterThan(50));
        }

        Map<String, Object> walk = db.queryForMap("SELECT * FROM stripe_sync_runs WHERE kind = 'walk' "
                + "AND status <> 'skipped' ORDER BY id DESC LIMIT 1");
        for (String count : new String[] {"synced", "changed", "deleted", "failed", "scanned"}) {
            assertThat(number(text("#last-walk [data-field='" + count + "']"))).as(count).isEqualTo(walk.get(count));
        }
        assertThat(text("#last-walk [data-field='status']")).isEqualToIgnoringCase((String) walk.get("status"));
        Map<String, Object> catchUp = db.queryForMap("SELECT * FROM stripe_sync_runs WHERE kind = 'events' "
                + "ORDER BY id DESC LIMIT 1");
        for (String count : new String[] {"events", "synced", "changed"}) {
            assertThat(number(text("#last-catch-up [data-field='" + count + "']"))).as(count)
                    .isEqualTo(catchUp.get(count));
        }
        assertThat(text("#freshness [data-field='status']")).isEqualToIgnoringCase("up");
        assertThat(text("#freshness [data-field='walk-limit']")).startsWith("limit 26 h");
        assertThat(text("#schedule [data-field='walk']")).startsWith("Walk in ");
        assertThat(text("#schedule [data-field='walk-detail']")).contains("0 0 0 * * ?");
        assertThat(text("#schedule [data-field='catch-up-detail']")).contains("0 30 3 * * ?");

        // runs over time: one bar per walk of 30 days, its counts on hover
        assertThat(rows("runs-table")).hasSize(db.queryForObject("SELECT count(*) FROM stripe_sync_runs "
                + "WHERE kind = 'walk' AND started_at >= now() - interval '30 days'", Integer.class));
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#runs-chart .u-over")), 0, 0).perform();
        new WebDriverWait(browser, WAIT).until(b -> text("#runs-hover").startsWith("Run "));
        assertThat(text("#runs-hover")).contains("synced").contains("changed").contains("deleted").contains("failed");

        // products per project
        Map<String, Integer> perProject = db.queryForList("SELECT coalesce(project, '(none)') AS project, "
                + "count(*) AS products FROM stripe_products_log GROUP BY project").stream().collect(Collectors.toMap(
                row -> (String) row.get("project"), row -> ((Number) row.get("products")).intValue()));
        Map<String, Integer> shown = new HashMap<>();
        for (WebElement row : rows("projects-table")) {
            shown.put(row.getAttribute("data-project"), number(row.findElements(By.tagName("td")).get(1).getText()));
        }
        assertThat(shown).isEqualTo(perProject);
        assertThat(number(text("#projects [data-field='total']"))).isEqualTo(perProject.values().stream()
                .mapToInt(Integer::intValue).sum());

        // logged per day, 90 days
        assertThat(number(text("#logged [data-field='total']"))).isEqualTo(db.queryForObject("SELECT count(*) "
                + "FROM stripe_products_log WHERE logged_at >= CAST(now() AT TIME ZONE 'UTC' AS date) - 89", Integer.class));
        assertThat(rows("logged-table")).hasSize(90);

        // recent changes, newest first
        List<WebElement> changes = rows("changes-table");
        int changeRows = db.queryForObject("SELECT count(*) FROM stripe_product_changes", Integer.class);
        assertThat(changes).hasSize(Math.min(50, changeRows)).isNotEmpty();
        Map<String, Object> newest = db.queryForMap("SELECT c.stripe_product_id, c.field FROM stripe_product_changes c "
                + "ORDER BY detected_at DESC, id DESC LIMIT 1");
        assertThat(changes.get(0).getText()).contains((String) newest.get("stripe_product_id"))
                .contains((String) newest.get("field"));

        // price drift: the largest moves first
        List<WebElement> drift = rows("drift-table");
        List<String> largest = db.queryForList("SELECT stripe_product_id FROM stripe_product_changes "
                + "WHERE field = 'default_price' AND detected_at >= now() - interval '31 days' "
                + "AND old_value ->> 'currency' = new_value ->> 'currency' ORDER BY abs(((new_value ->> 'unit_amount')::numeric "
                + "- (old_value ->> 'unit_amount')::numeric) / (old_value ->> 'unit_amount')::numeric) DESC", String.class);
        assertThat(drift).hasSizeGreaterThan(largest.size()); // the currency change is listed too, without a percentage
        assertThat(drift.get(0).getAttribute("data-product")).isEqualTo(largest.get(0));
        assertThat(text("#drift [data-field='summary']")).startsWith(drift.size() + " price changes");

        // the products the last failed run set aside
        long failedRun = db.queryForObject("SELECT max(id) FROM stripe_sync_runs WHERE status = 'failed'", Long.class);
        assertThat(rows("failures-table")).extracting(row -> row.getAttribute("data-product"))
                .containsExactlyElementsOf(db.queryForList("SELECT stripe_product_id FROM stripe_sync_failures "
                        + "WHERE run_id = ? ORDER BY id", String.class, failedRun));
        assertThat(text("#failures [data-field='run']")).startsWith("run " + failedRun);

        assertThat(policyViolations()).isEmpty();
        screenshot();
    }

    @Test
    void readableOnAPhoneAndInDarkMode() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                "deviceScaleFactor", 2, "mobile", true));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        logIn(READ_TOKEN);

        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("nothing wider than the phone but the tables' own scrolling").isLessThanOrEqualTo(390);
        assertThat(((Number) browser.executeScript("return document.querySelector('#runs-chart canvas')"
                + ".getBoundingClientRect().width")).doubleValue()).isBetween(200.0, 390.0);
        String background = (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor");
        assertThat(brightness(background)).as(background).isLessThan(60);
        assertThat(policyViolations()).isEmpty();
    }

    @Test
    void withoutJavaScriptThePageSaysHowToReadTheEndpointsWithCurl() {
        ChromeDriver noScript = chromium("--blink-settings=scriptEnabled=false");
        try {
            noScript.get(base + "/status");

            String shown = noScript.findElement(By.tagName("body")).getText();
            assertThat(shown).contains("This page needs JavaScript").contains("curl")
                    .contains("/stripe-sync-products/overview").contains("SYNC_READ_TOKEN");
            assertThat(noScript.findElement(By.id("login")).isDisplayed()).isFalse();
            assertThat(noScript.findElement(By.id("status")).isDisplayed()).isFalse();
        } finally {
            noScript.quit();
        }
    }

    /** The service, with the history a month of use leaves: written before the real runs, so ids follow time. */
    private static void history() throws Exception {
        for (int day = 29; day >= 3; day--) {
            String status = day == 17 ? "interrupted" : "succeeded";
            db.update("INSERT INTO stripe_sync_runs (trigger, status, started_at, finished_at, pages, scanned, synced, "
                    + "changed, skipped) VALUES ('schedule', ?, date_trunc('day', now()) - make_interval(days => ?), "
                    + "date_trunc('day', now()) - make_interval(days => ?) + make_interval(secs => ?), 1, 60, ?, ?, 60 - ?)",
                    status, day, day, 2.5 + (day * 7 % 11) / 2.0, day % 4, day % 3, day % 4);
            if (day == 9) {
                db.update("INSERT INTO stripe_sync_runs (trigger, status, started_at, finished_at, skipped_for_run_id, "
                        + "error) SELECT 'schedule', 'skipped', date_trunc('day', now()) - interval '9 days' + interval "
                        + "'6 hours', date_trunc('day', now()) - interval '9 days' + interval '6 hours', max(id), "
                        + "'a run was in progress: a run follows when it ends' FROM stripe_sync_runs");
            }
        }
        StripeCatalogue catalogue = stripe.catalogue();
        SampleProducts.fill(catalogue, 60);
        for (int i = 0; i < 14; i++) {
            Map<String, Object> product = StripeCatalogue.product(String.format("prod_Omnia%08d", i),
                    "Omnia workspace add-on " + (i + 1), 1_700_000_000L + i);
            product.put("metadata", Map.of("project", "omnia"));
            catalogue.add(product);
        }
        trigger("/stripe-sync-products");
        catalogue.update("prod_Sample00000004", Map.of("name", "Pro plan (annual)"));
        catalogue.update("prod_Sample00000008", Map.of("active", false));
        catalogue.changeDefaultPrice("prod_Sample00000000", 1290);
        catalogue.changeDefaultPrice("prod_Sample00000002", 2490);
        catalogue.changeDefaultPrice("prod_Sample00000010", 2190);
        catalogue.changeDefaultPrice("prod_Sample00000001", 1200); // eur to usd: no percentage
        trigger("/stripe-sync-products");
        catalogue.add(StripeCatalogue.unreadable("prod_Unreadable01", "Broken metadata", 1_700_000_100L));
        trigger("/stripe-sync-products");
        catalogue.remove("prod_Unreadable01");
        trigger("/stripe-sync-products");
        trigger("/stripe-sync-products/events"); // the cursor starts now
        catalogue.create("prod_LaunchWeek01", "Launch week bundle");
        catalogue.update("prod_Sample00000012", Map.of("name", "Team seat (legacy)"));
        trigger("/stripe-sync-products/events");
        // the real runs spread over the last days, and products logged over the last three months
        db.update("UPDATE stripe_sync_runs r SET started_at = r.started_at - s.back, finished_at = r.finished_at - s.back "
                + "FROM (SELECT id, make_interval(hours => (3 - row_number() OVER (ORDER BY id))::int * 20 + 30) AS back "
                + "FROM stripe_sync_runs WHERE trigger = 'http' ORDER BY id LIMIT 3) s WHERE r.id = s.id");
        db.update("UPDATE stripe_products_log SET logged_at = now() - make_interval(days => (id * 37 % 88)::int, "
                + "hours => (id % 5)::int) WHERE id % 3 <> 0");
    }

    private static void trigger(String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 500, 502);
    }

    private static ChromeDriver chromium(String... arguments) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // as root Chromium needs --no-sandbox; /dev/shm is small in containers
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US", "--force-device-scale-factor=1");
        options.addArguments(arguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    private void logIn(String token) {
        waitUntilShown("login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login-submit")).click();
        waitUntilLoaded();
    }

    private static void waitUntilLoaded() {
        new WebDriverWait(browser, WAIT).until(b -> b.findElement(By.id("status")).isDisplayed()
                && b.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
    }

    private static WebElement waitUntilShown(String id) {
        return new WebDriverWait(browser, WAIT).withMessage(() -> "#" + id + " not shown; console: "
                + browser.manage().logs().get(LogType.BROWSER).getAll() + "; body: "
                + browser.findElement(By.tagName("body")).getAttribute("outerHTML").substring(0, 600)).until(b -> {
            WebElement element = b.findElement(By.id(id));
            return element.isDisplayed() ? element : null;
        });
    }

    private static String storedToken() {
        return (String) browser.executeScript("return sessionStorage.getItem('stripe-sync-products.token')");
    }

    /** The text of an element, shown or not (inside a closed details element too). */
    private static String text(String selector) {
        return browser.findElement(By.cssSelector(selector)).getAttribute("textContent").trim();
    }

    private static List<WebElement> rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
    }

    private static int number(String shown) {
        return Integer.parseInt(shown.replace(",", ""));
    }

    /** The console's complaints of the Content-Security-Policy: none, or the page broke its own rule. */
    private static List<String> policyViolations() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Refused to"))
                .toList();
    }

    private static double brightness(String rgb) {
        String[] parts = rgb.replaceAll("[^0-9,]", "").split(",");
        return (Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]) + Integer.parseInt(parts[2])) / 3.0;
    }

    /** The whole page, 1280 wide, to target/ and, when asked, where -Dstatus-page.screenshot says. */
    private static void screenshot() throws IOException {
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 40, 4000)));
        new WebDriverWait(browser, WAIT).until(b -> ((Number) ((ChromeDriver) b).executeScript(
                "return document.querySelector('#runs-chart canvas').getBoundingClientRect().width")).intValue() > 900);
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.write(Path.of("target/status-page.png"), png);
        String also = System.getProperty("status-page.screenshot");
        if (also != null && !also.isBlank()) {
            Files.write(Path.of(also), png);
        }
        assertThat(new File("target/status-page.png")).isNotEmpty();
    }
}
