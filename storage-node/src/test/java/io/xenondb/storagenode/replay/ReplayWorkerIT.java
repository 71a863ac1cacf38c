package io.xenondb.storagenode.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.pg.PgControlFile;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ResourceManager;
import io.xenondb.storagenode.image.Image;
import io.xenondb.storagenode.image.ImageStore;
import io.xenondb.storagenode.wal.PgWalSegments;
import io.xenondb.storagenode.wal.WalSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The proof that images work: a bootstrap image from initdb, a primary started from it doing a workload, images
 * made by replay at commit boundaries, and fresh computes started from those images plus WAL that see exactly
 * the transactions committed before their start LSN.
 */
@Tag("storage-node")
class ReplayWorkerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TimelineId TIMELINE = TimelineId.parse("3f0e2b8a9c1d4e5f60718293a4b5c6d7");
    private static final int TRANSACTIONS = 5;
    private static final int CHECKPOINT_AFTER = 2; // a CHECKPOINT on the primary after this many transactions

    private static Path work;
    private static PostgresBinaries binaries;
    private static ImageStore store;
    private static ReplayWorker worker;
    private static Image boot;
    private static Lsn checkpointRedo;
    private static final List<Lsn> commitEnds = new ArrayList<>();
    private static final List<Long> rowsAfter = new ArrayList<>();
    private static WalSource wal;

    @BeforeAll
    static void bootstrapAndRunWorkload() throws Exception {
        work = Path.of("target", "replay-it", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(work);
        binaries = PostgresBinaries.bundled();
        store = ImageStore.open(work.resolve("images"), Clock.systemUTC());
        worker = new ReplayWorker(binaries, store, work.resolve("scratch"), TIMEOUT);

        Path initdb = work.resolve("initdb");
        PostgresCluster.initdb(binaries, initdb, InitdbOptions.defaults()).close();
        PgControlFile initControl = PgControlFile.parse(Files.readAllBytes(initdb.resolve("global/pg_control")));
        SegmentFileWalSource initWal = SegmentFileWalSource.open(initdb.resolve("pg_wal"));
        boot = worker.bootstrap(TIMELINE, initdb);
        assertThat(boot.lsn()).isEqualTo(initWal.end()).isGreaterThan(initControl.checkpoint());
        assertThat(boot.redoLsn()).isEqualTo(initControl.redo());
        assertThat(store.files(boot)).contains("backup_label", "global/pg_control", "PG_VERSION");
        assertThat(new String(store.readPage(boot, "backup_label", 0).orElse(new byte[0])))
                .isEmpty(); // under 8 KiB: no whole block to read
        assertThat(work.resolve("scratch")).isEmptyDirectory();

        // A primary from the bootstrap image: materialise, the initdb WAL, no signal file.
        Path primaryDir = work.resolve("primary");
        store.materialise(boot, primaryDir);
        PgWalSegments.write(initWal, boot.redoLsn(), boot.lsn(), primaryDir.resolve("pg_wal"));
        try (PostgresCluster primary = PostgresCluster.open(binaries, primaryDir)) {
            primary.writeConfig(Map.of("wal_keep_size", "1GB", "shared_buffers", "16MB", "autovacuum", "off"));
            primary.start(FreePorts.allocate(), TIMEOUT);
            List<Long> xids = new ArrayList<>();
            try (Connection c = connect(primary);
                    Statement s = c.createStatement()) {
                assertThat(timeline(s)).isEqualTo(1);
                s.execute("create table t (id int primary key, pad text)");
                long rows = 0;
                for (int txn = 1; txn <= TRANSACTIONS; txn++) {
                    c.setAutoCommit(false);
                    s.execute("insert into t select g, repeat('x', 200) from generate_series(" + (rows + 1) + ", "
                            + (rows + 100 * txn) + ") g");
                    xids.add(queryLong(s, "select txid_current()"));
                    c.commit();
                    c.setAutoCommit(true);
                    rows += 100 * txn;
                    rowsAfter.add(rows);
                    if (txn == CHECKPOINT_AFTER) {
                        s.execute("checkpoint");
                        checkpointRedo = Lsn.parse(queryText(s, "select redo_lsn from pg_control_checkpoint()"));
                        // PgControlFile's layout against the server's own view of the same file.
                        PgControlFile control =
                                PgControlFile.parse(Files.readAllBytes(primaryDir.resolve("global/pg_control")));
                        assertThat(control.redo()).isEqualTo(checkpointRedo);
                        assertThat(control.checkpoint())
                                .isEqualTo(
                                        Lsn.parse(queryText(s, "select checkpoint_lsn from pg_control_checkpoint()")));
                        assertThat(control.timeline()).isEqualTo(1);
                        assertThat(control.maxConnections()).isEqualTo(queryLong(s, "show max_connections"));
                        assertThat(control.maxLocksPerXact()).isEqualTo(queryLong(s, "show max_locks_per_transaction"));
                    }
                }
            }
            primary.stop(StopMode.FAST, TIMEOUT);
            wal = SegmentFileWalSource.open(primaryDir.resolve("pg_wal"));
            Map<Long, Lsn> commits = commitEnds(primaryDir.resolve("pg_wal"));
            for (long xid : xids) {
                commitEnds.add(commits.get(xid));
            }
        }
        assertThat(commitEnds).doesNotContainNull().isSorted();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (store != null) {
            store.close();
        }
        if (work != null) {
            FileTrees.deleteRecursively(work);
        }
    }

    @Test
    void computesFromReplayImagesSeeExactlyTheCommitsBeforeTheirStart() throws Exception {
        Lsn t1 = commitEnds.get(2); // after transaction 3, past the CHECKPOINT
        Lsn t2 = commitEnds.get(TRANSACTIONS - 1);
        Image image1 = worker.makeImage(TIMELINE, boot, wal, t1);
        assertThat(image1.lsn()).isEqualTo(t1);
        // The worker made a restartpoint from the replayed CHECKPOINT: the redo point moved up to it.
        assertThat(image1.redoLsn()).isEqualTo(checkpointRedo).isGreaterThan(boot.redoLsn());

        assertThat(startCompute(image1, t2, "a")).isEqualTo(rowsAfter.get(TRANSACTIONS - 1));
        assertThat(startCompute(image1, t1, "b")).isEqualTo(rowsAfter.get(2));

        long sizeBefore = store.physicalSize();
        Image image2 = worker.makeImage(TIMELINE, image1, wal, t2);
        assertThat(image2.redoLsn()).isEqualTo(image1.redoLsn()); // no checkpoint between t1 and t2
        // Deduplicated: the new image costs far less than a copy of the database.
        assertThat(store.physicalSize() - sizeBefore).isLessThan(image2.logicalSize() / 4);
        assertThat(startCompute(image2, t2, "c")).isEqualTo(rowsAfter.get(TRANSACTIONS - 1));
        assertThat(store.newestAtOrBelow(TIMELINE, t2.plus(-1))).contains(image1);
        assertThat(work.resolve("scratch")).isEmptyDirectory();
    }

    @Test
    void targetThatIsNoRecordBoundaryFailsNamingTheLsnReached() {
        Lsn inside = commitEnds.get(0).plus(-8); // inside the commit record
        ReplayWorker quick = new ReplayWorker(binaries, store, work.resolve("scratch"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> quick.makeImage(TIMELINE, boot, wal, inside))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("replayed to")
                .hasMessageContaining("expected: exactly " + inside);
        assertThatThrownBy(() -> quick.makeImage(TIMELINE, boot, wal, wal.end().plus(8)))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("expected: inside the WAL held");
        assertThat(store.images().stream().filter(i -> i.lsn().equals(inside))).isEmpty();
        assertThat(work.resolve("scratch")).isEmptyDirectory();
    }

    /** Starts a compute from {@code image} + WAL up to {@code end}; checks TLI 1 and writes; returns the rows of t. */
    private static long startCompute(Image image, Lsn end, String name) throws Exception {
        Path dir = work.resolve("compute-" + name);
        store.materialise(image, dir);
        PgWalSegments.write(wal, image.redoLsn(), end, dir.resolve("pg_wal"));
        try (PostgresCluster compute = PostgresCluster.open(binaries, dir)) {
            compute.writeConfig(Map.of("shared_buffers", "16MB", "autovacuum", "off"));
            compute.start(FreePorts.allocate(), TIMEOUT);
            try (Connection c = connect(compute);
                    Statement s = c.createStatement()) {
                long rows = queryLong(s, "select count(*) from t");
                assertThat(Lsn.parse(queryText(s, "select pg_current_wal_insert_lsn()")))
                        .isGreaterThanOrEqualTo(end);
                s.execute("insert into t values (-1, 'written by compute " + name + "')");
                assertThat(queryLong(s, "select count(*) from t")).isEqualTo(rows + 1);
                s.execute("checkpoint");
                assertThat(timeline(s)).isEqualTo(1);
                return rows;
            } finally {
                compute.stop(StopMode.FAST, TIMEOUT);
            }
        }
    }

    private static Map<Long, Lsn> commitEnds(Path pgWal) {
        Map<Long, Lsn> ends = new HashMap<>();
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWal), Optional.of(1L));
        try (WalReader reader = WalReader.open(files, files.firstLsn())) {
            for (Optional<DecodedRecord> r = reader.next(); r.isPresent(); r = reader.next()) {
                DecodedRecord record = r.get();
                if (record.resourceManager() == ResourceManager.TRANSACTION
                        && record.recordType().equals("COMMIT")) {
                    ends.put(record.xid(), record.endLsn());
                }
            }
        }
        return ends;
    }

    private static Connection connect(PostgresCluster cluster) throws SQLException {
        return DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
    }

    private static long timeline(Statement s) throws SQLException {
        return queryLong(s, "select timeline_id from pg_control_checkpoint()");
    }

    private static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryText(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
