package io.xenondb.compute.walproposer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients writing small transactions to a compute; each remembers the xid of every transaction whose COMMIT
 * returned (acknowledged). A client stops at its first SQL error (e.g. the compute was killed).
 */
final class Workload implements AutoCloseable {
    private final TestCompute compute;
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicReference<SQLException> firstError = new AtomicReference<>();
    private volatile boolean stopping;

    Workload(TestCompute compute) throws SQLException {
        this.compute = compute;
        try (Connection c = compute.connect();
                Statement s = c.createStatement()) {
            s.execute("create table if not exists items (id bigserial primary key, client int, payload text)");
        }
    }

    /** Starts {@code clients} clients; payloads of up to {@code maxPayload} bytes, an occasional big one. */
    Workload start(int clients, int maxPayload, long seed) {
        for (int i = 0; i < clients; i++) {
            int client = i;
            Random random = new Random(seed + i);
            Thread thread = new Thread(() -> run(client, random, maxPayload), "workload-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Runs one transaction on this thread and returns its xid once COMMIT returned. */
    long commitOne(int payload) throws SQLException {
        try (Connection c = compute.connect()) {
            c.setAutoCommit(false);
            long xid = insert(c, 0, "x".repeat(payload));
            c.commit();
            acked.add(xid);
            return xid;
        }
    }

    private void run(int client, Random random, int maxPayload) {
        try (Connection c = compute.connect()) {
            c.setAutoCommit(false);
            while (!stopping) {
                int size = random.nextInt(20) == 0 ? 20_000 + random.nextInt(40_000) : random.nextInt(maxPayload);
                byte[] bytes = new byte[size];
                for (int i = 0; i < size; i++) {
                    bytes[i] = (byte) ('a' + random.nextInt(26));
                }
                attempts.incrementAndGet();
                long xid = insert(c, client, new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
                c.commit();
                acked.add(xid);
            }
        } catch (SQLException e) {
            firstError.compareAndSet(null, e);
        }
    }

    private static long insert(Connection c, int client, String payload) throws SQLException {
        try (var insert = c.prepareStatement("insert into items (client, payload) values (?, ?)");
                Statement s = c.createStatement()) {
            insert.setInt(1, client);
            insert.setString(2, payload);
            insert.executeUpdate();
            try (ResultSet rs = s.executeQuery("select txid_current()")) {
                rs.next();
                // WAL records carry the 32-bit xid.
                return rs.getLong(1) & 0xFFFF_FFFFL;
            }
        }
    }

    Set<Long> acked() {
        return Set.copyOf(acked);
    }

    long attempts() {
        return attempts.get();
    }

    SQLException firstError() {
        return firstError.get();
    }

    /** Asks the clients to stop and waits up to {@code millis} for them (a COMMIT may be waiting). */
    void stop(long millis) {
        stopping = true;
        long deadline = System.currentTimeMillis() + millis;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop(1000);
    }
}
