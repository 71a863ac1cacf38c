package io.xenondb.bench.storage;

import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples, every 100 ms while WAL is being written, how far the storage node's {@code last_record_lsn} is behind
 * the primary's flushed WAL; keeps the largest gap and the series (written as CSV to look at afterwards).
 */
final class IngestSampler {
    private final AtomicLong maxLag = new AtomicLong();
    private final List<String> rows = Collections.synchronizedList(new ArrayList<>());
    private final long startNanos = System.nanoTime();
    private volatile boolean running = true;
    private Thread thread;

    private IngestSampler() {}

    static IngestSampler start(Sql primary, StorageNodeClient client, TenantShardId tenant, TimelineId timeline) {
        IngestSampler sampler = new IngestSampler();
        sampler.thread = Thread.ofPlatform().name("ingest-sampler").daemon().start(() -> {
            try (Connection c = primary.connect();
                    Statement s = c.createStatement()) {
                while (sampler.running) {
                    Lsn flushed;
                    try (ResultSet rs = s.executeQuery("select pg_current_wal_flush_lsn()")) {
                        rs.next();
                        flushed = Lsn.parse(rs.getString(1));
                    }
                    Lsn ingested = client.timelineInfo(tenant, timeline).lastRecordLsn();
                    sampler.rows.add(String.format(
                            "%d,%d,%d",
                            (System.nanoTime() - sampler.startNanos) / 1_000_000, flushed.value(), ingested.value()));
                    sampler.maxLag.accumulateAndGet(Math.max(0, flushed.value() - ingested.value()), Math::max);
                    Thread.sleep(100);
                }
            } catch (SQLException | RuntimeException e) {
                StorageNodeBench.log("ingest sampler stopped: " + e);
            } catch (InterruptedException e) {
                // stopped
            }
        });
        return sampler;
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The samples as CSV: milliseconds since the start, the primary's flushed LSN, the node's last record LSN. */
    void writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("millis,primary_flush_lsn,storage_last_record_lsn");
        synchronized (rows) {
            lines.addAll(rows);
        }
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            StorageNodeBench.log("cannot write " + file + ": " + e);
        }
    }

    long maxLagBytes() {
        return maxLag.get();
    }
}
