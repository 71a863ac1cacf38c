package io.xenondb.bench.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The benchmark's data: table {@code bench_data} of rows of about 1 KiB (8 to a page; 896 characters of md5 text
 * stay under the TOAST threshold, so nothing is compressed), inserted in id order in batches of at most 16 MiB,
 * each its own transaction. Xenon and vanilla get the same rows: Xenon grows to a size, vanilla to Xenon's id.
 */
public final class DataSet {
    public static final String TABLE = "bench_data";
    private static final int ROWS_PER_MIB = 1024;
    private static final int MAX_BATCH = 16 * ROWS_PER_MIB;
    private static final String INSERT =
            "insert into " + TABLE + " select g, repeat(md5(g::text), 28) from generate_series(?::bigint, ?::bigint) g";

    private DataSet() {}

    public static void create(Sql db) throws SQLException {
        db.execute("create table " + TABLE + " (id bigint not null, pad text not null)");
    }

    /** Inserts rows after {@code lastId} until the database is at least {@code bytes}; the new last id. */
    public static long growTo(Sql db, long lastId, long bytes) throws SQLException {
        long id = lastId;
        try (Connection c = db.connect()) {
            while (true) {
                long size = databaseSize(c);
                if (size >= bytes) {
                    return id;
                }
                long rows = Math.clamp((bytes - size) / 1024 + 1, 64, MAX_BATCH);
                insert(c, id + 1, id + rows);
                id += rows;
            }
        }
    }

    /** Inserts rows {@code lastId + 1 .. upTo} in the batches {@link #growTo} would use at most. */
    public static void fill(Sql db, long lastId, long upTo) throws SQLException {
        try (Connection c = db.connect()) {
            for (long from = lastId + 1; from <= upTo; from += MAX_BATCH) {
                insert(c, from, Math.min(upTo, from + MAX_BATCH - 1));
            }
        }
    }

    public static long databaseSize(Sql db) throws SQLException {
        return db.number("select pg_database_size(current_database())");
    }

    private static long databaseSize(Connection c) throws SQLException {
        try (var s = c.createStatement();
                var rs = s.executeQuery("select pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setLong(1, from);
            s.setLong(2, to);
            s.executeUpdate();
        }
    }
}
