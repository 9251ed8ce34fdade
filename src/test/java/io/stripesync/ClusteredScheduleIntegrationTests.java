package io.stripesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stripesync.standin.StripeStandIn;
import io.stripesync.run.RunLifecycle;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Several replicas, one schedule. Each test starts whole instances of the service (their own Spring and Camel
 * contexts and Quartz schedulers, sharing nothing but the database) on a fresh database of the test server, all with
 * the schedule on. They share it through Quartz's clustered store: each fire time runs once, on one instance; when
 * one stops the other keeps the schedule; a fire time missed while all were down runs once when one is back.
 */
class ClusteredScheduleIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(ClusteredScheduleIntegrationTests.class);

    private static final StripeStandIn STRIPE = StripeStandIn.start(0);

    /** Far longer than a run here (well under a second), so a fire time never meets a run still going. */
    private static final String EVERY_3_SECONDS = "0/3 * * * * ?";
    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final String DAILY = "0 0 0 * * ?";

    @AfterAll
    static void stopStandIn() {
        STRIPE.stop();
    }

    @BeforeEach
    void emptyCatalogue() {
        STRIPE.reset();
    }

    @Test
    void eachFireTimeRunsOnceOnOneInstanceAndTheOtherKeepsTheScheduleWhenOneStops() {
        long began = System.nanoTime();
        STRIPE.catalogue().addGenerated(150);
        JdbcTemplate db = newDatabase();
        FireTimes firstTook = new FireTimes();
        FireTimes secondTook = new FireTimes();
        ConfigurableApplicationContext first = startService(db, EVERY_3_SECONDS, "UTC", firstTook);
        ConfigurableApplicationContext second = startService(db, EVERY_3_SECONDS, "UTC", secondTook);
        Instant stopped;
        FireTimes survivor;
        try {
            // both up: four fire times, new products appearing in Stripe between them
            runsWithProductsBetween(db, Instant.now(), 4, true);

            // stop the instance that ran the latest fire time
            boolean firstRanLatest = !firstTook.taken.isEmpty()
                    && (secondTook.taken.isEmpty() || firstTook.taken.lastKey().isAfter(secondTook.taken.lastKey()));
            (firstRanLatest ? first : second).close();
            stopped = Instant.now();
            survivor = firstRanLatest ? secondTook : firstTook;

            runsWithProductsBetween(db, stopped, 4, false);
        } finally {
            first.close();
            second.close();
        }

        // no fire time went to both instances, and none was lost: one every 3 s from the first to the last
        assertThat(firstTook.taken.keySet()).doesNotContainAnyElementsOf(secondTook.taken.keySet());
        NavigableMap<Instant, Integer> fireTimes = new TreeMap<>(firstTook.taken);
        fireTimes.putAll(secondTook.taken);
        assertThat(fireTimes).hasSizeGreaterThanOrEqualTo(8).allSatisfy((fireTime, status) -> assertThat(status)
                .as("answer to fire time %s", fireTime).isEqualTo(200));
        assertThat(gapsBetween(fireTimes.keySet())).containsOnly(INTERVAL);
        // after the stop, the other instance ran every fire time
        assertThat(survivor.taken.tailMap(stopped)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(fireTimes.tailMap(stopped)).isEqualTo(survivor.taken.tailMap(stopped));

        // exactly one run per fire time, each succeeded
        List<Map<String, Object>> runs = db.queryForList("SELECT scheduled_for, status, synced FROM stripe_sync_runs "
                + "WHERE trigger = 'schedule' ORDER BY scheduled_for");
        assertThat(runs).extracting(run -> ((Timestamp) run.get("scheduled_for")).toInstant())
                .containsExactlyElementsOf(fireTimes.keySet());
        assertThat(runs).extracting(run -> run.get("status")).containsOnly("succeeded");
        assertThat(db.queryForObject("SELECT count(*) FROM stripe_sync_runs WHERE trigger <> 'schedule'",
                Integer.class)).isZero();

        // every product logged once: the first run logged the catalogue, each later run what was added before it
        assertThat(db.queryForObject("SELECT count(*) FROM (SELECT stripe_product_id FROM stripe_products_log "
                + "GROUP BY 1 HAVING count(*) > 1) duplicates", Integer.class)).isZero();
        int logged = db.queryForObject("SELECT count(*) FROM stripe_products_log", Integer.class);
        assertThat(logged).isEqualTo(STRIPE.catalogue().size());
        assertThat(runs.get(0).get("synced")).isEqualTo(150);
        assertThat(runs.stream().mapToInt(run -> (Integer) run.get("synced")).sum()).isEqualTo(logged);

        log.info("Clustered schedule: {} fire times from {} to {}, one run each ({} on the first instance, {} on the "
                + "second); {} after one stopped, all on the other; {} products logged, none twice; {} s in all",
                fireTimes.size(), fireTimes.firstKey(), fireTimes.lastKey(), firstTook.taken.size(),
                secondTook.taken.size(), survivor.taken.tailMap(stopped).size(), logged,
                Duration.ofNanos(System.nanoTime() - began).toSeconds());
    }

    @Test
    void aFireTimeMissedWhileEveryInstanceWasDownRunsOnceWhenOneIsBack() throws Exception {
        STRIPE.catalogue().addGenerated(20);
        JdbcTemplate db = newDatabase();
        startService(db, DAILY, "UTC", new FireTimes()).close();
        // every instance was down over the last three midnights
        db.update("UPDATE qrtz_triggers SET next_fire_time = ? WHERE trigger_name = 'scheduled-sync'",
                Instant.now().minus(Duration.ofDays(3)).toEpochMilli());

        Instant back = Instant.now();
        try (ConfigurableApplicationContext service = startService(db, DAILY, "UTC", new FireTimes())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> scheduledRuns(db) == 1);
            // and only once, not once per missed midnight
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> scheduledRuns(db) == 1);
        }
        Map<String, Object> run = db.queryForMap("SELECT * FROM stripe_sync_runs");
        assertThat(run).containsEntry("status", "succeeded").containsEntry("synced", 20);
        assertThat(((Timestamp) run.get("scheduled_for")).toInstant()).isAfter(back);
        // then the schedule goes on: next midnight
        assertThat(Instant.ofEpochMilli(db.queryForObject("SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = 'scheduled-sync'",
                Long.class)))
                .isEqualTo(nextFireTime(DAILY, "UTC"));
    }

    @Test
    void theStoredScheduleFollowsAChangedTimeZoneAndCron() throws Exception {
        JdbcTemplate db = newDatabase();
        startService(db, DAILY, "UTC", new FireTimes()).close();
        assertThat(storedSchedule(db)).containsExactly(DAILY, "UTC", nextFireTime(DAILY, "UTC"));

        startService(db, DAILY, "America/New_York", new FireTimes()).close();
        assertThat(storedSchedule(db)).containsExactly(DAILY, "America/New_York",
                nextFireTime(DAILY, "America/New_York"));

        startService(db, "0 30 6 * * ?", "America/New_York", new FireTimes()).close();
        assertThat(storedSchedule(db)).containsExactly("0 30 6 * * ?", "America/New_York",
                nextFireTime("0 30 6 * * ?", "America/New_York"));
        assertThat(db.queryForObject("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'scheduled-sync'",
                Integer.class)).isOne();
    }

    /** Waits for {@code count} scheduled runs for fire times after {@code after}, adding products after each. */
    private static void runsWithProductsBetween(JdbcTemplate db, Instant after, int count, boolean addAfterLast) {
        for (int i = 1; i <= count; i++) {
            int expected = i;
            await().atMost(INTERVAL.multipliedBy(4)).pollInterval(Duration.ofMillis(100)).until(() -> db.queryForObject(
                    "SELECT count(*) FROM stripe_sync_runs WHERE trigger = 'schedule' AND scheduled_for > ? "
                            + "AND status <> 'running'", Integer.class, Timestamp.from(after)) >= expected);
            if (i < count || addAfterLast) {
                STRIPE.catalogue().addGenerated(5);
            }
        }
    }

    private static int scheduledRuns(JdbcTemplate db) {
        return db.queryForObject("SELECT count(*) FROM stripe_sync_runs WHERE trigger = 'schedule'", Integer.class);
    }

    private static List<Object> storedSchedule(JdbcTemplate db) {
        return db.queryForObject("SELECT c.cron_expression, c.time_zone_id, t.next_fire_time FROM qrtz_cron_triggers c "
                + "JOIN qrtz_triggers t USING (sched_name, trigger_name, trigger_group) "
                + "WHERE trigger_name = 'scheduled-sync'", (row, n) -> List.of(
                row.getString(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3))));
    }

    private static Instant nextFireTime(String cron, String zone) throws java.text.ParseException {
        CronExpression expression = new CronExpression(cron);
        expression.setTimeZone(java.util.TimeZone.getTimeZone(zone));
        return expression.getNextValidTimeAfter(new Date()).toInstant();
    }

    private static List<Duration> gapsBetween(Iterable<Instant> times) {
        List<Duration> gaps = new ArrayList<>();
        Instant previous = null;
        for (Instant time : times) {
            if (previous != null) {
                gaps.add(Duration.between(previous, time));
            }
            previous = time;
        }
        return gaps;
    }

    private static JdbcTemplate newDatabase() {
        return ServiceOnDatabase.newDatabase("");
    }

    private static ConfigurableApplicationContext startService(JdbcTemplate db, String cron, String zone,
                                                               FireTimes fireTimes) {
        String jdbcUrl = ((DriverManagerDataSource) db.getDataSource()).getUrl();
        return new SpringApplicationBuilder(StripeSyncApplication.class).web(WebApplicationType.NONE)
                .initializers(context -> context.getBeanFactory().registerSingleton("fireTimes", fireTimes))
                // as the environment would give them (default properties feed config/application.yaml's ${...})
                .properties("spring.datasource.url=" + jdbcUrl, "spring.datasource.username=postgres",
                        "STRIPE_API_BASE_URL=" + STRIPE.baseUrl(), "STRIPE_SECRET_KEY=" + StripeStandIn.API_KEY,
                        "SYNC_HTTP_ENABLED=false", "SYNC_SCHEDULE_ENABLED=true", "SYNC_CRON=" + cron,
                        "SYNC_TIME_ZONE=" + zone, "SYNC_CLUSTER_IDLE_WAIT_MS=1000",
                        "SYNC_CLUSTER_CHECKIN_INTERVAL_MS=1000",
                        // the walk's schedule alone: the catch-up's (every 5 minutes) would add runs and a trigger
                        "SYNC_EVENTS_ENABLED=false")
                .run();
    }

    /** The fire times one instance took, with the status its run answered, as they left its schedule route. */
    private static final class FireTimes extends EventNotifierSupport {

        final NavigableMap<Instant, Integer> taken = new ConcurrentSkipListMap<>();

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof ExchangeCompletedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Exchange exchange = ((ExchangeCompletedEvent) event).getExchange();
            Date fireTime = exchange.getProperty(io.stripesync.run.RunLifecycle.SCHEDULED_FOR, Date.class);
            if ("trigger-on-schedule".equals(exchange.getFromRouteId()) && fireTime != null) {
                taken.put(fireTime.toInstant(), exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0,
                        Integer.class));
            }
        }
    }
}
