package io.stripesync.schedule;

import io.stripesync.config.SyncSettings;
import io.stripesync.database.SyncSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * The Quartz scheduler of the schedule route (routes/triggers.camel.yaml), clustered in the service's own database:
 * every instance on the same database and schema is a node of one Quartz cluster, so each fire time of the cron runs
 * once, on one instance, and when an instance stops or dies the others keep the schedule.
 *
 * <p>The job store is Quartz's JDBC store over the service's DataSource: same connection settings, same schema
 * ({@code SYNC_DB_SCHEMA}, written into the table prefix like every statement's, see {@link SyncSchema}), tables
 * from Flyway ({@code V4__quartz_tables.sql}). It is {@link JobStoreTX}, which commits
 * its own transactions, so Camel's scheduling calls at start-up also run under the cluster's lock.
 *
 * <p>Camel starts the scheduler once its routes are up, and only where the schedule is on
 * ({@code camel.component.quartz.auto-start-scheduler}). On shutdown Spring puts it on standby first (the highest
 * lifecycle phase stops first, Camel stops later), so an instance going down hands its next fire time back to the
 * cluster instead of taking it with no route left to run it.
 */
@Configuration(proxyBeanMethods = false)
public class ClusteredScheduler {

    /** The cluster's name ({@code sched_name} in the qrtz_ tables): the same on every instance. */
    static final String CLUSTER_NAME = "stripe-sync-products";

    @Bean
    @DependsOnDatabaseInitialization
    SchedulerFactoryBean syncScheduler(DataSource dataSource, SyncSchema schema, SyncSettings settings) {
        // Quartz looks its connections up by name in a JVM-wide registry: one name per scheduler, never shared
        String connections = CLUSTER_NAME + "-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(connections, new DataSourceConnections(dataSource));

        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        quartz.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(settings.cluster().idleWaitMs()));
        // one job: while it runs here, the next fire time goes to another instance
        quartz.setProperty("org.quartz.threadPool.threadCount", "1");
        quartz.setProperty("org.quartz.jobStore.class", JobStoreTX.class.getName());
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass", PostgreSQLDelegate.class.getName());
        quartz.setProperty("org.quartz.jobStore.dataSource", connections);
        // "audit".qrtz_: Quartz writes the prefix before each table name, so its statements name the schema too
        quartz.setProperty("org.quartz.jobStore.tablePrefix", schema.qualify(SyncSchema.PLACEHOLDER + ".qrtz_"));
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(settings.cluster().checkinIntervalMs()));
        // without it two nodes can both fire one trigger (quartz-scheduler/quartz#107)
        quartz.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");

        SchedulerFactoryBean scheduler = new SchedulerFactoryBean();
        scheduler.setSchedulerName(CLUSTER_NAME);
        scheduler.setQuartzProperties(quartz);
        scheduler.setAutoStartup(false);
        return scheduler;
    }

    /** The service's connection pool, lent to Quartz; it is Spring's to close. */
    private record DataSourceConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void initialize() {
        }

        @Override
        public void shutdown() {
        }
    }
}
