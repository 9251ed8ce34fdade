package io.stripesync.run;

/** Runs for unit tests of the walk: a {@link Run} as RunLifecycle begins one, without its lock or its record. */
public final class TestRuns {

    private TestRuns() {
    }

    /** A run of the whole catalogue: no filter pushed to Stripe, no creation window, test mode. */
    public static Run wholeCatalogue() {
        return new Run(1L, "test", Run.WALK, "backfill", null, null, "", null, null, true, false);
    }

    /**
     * A run narrowed at Stripe: {@code productParams} as sent with each request ({@code &active=true}), products
     * created in [{@code createdFrom}, {@code createdUntil}) (either null for no bound).
     */
    public static Run narrowed(String productParams, Long createdFrom, Long createdUntil) {
        return new Run(1L, "test", Run.WALK, "backfill", null, null, productParams, createdFrom, createdUntil, false,
                false);
    }
}
