package io.stripesync.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.stripesync.run.Run;
import io.stripesync.run.TestRuns;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Where a window of creation time splits when walkers are idle: the rule that makes the parallel walk correct. */
class WindowTests {

    private static final Pattern GTE = Pattern.compile("created%5Bgte%5D=(-?\\d+)");
    private static final Pattern LT = Pattern.compile("created%5Blt%5D=(-?\\d+)");
    private static final long NOW = 1_700_000_000L;
    private static final int PAGES_TO_KEEP = 10;
    private static final long MIN_SPAN = 2;

    @Test
    void splitsTheFirstWindowFromTheNewestProducts() {
        Window first = Window.productsOf(TestRuns.wholeCatalogue());

        // a page of 100 products created a second apart, the newest at NOW + 99
        List<Window> older = first.splitOlderParts(NOW + 99, NOW, PAGES_TO_KEEP, 3, MIN_SPAN);

        // the first window keeps ten pages' worth below its cursor; each idle walker gets the next stretch of that
        // size, the last one all of the remaining past
        long kept = NOW - 10 * 99;
        assertThat(first).hasToString("[" + kept + ", +inf)");
        assertThat(older).extracting(Window::toString).containsExactly(
                "[" + (kept - 990) + ", " + kept + ")",
                "[" + (kept - 2 * 990) + ", " + (kept - 990) + ")",
                "[-inf, " + (kept - 2 * 990) + ")");
        assertThat(bounds(first)[0]).as("the cursor's product stays in the window that keeps the cursor")
                .isLessThanOrEqualTo(NOW);
    }

    @Test
    void firstWindowFansOutToEveryIdleWalkerAtOnce() {
        for (int walkers = 1; walkers <= 6; walkers++) {
            Window first = Window.productsOf(TestRuns.wholeCatalogue());

            assertThat(first.splitOlderParts(NOW + 99, NOW, PAGES_TO_KEEP, walkers, MIN_SPAN)).hasSize(walkers);
        }
    }

    @Test
    void firstWindowDoesNotFanOutIntoTheYearsBeforeStripe() {
        Window first = Window.productsOf(TestRuns.wholeCatalogue());
        long last = Window.STRIPE_LAUNCH + 2500;

        List<Window> older = first.splitOlderParts(last + 99, last, PAGES_TO_KEEP, 5, MIN_SPAN);

        // five idle walkers, but only one stretch of ten pages fits above 2011: one bounded window and the past
        assertThat(older).extracting(Window::toString).containsExactly(
                "[" + (last - 1980) + ", " + (last - 990) + ")", "[-inf, " + (last - 1980) + ")");
    }

    @Test
    void firstWindowWhoseRestIsAllBeforeStripeDoesNotSplit() {
        Window first = Window.productsOf(TestRuns.wholeCatalogue());
        long last = Window.STRIPE_LAUNCH + 500;

        assertThat(first.splitOlderParts(last + 99, last, PAGES_TO_KEEP, 5, MIN_SPAN)).isEmpty();
        assertThat(first).hasToString("[-inf, +inf)");
    }

    @Test
    void boundedWindowIsCutInHalf() {
        Window window = Window.productsOf(TestRuns.narrowed("&active=true", 1_600_000_000L, NOW));

        // its page ended at NOW - 10,000; what is left is [1,600,000,000, NOW - 10,000]
        List<Window> older = window.splitOlderParts(NOW - 1, NOW - 10_000, PAGES_TO_KEEP, 4, MIN_SPAN);

        long half = 1_600_000_000L + (NOW - 10_000 - 1_600_000_000L) / 2;
        assertThat(older).singleElement().hasToString("[1600000000, " + half + ")");
        assertThat(older.get(0).getQueryParams()).startsWith("&active=true");
        assertThat(window).hasToString("[" + half + ", " + NOW + ")");
    }

    @Test
    void tooSmallASpanDoesNotSplit() {
        Window window = Window.productsOf(TestRuns.narrowed("", 1_600_000_000L, NOW));

        // what is left holds fewer than six pages at this page's density
        assertThat(window.splitOlderParts(1_600_000_700L, 1_600_000_500L, PAGES_TO_KEEP, 4, MIN_SPAN)).isEmpty();
        // a page of products all created in one second, less than the minimum span above the window's start
        assertThat(window.splitOlderParts(1_600_000_005L, 1_600_000_005L, PAGES_TO_KEEP, 4, 10)).isEmpty();
        assertThat(window).hasToString("[1600000000, " + NOW + ")");
    }

    @Test
    void noIdleWalkerNoSplit() {
        Window first = Window.productsOf(TestRuns.wholeCatalogue());

        assertThat(first.splitOlderParts(NOW + 99, NOW, PAGES_TO_KEEP, 0, MIN_SPAN)).isEmpty();
        assertThat(first).hasToString("[-inf, +inf)");
    }

