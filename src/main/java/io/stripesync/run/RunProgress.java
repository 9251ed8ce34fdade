package io.stripesync.run;

import io.stripesync.config.SyncSettings;
import io.stripesync.product.PageLog;
import io.stripesync.product.ProductsLog;
import io.stripesync.walk.WindowSource;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Counts what a run's pages did into the run, and tells the operator how far it got every few pages. */
@Component("runProgress")
public class RunProgress {

    /** Exchange property the route sets to the page statement's answer: synced and changed. */
    public static final String PAGE_WRITTEN = "stripePageWritten";

    private static final Logger log = LoggerFactory.getLogger(RunProgress.class);

    private final RunRecords records;
    private final int progressEveryPages;

    public RunProgress(RunRecords records, SyncSettings settings) {
        this.records = records;
        this.progressEveryPages = settings.progressEveryPages();
    }

    /** A page's products are logged (inserted, or compared and updated): count it, record what was set aside. */
    public void pageLogged(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        Map<?, ?> page = exchange.getProperty(WindowSource.PAGE, Map.class);
        Map<?, ?> written = exchange.getProperty(PAGE_WRITTEN, Map.class);
        PageLog pageLog = exchange.getProperty(ProductsLog.PAGE_LOG, PageLog.class);
        exchange.removeProperty(PAGE_WRITTEN);
        exchange.removeProperty(ProductsLog.PAGE_LOG);
        int listed = ((List<?>) page.get("data")).size();
        List<Object[]> setAside = pageLog.setAside();
        if (!setAside.isEmpty()) {
            records.recordProblems(run.getId(), setAside, "failure");
        }
        List<Object[]> altered = pageLog.altered();
        if (!altered.isEmpty()) {
            records.recordProblems(run.getId(), altered, "warning");
        }
        run.pageLogged(listed, count(written, "synced"), count(written, "changed"), setAside.size(), pageLog.filtered(),
                altered.size());
        int pages = run.getPages();
        if (pages % progressEveryPages == 0) {
            log.info("Sync run {}: {} pages, {} products scanned, {} synced, {} changed so far",
                    run.getId(), pages, run.getScanned(), run.getSynced(), run.getChanged());
        }
    }

    /** A page of prices is logged (the statement's update count). */
    public void pricesPageLogged(Exchange exchange) {
        int written = exchange.getMessage().getHeader("CamelJdbcUpdateCount", 0, Integer.class);
        exchange.getMessage().removeHeader("CamelJdbcUpdateCount");
        exchange.getProperty(RunLifecycle.RUN, Run.class).pricesPageLogged(written);
    }

    /** Counts the products the complete walk found deleted (the statement's answer is the body). */
    public void deletedMarked(Exchange exchange) {
        Run run = exchange.getProperty(RunLifecycle.RUN, Run.class);
        run.deletedMarked(exchange.getMessage().getBody(Integer.class));
        if (run.getDeleted() > 0) {
            log.info("Sync run {}: {} logged product(s) no longer in Stripe, marked deleted", run.getId(),
                    run.getDeleted());
        }
    }

    private static int count(Map<?, ?> written, String name) {
        return written != null && written.get(name) instanceof Number n ? n.intValue() : 0;
    }
}
