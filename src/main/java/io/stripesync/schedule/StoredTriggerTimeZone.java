package io.stripesync.schedule;

import java.util.Map;
import java.util.TimeZone;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The schedule's trigger is kept in the database, and camel-quartz replaces a stored trigger when the route's cron
 * changed, but not when only its time zone did. This replaces it then too, before the scheduler starts, so that a
 * changed {@code SYNC_TIME_ZONE} takes effect like a changed {@code SYNC_CRON}.
 */
@Component
public class StoredTriggerTimeZone implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoredTriggerTimeZone.class);

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(scheduler -> {
            for (Route route : camel.getRoutes()) {
                if (route.getEndpoint() instanceof QuartzEndpoint endpoint) {
                    follow(scheduler, endpoint);
                }
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    private static void follow(Scheduler scheduler, QuartzEndpoint endpoint) throws SchedulerException {
        Map<String, Object> parameters = endpoint.getTriggerParameters();
        Object zone = parameters == null ? null : parameters.get("timeZone");
        if (endpoint.getCron() == null || zone == null
                || !(scheduler.getTrigger(endpoint.getTriggerKey()) instanceof CronTrigger stored)) {
            return;
        }
        TimeZone wanted = TimeZone.getTimeZone(zone.toString());
        if (stored.getTimeZone().getID().equals(wanted.getID())) {
            return;
        }
        // as camel-quartz builds it: same cron, misfires fire once
        Trigger replacement = stored.getTriggerBuilder()
                .withSchedule(CronScheduleBuilder.cronSchedule(stored.getCronExpression()).inTimeZone(wanted)
                        .withMisfireHandlingInstructionFireAndProceed())
                .startNow()
                .build();
        scheduler.rescheduleJob(stored.getKey(), replacement);
        log.info("Schedule {}: time zone changed from {} to {}; next fire time {}", stored.getKey(),
                stored.getTimeZone().getID(), wanted.getID(), scheduler.getTrigger(stored.getKey()).getNextFireTime());
    }
}
