package io.xenondb.controller.db;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the controller's database to the schema of {@code db/migration} (Flyway, over pgjdbc) at start. */
public final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {}

    /** Applies the migrations not applied yet; returns the schema version afterwards. */
    public static String migrate(DatabaseUrl url) {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(url.jdbcUrl(), url.user(), url.password())
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info(
                    "schema of {}: {} migrations applied, now at version {}",
                    url,
                    result.migrationsExecuted,
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion);
            return result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion;
        } catch (FlywayException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE, "database " + url + ": schema migration failed: " + e.getMessage(), e);
        }
    }
}