    @Test
    void pricesWindowNeverSplits() {
        Window prices = Window.pricesOf(TestRuns.wholeCatalogue());

        assertThat(prices.splitOlderParts(NOW + 99, NOW, PAGES_TO_KEEP, 6, MIN_SPAN)).isEmpty();
        assertThat(prices.splitOlderParts(NOW - 1, Window.STRIPE_LAUNCH + 1, PAGES_TO_KEEP, 6, MIN_SPAN)).isEmpty();
        assertThat(prices.isPrices()).isTrue();
        assertThat(prices.getListPath()).isEqualTo(Run.PRICES);
        assertThat(prices.getQueryParams()).isEmpty();
    }

    @Test
    void windowsTogetherCoverExactlyTheOldRange() {
        assertCoveredExactlyAfterSplitting(TestRuns.wholeCatalogue(), Long.MIN_VALUE, Long.MAX_VALUE);
        assertCoveredExactlyAfterSplitting(TestRuns.narrowed("&active=true", 1_500_000_000L, NOW), 1_500_000_000L, NOW);
        assertCoveredExactlyAfterSplitting(TestRuns.narrowed("", 1_500_000_000L, null), 1_500_000_000L, Long.MAX_VALUE);
        assertCoveredExactlyAfterSplitting(TestRuns.narrowed("", null, NOW), Long.MIN_VALUE, NOW);
    }

    @Test
    void queryCarriesTheWalksParametersAndTheWindowsBounds() {
        Window window = Window.productsOf(TestRuns.narrowed("&active=true", 1_600_000_000L, NOW));

        assertThat(window.getListPath()).isEqualTo(Run.PRODUCTS);
        assertThat(window.isPrices()).isFalse();
        assertThat(window.isEndOfWalk()).isFalse();
        assertThat(window.getQueryParams())
                .isEqualTo("&active=true&created%5Bgte%5D=1600000000&created%5Blt%5D=" + NOW);
        assertThat(Window.productsOf(TestRuns.wholeCatalogue()).getQueryParams()).isEmpty();
        assertThat(Window.END.isEndOfWalk()).isTrue();
    }

    /**
     * Splits the run's windows again and again at pages drawn at random inside them (as walkers would, each page
     * ending inside its window), then checks that the windows tile [from, until): no gap, no overlap, none empty.
     */
    private static void assertCoveredExactlyAfterSplitting(Run run, long from, long until) {
        Random random = new Random(7);
        List<Window> windows = new ArrayList<>(List.of(Window.productsOf(run)));
        for (int round = 0; round < 12; round++) {
            for (Window window : List.copyOf(windows)) {
                long[] bounds = bounds(window);
                long bottom = bounds[0] == Long.MIN_VALUE ? Window.STRIPE_LAUNCH - 86_400 : bounds[0];
                long top = bounds[1] == Long.MAX_VALUE ? NOW + 86_400 : bounds[1];
                if (top - bottom < 2) {
                    continue;
                }
                long last = bottom + (long) (random.nextDouble() * (top - bottom));
                long first = Math.min(top - 1, last + random.nextInt(5000));
                windows.addAll(window.splitOlderParts(first, last, PAGES_TO_KEEP, 1 + random.nextInt(4), MIN_SPAN));
            }
        }
        assertThat(windows).as("split at all").hasSizeGreaterThan(20);

        List<long[]> tiles = windows.stream().map(WindowTests::bounds)
                .sorted(Comparator.comparingLong(b -> b[0])).toList();
        assertThat(tiles.get(0)[0]).isEqualTo(from);
        assertThat(tiles.get(tiles.size() - 1)[1]).isEqualTo(until);
        for (int i = 0; i < tiles.size(); i++) {
            assertThat(tiles.get(i)[0]).as("window %d is not empty", i).isLessThan(tiles.get(i)[1]);
            if (i > 0) {
                assertThat(tiles.get(i)[0]).as("window %d starts where window %d ends", i, i - 1)
                        .isEqualTo(tiles.get(i - 1)[1]);
            }
        }
    }

    /** The window's [created[gte], created[lt]) as it asks Stripe, unbounded ends as MIN/MAX. */
    private static long[] bounds(Window window) {
        String query = window.getQueryParams();
        return new long[] {value(GTE.matcher(query), Long.MIN_VALUE), value(LT.matcher(query), Long.MAX_VALUE)};
    }

    private static long value(Matcher matcher, long unbounded) {
        return matcher.find() ? Long.parseLong(matcher.group(1)) : unbounded;
    }
}
