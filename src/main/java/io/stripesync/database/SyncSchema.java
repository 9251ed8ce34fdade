package io.stripesync.database;

import io.stripesync.config.InvalidSettingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import io.stripesync.config.SyncSettings;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;

/**
 * The schema of the service's tables ({@code SYNC_DB_SCHEMA}), written into every statement the service sends:
 * {@code "audit".stripe_sync_runs}, never left to the connection's {@code search_path}.
 *
 * <p>Why: {@code search_path} is session state, and through a transaction-mode pooler (Supabase's port 6543,
 * PgBouncer) a client connection's transactions run on whichever server connection is free. A {@code SET} made on
 * one lands on the server connection that served it: the next transaction may run without it ({@code relation
 * "stripe_sync_runs" does not exist} once the pooler recycled its connections) while other clients of the pool
 * inherit it. Hikari's {@code schema} and the driver's {@code currentSchema} are that same {@code SET}. A schema
 * written into the statement holds on any connection.
 *
 * <p>SQL files (src/main/resources/sql) and SQL constants write {@value #PLACEHOLDER}{@code .stripe_sync_runs};
 * the placeholder is replaced when the statement is loaded, by the schema name checked against
 * {@code ^[a-z_][a-z0-9_]*$} and quoted, so no setting reaches SQL text unchecked. The routes load their SQL through
 * {@link #statement(String)}; Quartz gets the schema in its table prefix.
 */
@Component("syncSchema")
public class SyncSchema {

    /** Written before a table or function name in the service's SQL; replaced by the quoted schema. */
    public static final String PLACEHOLDER = "{schema}";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;
    private final String quoted;
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    public SyncSchema(SyncSettings settings) {
        this.name = checked(settings.database().schema());
        this.quoted = '"' + this.name + '"';
    }

    /** The schema name as given, or {@link InvalidSettingException} naming SYNC_DB_SCHEMA when it is not one. */
    public static String checked(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new InvalidSettingException("SYNC_DB_SCHEMA", "must be a schema name of lowercase letters, digits "
                    + "and _ (not starting with a digit, at most 63 characters), e.g. public or audit");
        }
        return name;
    }

    public String name() {
        return name;
    }

    /** {@code sql} with {@value #PLACEHOLDER} replaced by the schema, quoted. */
    public String qualify(String sql) {
        return sql.replace(PLACEHOLDER, quoted);
    }

    /** The statement in {@code src/main/resources/sql/<file>}, with the schema written in (read once). */
    public String statement(String file) {
        return statements.computeIfAbsent(file, f -> qualify(read(f)));
    }

    private static String read(String file) {
        try {
            return StreamUtils.copyToString(new ClassPathResource("sql/" + file).getInputStream(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sql/" + file, e);
        }
    }
}
