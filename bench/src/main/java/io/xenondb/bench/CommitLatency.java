package io.xenondb.bench;

import io.xenondb.pgruntime.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Single-client commit latency: one connection, autocommit, one tiny INSERT per transaction. */
final class CommitLatency {
    private CommitLatency() {}

    static LatencyStats measure(PostgresCluster pg, int warmup, int txns) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.superuser(), "")) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists bench_commit (id bigserial primary key, v int not null)");
            }
            long[] samples = new long[txns];
            try (PreparedStatement insert = c.prepareStatement("insert into bench_commit (v) values (?)")) {
                for (int i = 0; i < warmup + txns; i++) {
                    insert.setInt(1, i);
                    long start = System.nanoTime();
                    insert.executeUpdate();
                    long elapsed = System.nanoTime() - start;
                    if (i >= warmup) {
                        samples[i - warmup] = elapsed;
                    }
                }
            }
            return LatencyStats.of(samples);
        }
    }
}
