package io.stripesync.run;

import io.stripesync.config.SyncSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One run at a time across every instance on the database: a transaction-scoped PostgreSQL advisory lock, taken in
 * a transaction kept open on a dedicated connection for the whole run. Transaction-scoped (not session-scoped) so it
 * also holds through a transaction-mode pooler such as Supabase's on port 6543, which pins a server connection only
 * for a transaction's length. Released when the run ends, and by the server when the connection or process dies.
 */
@Component
public class RunLock {

    private static final Logger log = LoggerFactory.getLogger(RunLock.class);

    private final DataSource dataSource;
    private final long walkKey;
    private final long eventsKey;

    public RunLock(DataSource dataSource, SyncSettings settings) {
        this.dataSource = dataSource;
        this.walkKey = settings.lockKey();
        this.eventsKey = settings.events().lockKey();
    }

    /**
     * The connection holding the lock of this kind of run (one walk at a time, one catch-up at a time: the two may
     * overlap), or {@link SyncAlreadyRunningException} when another run of the kind holds it.
     */
    public Connection acquire(String kind) throws SQLException {
        long lockKey = Run.EVENTS.equals(kind) ? eventsKey : walkKey;
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                statement.setLong(1, lockKey);
                try (ResultSet result = statement.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        return connection;
                    }
                }
            }
            throw new SyncAlreadyRunningException(kind);
        } catch (RuntimeException | SQLException e) {
            release(connection);
            throw e;
        }
    }

    /** Ends the lock's transaction, and with it the lock. */
    public void release(Connection connection) {
        try (connection) {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            // a broken connection has already dropped the lock on the server side
            log.debug("Advisory lock connection closed with an error: {}", e.getMessage());
        }
    }
}
