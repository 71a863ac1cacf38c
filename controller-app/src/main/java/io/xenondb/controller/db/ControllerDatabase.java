package io.xenondb.controller.db;

import io.xenondb.pgruntime.PostgresBinaries;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The controller's database for the life of the application: the one of {@code --database-url}, or the embedded
 * one of dev mode (started here, stopped by {@link #close}); its schema is migrated when this is made.
 */
public final class ControllerDatabase implements AutoCloseable {
    private final DatabaseUrl url;
    private final EmbeddedDatabase embedded;

    private ControllerDatabase(DatabaseUrl url, EmbeddedDatabase embedded) {
        this.url = url;
        this.embedded = embedded;
    }

    /** The database at {@code url}, or (empty) an embedded one in {@code devDataDir}; migrated. */
    public static ControllerDatabase open(Optional<DatabaseUrl> url, Path devDataDir) {
        EmbeddedDatabase embedded =
                url.isPresent() ? null : EmbeddedDatabase.start(PostgresBinaries.bundled(), devDataDir);
        ControllerDatabase database = new ControllerDatabase(url.orElseGet(embedded::url), embedded);
        try {
            SchemaMigrations.migrate(database.url);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    public DatabaseUrl url() {
        return url;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
