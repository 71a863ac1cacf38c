package io.xenondb.storagenode.pages;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.PostgresRuntimeException;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.pg.PgControlFile;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ResourceManager;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.tenant.Tenant;
import io.xenondb.storagenode.timeline.Timeline;
import io.xenondb.storagenode.wal.PgWalSegments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@link PageSnapshot} exactly as a compute starting from a base backup at the LSN would see its data:
 * the timeline's newest image at or below the LSN, its WAL from the image's redo point cut at the LSN, and
 * stock PostgreSQL started there with no signal file. Its crash recovery replays to the LSN, its
 * end-of-recovery checkpoint writes every page to the relation files, and a fast stop leaves them at rest.
 * Nothing connects to the server, so no query touches a page (no hint bits) before the files are read.
 */
public final class Materialiser {
    private static final Logger LOG = LoggerFactory.getLogger(Materialiser.class);
    private static final String HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n";
    /** PostgreSQL's DB_SHUTDOWNED: the state a clean shutdown leaves in pg_control. */
    private static final int DB_SHUTDOWNED = 1;
    /** The end-of-recovery checkpoint may start after a page header (at most a long header) past the LSN. */
    private static final long MAX_PAGE_HEADER = 40;

    private final PostgresBinaries binaries;
    private final Path root;
    private final Duration timeout;

    /**
     * @param root where snapshot directories go (PostgreSQL's OS user must be able to reach it)
     * @param timeout for the recovery (start) and, separately, for the stop
     */
    public Materialiser(PostgresBinaries binaries, Path root, Duration timeout) {
        this.binaries = binaries;
        this.root = root.toAbsolutePath().normalize();
        this.timeout = timeout;
    }

    public Path root() {
        return root;
    }

    /** A snapshot of {@code timeline} at {@code lsn}, a record boundary its history holds. */
    public PageSnapshot materialise(Tenant tenant, Timeline timeline, Lsn lsn) {
        Image image = tenant.imageOf(timeline, lsn)
                .orElseThrow(() -> new XenonException(
                        ErrorCode.INTERNAL, "no image of timeline " + timeline.id() + " at or below " + lsn));
        Path dir = root.resolve("snapshot-" + UUID.randomUUID());
        Path data = dir.resolve("data");
        long started = System.nanoTime();
        boolean done = false;
        try {
            Files.createDirectories(dir);
            tenant.images().materialise(image, data);
            PgWalSegments.write(timeline.history(), image.redoLsn(), lsn, data.resolve("pg_wal"));
            PgControlFile control = control(data);
            configure(data);
            try (PostgresCluster cluster = PostgresCluster.open(binaries, data)) {
                cluster.writeConfig(settings(control));
                cluster.start(FreePorts.allocate(), timeout);
                cluster.stop(StopMode.FAST, timeout);
            }
            checkRecoveredTo(data, lsn);
            deleteRecursively(data.resolve("pg_wal")); // only the relation and SLRU files are read from here on
            done = true;
            LOG.info(
                    "materialised {}/{} at {} from the image at {} in {} ms",
                    tenant.id(),
                    timeline.id(),
                    lsn,
                    image.lsn(),
                    (System.nanoTime() - started) / 1_000_000);
            return new PageSnapshot(new PageSnapshot.Key(tenant.id(), timeline.id(), lsn), data);
        } catch (IOException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL, "materialising " + timeline.id() + " at " + lsn + " failed: " + e, e);
        } catch (PostgresRuntimeException e) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "materialising " + timeline.id() + " at " + lsn + " failed: " + e.getMessage(),
                    e);
        } finally {
            if (!done) {
                deleteRecursively(dir);
            }
        }
    }

    /** Deletes a snapshot's files. */
    void discard(PageSnapshot snapshot) {
        deleteRecursively(snapshot.dataDir().getParent());
    }

    private static void configure(Path data) throws IOException {
        // A base backup's compute starts with no signal file: crash recovery to the end of pg_wal, i.e. the LSN.
        Files.deleteIfExists(data.resolve("standby.signal"));
        Files.deleteIfExists(data.resolve("recovery.signal"));
        Files.deleteIfExists(data.resolve("xenon.conf"));
        Files.writeString(data.resolve("postgresql.conf"), "# Xenon page snapshot: the settings are in xenon.conf\n");
        Files.writeString(data.resolve("postgresql.auto.conf"), "");
        Files.writeString(data.resolve("pg_hba.conf"), HBA);
        Files.writeString(data.resolve("pg_ident.conf"), "");
    }

    private static Map<String, String> settings(PgControlFile control) {
        Map<String, String> s = new LinkedHashMap<>();
        // Nothing may change a page after recovery: no autovacuum, no archiver, no connections.
        s.put("autovacuum", "off");
        s.put("archive_mode", "off");
        s.put("restore_command", "");
        s.put("shared_buffers", "16MB");
        s.put("fsync", "off"); // scratch: the files are read after a clean stop, never after a crash
        s.put("max_wal_size", "1GB");
        // Recovery of prepared transactions needs room for them; the other values mirror the primary's.
        s.put("max_connections", Integer.toString(Math.max(control.maxConnections(), 20)));
        s.put("max_worker_processes", Integer.toString(Math.max(control.maxWorkerProcesses(), 8)));
        s.put("max_wal_senders", Integer.toString(control.maxWalSenders()));
        s.put("max_prepared_transactions", Integer.toString(control.maxPreparedXacts()));
        s.put("max_locks_per_transaction", Integer.toString(Math.max(control.maxLocksPerXact(), 64)));
        return s;
    }

    /**
     * Proves the recovery ended exactly at {@code lsn}: the server stopped cleanly and the first record it wrote
     * itself, its end-of-recovery checkpoint, begins there.
     */
    private static void checkRecoveredTo(Path data, Lsn lsn) throws IOException {
        PgControlFile control = control(data);
        if (control.state() != DB_SHUTDOWNED) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "snapshot at " + lsn + ": pg_control state " + control.state() + " (expected: " + DB_SHUTDOWNED
                            + ", shut down)");
        }
        Optional<DecodedRecord> first;
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(data.resolve("pg_wal")), Optional.of(1L));
        try (WalReader reader = WalReader.open(files, lsn)) {
            first = reader.next();
        } catch (RuntimeException e) { // unreadable at the LSN: the recovery ended elsewhere
            first = Optional.empty();
        }
        boolean checkpointAtLsn = first.isPresent()
                && first.get().resourceManager() == ResourceManager.XLOG
                && first.get().recordType().equals("CHECKPOINT_SHUTDOWN")
                && first.get().lsn().minus(lsn) <= MAX_PAGE_HEADER;
        if (!checkpointAtLsn) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "snapshot at " + lsn + ": the recovery did not end there (first record of its own WAL: "
                            + first.map(r -> r.rmgrName() + " " + r.recordType() + " at " + r.lsn())
                                    .orElse("none")
                            + "; expected: the end-of-recovery checkpoint at " + lsn + ")");
        }
    }

    private static PgControlFile control(Path data) throws IOException {
        return PgControlFile.parse(Files.readAllBytes(data.resolve("global").resolve("pg_control")));
    }

    static void deleteRecursively(Path dir) {
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
