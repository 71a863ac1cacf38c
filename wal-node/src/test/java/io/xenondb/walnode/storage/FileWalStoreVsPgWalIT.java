package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import io.xenondb.shared.wal.read.WalReader;
import io.xenondb.shared.wal.read.WalSegmentFiles;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against the real thing: WAL made by the bundled PostgreSQL 17 (more than two segments, multi-page
 * records, one straddling a segment boundary, a WAL switch) is fed into a {@link FileWalStore} in whole-record
 * chunks, as a WAL proposer sends it, and the store's segment files must equal PostgreSQL's pg_wal byte for byte
 * over the written range, also after a torn write and a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
@Tag("wal-service")
class FileWalStoreVsPgWalIT {
    Path pgDir;
    Path pgWal;
    /** Where each record ends (the decoder's end LSN), in order; the first is where the timeline starts. */
    List<Lsn> boundaries = new ArrayList<>();

    List<DecodedRecord> records = new ArrayList<>();

    @BeforeAll
    void makeWal() throws SQLException, IOException {
        pgDir = Path.of("target", "walstore-it", "pg-" + UUID.randomUUID()).toAbsolutePath();
        try (PostgresCluster cluster =
                PostgresCluster.initdb(PostgresBinaries.bundled(), pgDir, InitdbOptions.defaults())) {
            cluster.writeConfig(Map.of(
                    "wal_level", "replica",
                    "full_page_writes", "on",
                    "wal_keep_size", "1GB",
                    "max_wal_size", "1GB",
                    "checkpoint_timeout", "1h",
                    "autovacuum", "off",
                    "fsync", "off",
                    "synchronous_commit", "off"));
            cluster.start(FreePorts.allocate(), Duration.ofSeconds(60));
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), cluster.superuser(), "");
                    Statement s = c.createStatement()) {
                s.execute("create table t (id int primary key, v text)");
                s.execute("insert into t select g, repeat(md5(g::text), 8) from generate_series(1, 40000) g");
                for (int i = 0; i < 12; i++) {
                    s.execute("select pg_logical_emit_message(true, 'xenon', repeat('w', 300000))");
                }
                s.execute("checkpoint"); // full-page images in what follows
                s.execute("update t set v = v || 'x' where id % 4 = 0");
                s.execute("select pg_switch_wal()");
                s.execute("insert into t select g, md5(g::text) from generate_series(40001, 60000) g");
            }
            cluster.stop(StopMode.FAST, Duration.ofSeconds(60));
        }
        pgWal = pgDir.resolve("pg_wal");
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWal), Optional.of(1L));
        try (WalReader reader = WalReader.open(files, files.firstLsn())) {
            Optional<DecodedRecord> r;
            while ((r = reader.next()).isPresent()) {
                if (boundaries.isEmpty()) {
                    boundaries.add(r.get().lsn());
                }
                boundaries.add(r.get().endLsn());
                records.add(r.get());
            }
        }
    }

    @AfterAll
    void removeCluster() throws IOException {
        if (pgDir != null && Files.exists(pgDir)) {
            try (Stream<Path> paths = Files.walk(pgDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(Path.of(pgDir + ".log"));
        }
    }

    Lsn start() {
        return boundaries.getFirst();
    }

    Lsn end() {
        return boundaries.getLast();
    }

    /** PostgreSQL's bytes of {@code [from, to)} from its segment files. */
    byte[] pgBytes(Lsn from, Lsn to) {
        return segmentBytes(pgWal, from, to);
    }

    static byte[] segmentBytes(Path dir, Lsn from, Lsn to) {
        byte[] out = new byte[(int) to.minus(from)];
        long pos = from.value();
        while (pos < to.value()) {
            Lsn at = Lsn.of(pos);
            int n = (int) Math.min(to.value() - pos, Lsn.WAL_SEGMENT_SIZE - at.segmentOffset());
            Path file = dir.resolve(WalSegmentName.of(1, at).toString());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.wrap(out, (int) (pos - from.value()), n);
                while (buffer.hasRemaining()
                        && channel.read(buffer, at.segmentOffset() + buffer.position() - (pos - from.value())) > 0) {
                    // positional reads until the range is filled
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pos += n;
        }
        return out;
    }

    /** Feeds boundaries {@code [fromIndex, toIndex]} as groups of 1..maxGroup records, each group flushed. */
    void feed(FileWalStore store, int fromIndex, int toIndex, Random random, int maxGroup) {
        int i = fromIndex;
        while (i < toIndex) {
            int group = Math.min(toIndex - i, 1 + random.nextInt(maxGroup));
            for (int k = 0; k < group; k++) {
                Lsn from = boundaries.get(i + k);
                Lsn to = boundaries.get(i + k + 1);
                store.write(from, ByteString.copyFrom(pgBytes(from, to)));
            }
            i += group;
            assertThat(store.flush()).isEqualTo(boundaries.get(i));
        }
    }

    @Test
    void theWorkloadCoversWhatTheStoreMustHandle() {
        assertThat(end().segmentNumber() - start().segmentNumber()).isGreaterThanOrEqualTo(2);
        assertThat(records.stream()
                        .filter(FileWalStoreVsPgWalIT::straddlesSegments)
                        .count())
                .as("records straddling a segment boundary")
                .isPositive();
        assertThat(records.stream()
                        .filter(r -> r.totalLength() > 3 * Lsn.WAL_PAGE_SIZE)
                        .count())
                .as("records over more than three pages")
                .isGreaterThanOrEqualTo(12);
        assertThat(records.stream().filter(r -> r.recordType().equals("SWITCH")).count())
                .as("WAL switches")
                .isPositive();
    }

    static boolean straddlesSegments(DecodedRecord r) {
        return r.lsn().segmentNumber() != r.endLsn().plus(-1).segmentNumber()
                && !r.recordType().equals("SWITCH");
    }

    @Test
    void segmentFilesAreByteIdenticalToPgWal(@TempDir Path dir) {
        try (FileWalStore store = FileWalStore.open(dir, start(), start(), Runnable::run)) {
            feed(store, 0, boundaries.size() - 1, new Random(1), 40);
            assertThat(store.flushLsn()).isEqualTo(end());
            assertThat(store.stats().fsyncs()).isLessThan(boundaries.size() / 5);
        }
        assertThat(segmentBytes(dir, start(), end())).isEqualTo(pgBytes(start(), end()));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(
                            p -> WalSegmentName.isSegmentName(p.getFileName().toString())))
                    .allSatisfy(p -> assertThat(p).hasSize(Lsn.WAL_SEGMENT_SIZE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lsn commit = boundaries.get(boundaries.size() / 2);
        try (FileWalStore reopened = FileWalStore.open(dir, start(), commit)) {
            assertThat(reopened.flushLsn()).isEqualTo(end());
            assertThat(reopened.read(start(), Integer.MAX_VALUE).toByteArray()).isEqualTo(pgBytes(start(), end()));
        }
    }

    @Test
    void walSentInProposerSizedPiecesIsAcknowledgedAtRecordBoundariesOnly(@TempDir Path dir) {
        java.util.Set<Lsn> recordEnds = new java.util.HashSet<>(boundaries);
        Random random = new Random(4);
        Lsn pos = start();
        Lsn crashAt = boundaries.get(boundaries.size() * 2 / 3).plus(100); // inside a record
        Lsn acknowledged;
        try (FileWalStore store = FileWalStore.open(dir, start(), start())) {
            while (pos.isBefore(crashAt)) {
                int pieces = 1 + random.nextInt(4);
                for (int k = 0; k < pieces && pos.isBefore(crashAt); k++) {
                    Lsn to = Lsn.min(crashAt, pos.plus(1 + random.nextInt(128 * 1024)));
                    store.write(pos, ByteString.copyFrom(pgBytes(pos, to)));
                    pos = to;
                }
                Lsn flushed = store.flush();
                assertThat(recordEnds).contains(flushed);
                assertThat(flushed).isLessThanOrEqualTo(pos);
            }
            acknowledged = store.flushLsn();
        }
        try (FileWalStore store = FileWalStore.open(dir, start(), acknowledged)) {
            assertThat(store.flushLsn()).isEqualTo(acknowledged);
            pos = acknowledged;
            while (pos.isBefore(end())) {
                Lsn to = Lsn.min(end(), pos.plus(1 + random.nextInt(128 * 1024)));
                store.write(pos, ByteString.copyFrom(pgBytes(pos, to)));
                pos = to;
            }
            assertThat(store.flush()).isEqualTo(end());
        }
        assertThat(segmentBytes(dir, start(), end())).isEqualTo(pgBytes(start(), end()));
    }

    @Test
    void aTornRecordAcrossASegmentBoundaryIsCutAndTheRestAppendsIdentically(@TempDir Path dir) {
        DecodedRecord straddler = records.stream()
                .filter(FileWalStoreVsPgWalIT::straddlesSegments)
                .findFirst()
                .orElseThrow();
        int index = boundaries.indexOf(straddler.endLsn()) - 1; // the boundary the straddler's chunk starts at
        Lsn before = boundaries.get(index);
        Lsn segmentEnd = Lsn.ofSegment(straddler.lsn().segmentNumber() + 1, Lsn.WAL_SEGMENT_SIZE);
        try (FileWalStore store = FileWalStore.open(dir, start(), start())) {
            feed(store, 0, index, new Random(2), 60);
            store.write(before, ByteString.copyFrom(pgBytes(before, segmentEnd))); // the crash cuts it here
        }
        try (FileWalStore store = FileWalStore.open(dir, start(), boundaries.get(index / 2))) {
            assertThat(store.flushLsn()).isEqualTo(before);
            assertThat(SegmentDisk.allZero(dir, before, segmentEnd)).isTrue();
            feed(store, index, boundaries.size() - 1, new Random(3), 25);
        }
        assertThat(segmentBytes(dir, start(), end())).isEqualTo(pgBytes(start(), end()));
    }
}
