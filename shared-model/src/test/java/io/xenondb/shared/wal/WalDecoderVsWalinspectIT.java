package io.xenondb.shared.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.BlockReference;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.FullPageImage;
import io.xenondb.shared.wal.record.ImageCompression;
import io.xenondb.shared.wal.view.CheckpointRecord;
import io.xenondb.shared.wal.view.DbaseCreateRecord;
import io.xenondb.shared.wal.view.DbaseDropRecord;
import io.xenondb.shared.wal.view.RelmapUpdateRecord;
import io.xenondb.shared.wal.view.SmgrCreateRecord;
import io.xenondb.shared.wal.view.WalRecordView;
import io.xenondb.shared.wal.view.XactRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder against the real thing: WAL made by the bundled PostgreSQL 17 is decoded from its pg_wal segment
 * files in Java and compared, record by record and block by block, with pg_walinspect over the same LSN range.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class WalDecoderVsWalinspectIT {
    PostgresCluster cluster;
    Connection connection;
    WalWorkload workload;
    List<DecodedRecord> decoded;

    @BeforeAll
    void makeWal(@TempDir Path tmp) throws SQLException {
        cluster = PostgresCluster.initdb(PostgresBinaries.bundled(), tmp.resolve("data"), InitdbOptions.defaults());
        cluster.writeConfig(Map.of(
                "wal_level", "replica",
                "full_page_writes", "on",
                "wal_keep_size", "1GB",
                "max_wal_size", "1GB",
                "checkpoint_timeout", "1h",
                "autovacuum", "off",
                "shared_buffers", "32MB"));
        cluster.start(FreePorts.allocate(), Duration.ofSeconds(60));
        connection = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
        workload = WalWorkload.run(connection);
        decoded = decodeWithJava(workload.start, workload.end);
    }

    @AfterAll
    void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    Path pgWal() {
        return cluster.dataDir().resolve("pg_wal");
    }

    /** Every record with start >= {@code start} and end <= {@code end}, as pg_walinspect selects them. */
    List<DecodedRecord> decodeWithJava(Lsn start, Lsn end) {
        List<DecodedRecord> out = new ArrayList<>();
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWal()), Optional.empty());
        try (WalReader reader = WalReader.open(files, start)) {
            Optional<DecodedRecord> r;
            while ((r = reader.next()).isPresent() && !r.get().endLsn().isAfter(end)) {
                out.add(r.get());
            }
        }
        return out;
    }

    static String recordRow(DecodedRecord r) {
        return String.join(
                "|",
                r.lsn().toString(),
                r.endLsn().toString(),
                r.prevLsn().toString(),
                Long.toString(r.xid()),
                r.rmgrName(),
                r.recordType(),
                Integer.toString(r.totalLength()),
                Integer.toString(r.mainDataLength()),
                Integer.toString(r.fpiLength()));
    }

    @Test
    void everyRecordMatchesPgWalinspect() throws SQLException {
        List<String> expected = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("select start_lsn, end_lsn, prev_lsn, xid,"
                + " resource_manager, record_type, record_length, main_data_length, fpi_length"
                + " from pg_get_wal_records_info(?::pg_lsn, ?::pg_lsn)")) {
            ps.setString(1, workload.start.toString());
            ps.setString(2, workload.end.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> cols = new ArrayList<>();
                    for (int i = 1; i <= 9; i++) {
                        cols.add(rs.getString(i));
                    }
                    expected.add(String.join("|", cols));
                }
            }
        }
        List<String> actual =
                decoded.stream().map(WalDecoderVsWalinspectIT::recordRow).toList();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(mismatches(expected, actual)).isEmpty();
    }

    @Test
    void everyBlockReferenceAndPageImageMatchesPgWalinspect() throws SQLException {
        List<String> mismatches = new ArrayList<>();
        int blocks = 0;
        int pglzImages = 0;
        int images = 0;
        List<BlockReference> javaBlocks = new ArrayList<>();
        List<DecodedRecord> javaOwners = new ArrayList<>();
        for (DecodedRecord r : decoded) {
            for (BlockReference b : r.blocks()) {
                javaBlocks.add(b);
                javaOwners.add(r);
            }
        }
        connection.setAutoCommit(false);
        try (PreparedStatement ps = connection.prepareStatement(
                "select start_lsn, block_id, reltablespace,"
                        + " reldatabase, relfilenode, relforknumber, relblocknumber, block_data_length, block_fpi_length,"
                        + " block_fpi_info, block_data, block_fpi_data from pg_get_wal_block_info(?::pg_lsn, ?::pg_lsn, true)")) {
            ps.setFetchSize(500);
            ps.setString(1, workload.start.toString());
            ps.setString(2, workload.end.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String expected = String.join(
                            "|",
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3) + "/" + rs.getString(4) + "/" + rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            String.valueOf(rs.getString(10)));
                    if (blocks >= javaBlocks.size()) {
                        mismatches.add("pg_walinspect has an extra block: " + expected);
                        continue;
                    }
                    BlockReference b = javaBlocks.get(blocks);
                    DecodedRecord owner = javaOwners.get(blocks);
                    blocks++;
                    Optional<FullPageImage> image = b.image();
                    String actual = String.join(
                            "|",
                            owner.lsn().toString(),
                            Integer.toString(b.blockId()),
                            b.rel().toString(),
                            Integer.toString(b.fork().id()),
                            Long.toString(b.blockNumber()),
                            Integer.toString(b.dataLength()),
                            Integer.toString(
                                    image.map(FullPageImage::storedLength).orElse(0)),
                            image.map(i -> "{" + String.join(",", i.flagNames()) + "}")
                                    .orElse("null"));
                    if (!expected.equals(actual)) {
                        mismatches.add("expected " + expected + " but decoded " + actual);
                        continue;
                    }
                    byte[] data = rs.getBytes(11);
                    if (!Arrays.equals(data == null ? new byte[0] : data, b.data())) {
                        mismatches.add("block data differs at " + expected);
                    }
                    if (image.isPresent()) {
                        images++;
                        if (image.get().compression() == ImageCompression.PGLZ) {
                            pglzImages++;
                        }
                        if (!Arrays.equals(rs.getBytes(12), image.get().restorePage())) {
                            mismatches.add("restored page differs at " + expected);
                        }
                    }
                }
            }
        } finally {
            connection.setAutoCommit(true);
        }
        if (blocks < javaBlocks.size()) {
            mismatches.add("Java decoded " + (javaBlocks.size() - blocks) + " more blocks, first at "
                    + javaOwners.get(blocks).lsn());
        }
        assertThat(mismatches)
                .as("first mismatches: %s", mismatches.subList(0, Math.min(5, mismatches.size())))
                .isEmpty();
        assertThat(images).as("full-page images compared").isGreaterThan(1000);
        assertThat(pglzImages).as("pglz-compressed images compared").isGreaterThan(20);
    }

    static List<String> mismatches(List<String> expected, List<String> actual) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()) && out.size() < 5; i++) {
            String e = i < expected.size() ? expected.get(i) : "(none)";
            String a = i < actual.size() ? actual.get(i) : "(none)";
            if (!e.equals(a)) {
                out.add("#" + i + " expected " + e + " but decoded " + a);
            }
        }
        return out;
    }

    @Test
    void walCoversTheShapesThatMatter() {
        assertThat(decoded).anySatisfy(r -> assertThat(r.isSwitch()).isTrue());
        assertThat(decoded)
                .anySatisfy(r -> assertThat(r.lsn().segmentNumber())
                        .isLessThan(r.lsn().plus(r.totalLength()).segmentNumber()));
        assertThat(decoded).anySatisfy(r -> assertThat(r.totalLength()).isGreaterThan(100_000));
        assertThat(decoded.stream().map(DecodedRecord::rmgrName).distinct())
                .contains(
                        "Heap",
                        "Heap2",
                        "Btree",
                        "Gin",
                        "Gist",
                        "Hash",
                        "BRIN",
                        "SPGist",
                        "Sequence",
                        "Storage",
                        "Database",
                        "RelMap",
                        "Transaction",
                        "Standby",
                        "XLOG",
                        "LogicalMessage");
    }

    @Test
    void typedViewsAgreeWithTheCatalog() throws SQLException {
        List<WalRecordView> views = decoded.stream()
                .map(WalRecordView::of)
                .flatMap(Optional::stream)
                .toList();
        assertThat(views)
                .anySatisfy(v ->
                        assertThat(v).isEqualTo(dbCreate(v, DbaseCreateRecord.Strategy.WAL_LOG, workload.walLogDbOid)));
        assertThat(views)
                .filteredOn(DbaseCreateRecord.class::isInstance)
                .map(DbaseCreateRecord.class::cast)
                .anySatisfy(c -> {
                    assertThat(c.strategy()).isEqualTo(DbaseCreateRecord.Strategy.FILE_COPY);
                    assertThat(c.dbOid()).isEqualTo(workload.fileCopyDbOid);
                    assertThat(c.srcDbOid()).isEqualTo(1);
                });
        assertThat(views)
                .filteredOn(DbaseDropRecord.class::isInstance)
                .map(v -> ((DbaseDropRecord) v).dbOid())
                .contains(workload.fileCopyDbOid);
        assertThat(views)
                .filteredOn(SmgrCreateRecord.class::isInstance)
                .map(v -> ((SmgrCreateRecord) v).rel().relNumber())
                .contains(workload.truncatedNewNode);
        List<XactRecord> commits = views.stream()
                .filter(XactRecord.class::isInstance)
                .map(XactRecord.class::cast)
                .filter(x -> x.kind().isCommit())
                .toList();
        assertThat(commits.stream().flatMap(c -> c.droppedRels().stream()).map(rel -> rel.relNumber()))
                .contains(workload.truncatedOldNode, workload.droppedTableNode);
        Instant now = Instant.now();
        assertThat(commits)
                .hasSizeGreaterThan(20)
                .allSatisfy(
                        c -> assertThat(c.time()).isBetween(workload.startedAt.minusSeconds(60), now.plusSeconds(60)));
        assertThat(views)
                .filteredOn(RelmapUpdateRecord.class::isInstance)
                .map(RelmapUpdateRecord.class::cast)
                .anySatisfy(m -> {
                    assertThat(m.dbOid()).isEqualTo(workload.postgresDbOid);
                    assertThat(m.mappings()).contains(new RelmapUpdateRecord.Mapping(1259, workload.pgClassNewNode));
                });

        CheckpointRecord last = views.stream()
                .filter(CheckpointRecord.class::isInstance)
                .map(CheckpointRecord.class::cast)
                .reduce((a, b) -> b)
                .orElseThrow();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("select checkpoint_lsn, redo_lsn, timeline_id, full_page_writes,"
                        + " next_xid, next_oid, oldest_xid, oldest_active_xid, extract(epoch from checkpoint_time)::bigint"
                        + " from pg_control_checkpoint()")) {
            rs.next();
            assertThat(last.lsn()).isEqualTo(Lsn.parse(rs.getString(1)));
            assertThat(last.redo()).isEqualTo(Lsn.parse(rs.getString(2)));
            assertThat(last.timeline()).isEqualTo(rs.getLong(3));
            assertThat(last.fullPageWrites()).isEqualTo(rs.getBoolean(4));
            assertThat(last.nextXidEpoch() + ":" + last.nextXid32()).isEqualTo(rs.getString(5));
            assertThat(last.nextOid()).isEqualTo(rs.getLong(6));
            assertThat(last.oldestXid()).isEqualTo(rs.getLong(7));
            assertThat(last.oldestActiveXid()).isEqualTo(rs.getLong(8));
            assertThat(last.time().getEpochSecond()).isEqualTo(rs.getLong(9));
            assertThat(last.shutdown()).isFalse();
        }
    }

    @Test
    void damagedRealWalRaisesTheTypedErrorAtTheRightLsn(@TempDir Path scratch) throws IOException {
        WalSegmentName name = WalSegmentName.of(1, workload.start);
        RealWalDamage damage = new RealWalDamage(Files.readAllBytes(pgWal().resolve(name.toString())), name.startLsn());
        long seed = Long.getLong("wal.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        damage.flippedBytes(random, seed, 40);
        damage.truncatedFiles(random, seed, 15, scratch, name.toString());
        damage.garbageAfterValidWal(random, seed, 40);
    }

    private static WalRecordView dbCreate(WalRecordView v, DbaseCreateRecord.Strategy strategy, long dbOid) {
        return new DbaseCreateRecord(v.lsn(), strategy, dbOid, 1663, 0, 0);
    }
}
