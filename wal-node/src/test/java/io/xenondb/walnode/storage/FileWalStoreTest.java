package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.storage.SyntheticWal.Chunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWalStoreTest {
    static final Lsn SEG1 = Lsn.parse("0/1000000");
    static final Lsn SEG2 = Lsn.parse("0/2000000");

    @TempDir
    Path dir;

    static void writeAll(FileWalStore store, List<Chunk> chunks) {
        for (Chunk c : chunks) {
            store.write(c.begin(), c.bytes());
        }
    }

    static ByteString concat(List<Chunk> chunks) {
        ByteString all = ByteString.EMPTY;
        for (Chunk c : chunks) {
            all = all.concat(c.bytes());
        }
        return all;
    }

    @Test
    void bytesSitAtPostgresOffsetsInFullSizeSegmentFiles() throws Exception {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> chunks = wal.appendUntil(SEG1.plus(200_000), 3000);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, chunks);
            assertThat(store.flush()).isEqualTo(wal.position());
            assertThat(store.read(SEG1, Integer.MAX_VALUE)).isEqualTo(concat(chunks));
        }
        Path file = dir.resolve("000000010000000000000001");
        assertThat(Files.size(file)).isEqualTo(Lsn.WAL_SEGMENT_SIZE);
        assertThat(SegmentDisk.read(dir, SEG1, wal.position()))
                .isEqualTo(concat(chunks).toByteArray());
        assertThat(SegmentDisk.allZero(dir, wal.position(), SEG2)).isTrue();
    }

    @Test
    void manyWritesShareOneFsync() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> chunks = wal.appendUntil(SEG1.plus(100_000), 500);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, chunks);
            assertThat(store.flushLsn()).isEqualTo(SEG1);
            assertThat(store.flush()).isEqualTo(wal.position());
            assertThat(store.flush()).isEqualTo(wal.position()); // nothing new: no second fsync

            WalStoreStats stats = store.stats();
            assertThat(chunks).hasSizeGreaterThan(100);
            assertThat(stats.writes()).isEqualTo(chunks.size());
            assertThat(stats.writtenBytes()).isEqualTo(wal.position().minus(SEG1));
            assertThat(stats.fsyncs()).isEqualTo(1);
            assertThat(stats.flushes()).isEqualTo(1);
            assertThat(stats.fsyncNanos()).isPositive();
        }
    }

    @Test
    void writesCrossSegmentBoundariesAndAFlushSyncsEachSegmentWritten() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> first = wal.appendUntil(SEG2.plus(-30_000), 60_000);
        List<Chunk> crossing = wal.appendUntil(SEG2.plus(30_000), 60_000);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1, Runnable::run)) {
            writeAll(store, first);
            store.flush();
            writeAll(store, crossing);
            store.flush();
            assertThat(store.stats().fsyncs()).isEqualTo(3); // one, then both segments of the crossing group
            assertThat(store.stats().segmentsCreated()).isEqualTo(2);
            assertThat(store.read(SEG2.plus(-100), 200))
                    .isEqualTo(ByteString.copyFrom(SegmentDisk.read(dir, SEG2.plus(-100), SEG2.plus(100))));
        }
        assertThat(SegmentDisk.segment(dir, SEG2)).hasSize(Lsn.WAL_SEGMENT_SIZE);
        assertThat(dir.resolve(SegmentAllocator.SPARE_NAME)).doesNotExist();
        try (FileWalStore reopened =
                FileWalStore.open(dir, SEG1, first.getLast().end())) {
            assertThat(reopened.flushLsn()).isEqualTo(wal.position());
            assertThat(reopened.read(SEG1, Integer.MAX_VALUE))
                    .isEqualTo(concat(first).concat(concat(crossing)));
        }
    }

    @Test
    void aSpareSegmentIsMadeAheadAndALeftoverOneIsDiscarded() throws Exception {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> pastHalf = wal.appendUntil(SEG1.plus(Lsn.WAL_SEGMENT_SIZE / 2 + 10_000), 200_000);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1, Runnable::run)) {
            writeAll(store, pastHalf);
            store.flush();
            Path spare = dir.resolve(SegmentAllocator.SPARE_NAME);
            assertThat(spare).hasSize(Lsn.WAL_SEGMENT_SIZE);
            List<Chunk> next = wal.appendUntil(SEG2.plus(1000), 200_000);
            writeAll(store, next);
            store.flush();
            assertThat(spare).doesNotExist(); // it became segment 2
            assertThat(SegmentDisk.segment(dir, SEG2)).hasSize(Lsn.WAL_SEGMENT_SIZE);
        }
        Files.write(dir.resolve(SegmentAllocator.SPARE_NAME), new byte[] {1, 2, 3}); // a crash while making one
        try (FileWalStore reopened = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(dir.resolve(SegmentAllocator.SPARE_NAME)).doesNotExist();
            assertThat(reopened.flushLsn()).isEqualTo(wal.position());
        }
    }

    @Test
    void aTimelineMayStartInsideAPage() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        Lsn start = wal.append(100).end(); // the store holds the WAL after the first record only
        List<Chunk> chunks = wal.appendUntil(SEG1.plus(50_000), 2000);
        try (FileWalStore store = FileWalStore.open(dir, start, start)) {
            assertThat(store.startLsn()).isEqualTo(start);
            assertThat(store.writeLsn()).isEqualTo(start);
            writeAll(store, chunks);
            store.flush();
        }
        try (FileWalStore reopened = FileWalStore.open(dir, start, start)) {
            assertThat(reopened.flushLsn()).isEqualTo(wal.position());
            assertThat(reopened.read(start, Integer.MAX_VALUE)).isEqualTo(concat(chunks));
        }
        assertThat(SegmentDisk.allZero(dir, SEG1, start)).isTrue();
    }

    @Test
    void truncateCutsDurablyAndWritesContinueFromThere() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> chunks = wal.appendUntil(SEG1.plus(60_000), 3000);
        Chunk cut = chunks.get(chunks.size() / 2);
        SyntheticWal other = new SyntheticWal(SEG1); // the same prefix, then a different history
        List<Chunk> prefix = other.appendUntil(cut.begin(), 3000);
        assertThat(prefix.getLast().end()).isEqualTo(cut.begin());
        Chunk divergent = other.append(777);
        assertThat(divergent.bytes()).isNotEqualTo(cut.bytes());
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, chunks);
            store.flush();
            store.truncate(cut.begin());
            assertThat(store.writeLsn()).isEqualTo(cut.begin());
            assertThat(store.flushLsn()).isEqualTo(cut.begin());
            assertThat(store.stats().truncations()).isEqualTo(1);
            assertThat(SegmentDisk.allZero(dir, cut.begin(), wal.position())).isTrue();

            store.write(divergent.begin(), divergent.bytes());
            assertThat(store.flush()).isEqualTo(divergent.end());
        }
        try (FileWalStore reopened = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(reopened.flushLsn()).isEqualTo(divergent.end());
            assertThat(reopened.read(SEG1, Integer.MAX_VALUE))
                    .isEqualTo(concat(prefix).concat(divergent.bytes()));
            assertThat(SegmentDisk.allZero(dir, divergent.end(), wal.position()))
                    .isTrue();
        }
    }

    @Test
    void aRecordSplitOverWritesIsAcknowledgedOnlyOnceComplete() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> before = wal.appendUntil(SEG1.plus(20_000), 3000);
        Chunk big = wal.append(300_000);
        Chunk after = wal.append(100);
        Lsn boundary = big.begin();
        ByteString first = big.bytes().substring(0, 131_072);
        ByteString second = big.bytes().substring(131_072, 262_144);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, before);
            store.write(boundary, first);
            assertThat(store.flush()).isEqualTo(boundary);
            store.write(boundary.plus(first.size()), second);
            assertThat(store.flush()).isEqualTo(boundary);
            assertThat(store.flushLsn()).isEqualTo(boundary);
            assertThat(store.writeLsn()).isEqualTo(boundary.plus(262_144));
        }
        // A crash now: the durable part of the record is not a record, and the flush lsn acknowledged survives.
        try (FileWalStore store = FileWalStore.open(dir, SEG1, boundary)) {
            assertThat(store.flushLsn()).isEqualTo(boundary);
            store.write(boundary, big.bytes().substring(0, 200_000));
            store.write(boundary.plus(200_000), big.bytes().substring(200_000));
            store.write(after.begin(), after.bytes());
            assertThat(store.flush()).isEqualTo(after.end());
        }
        try (FileWalStore store = FileWalStore.open(dir, SEG1, big.end())) {
            assertThat(store.flushLsn()).isEqualTo(after.end());
        }
    }

    @Test
    void bytesThatAreNotWalAreRefusedBeforeTheyReachTheDisk() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        Chunk first = wal.append(100);
        Chunk big = wal.append(20_000);
        byte[] junk = new byte[5000];
        new java.util.Random(3).nextBytes(junk);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            store.write(first.begin(), first.bytes());
            assertThat(code(() -> store.write(first.end(), ByteString.copyFrom(junk))))
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(code(() -> store.write(first.end(), ByteString.copyFrom(new byte[64]))))
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(store.writeLsn()).isEqualTo(first.end());
            assertThat(SegmentDisk.allZero(dir, first.end(), first.end().plus(junk.length)))
                    .isTrue();

            // Half a record, then a bad continuation: refused; the good continuation is still accepted.
            store.write(big.begin(), big.bytes().substring(0, 10_000));
            ByteString badRest = ByteString.copyFrom(new byte[big.bytes().size() - 10_000]);
            assertThat(code(() -> store.write(big.begin().plus(10_000), badRest)))
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT);
            store.write(big.begin().plus(10_000), big.bytes().substring(10_000));
            assertThat(store.flush()).isEqualTo(big.end());
        }
    }

    @Test
    void misuseIsRefusedWithTypedErrorsAndLeavesTheStoreUsable() {
        SyntheticWal wal = new SyntheticWal(SEG1);
        Chunk first = wal.append(100);
        Chunk second = wal.append(100);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            store.write(first.begin(), first.bytes());
            assertThat(code(() -> store.write(second.end(), second.bytes()))).isEqualTo(ErrorCode.INVALID_LSN);
            assertThat(code(() -> store.truncate(first.end()))).isEqualTo(ErrorCode.INVALID_LSN); // not flushed
            assertThat(code(() -> store.read(SEG1.plus(-8), 8))).isEqualTo(ErrorCode.INVALID_LSN);
            assertThat(code(() -> store.read(first.end().plus(8), 8))).isEqualTo(ErrorCode.INVALID_LSN);
            assertThat(code(() -> store.read(SEG1, -1))).isEqualTo(ErrorCode.INVALID_LSN);
            store.write(second.begin(), second.bytes());
            assertThat(store.flush()).isEqualTo(second.end());
            assertThat(store.read(first.end(), 1000)).isEqualTo(second.bytes());
            store.close();
            assertThat(code(() -> store.write(second.end(), first.bytes()))).isEqualTo(ErrorCode.UNAVAILABLE);
        }
        assertThat(code(() -> FileWalStore.open(dir, Lsn.INVALID, SEG1))).isEqualTo(ErrorCode.INVALID_LSN);
        assertThat(code(() -> FileWalStore.open(dir, SEG1.plus(8), SEG1))).isEqualTo(ErrorCode.INVALID_LSN);
        assertThat(code(() -> FileWalStore.open(dir, SEG1.plus(8), SEG1.plus(8)))) // inside the page header
                .isEqualTo(ErrorCode.INVALID_LSN);
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(code(() -> FileWalStore.open(dir, SEG1, SEG1))).isEqualTo(ErrorCode.CONFLICT);
            store.write(SEG1, new SyntheticWal(SEG1).append(50).bytes());
            store.flush();
        }
        try (FileWalStore reopened = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(reopened.flushLsn()).isGreaterThan(SEG1);
        }
    }

    @Test
    void aSegmentDeletedUnderTheStoreIsReportedAsCorruptionOnRead() throws Exception {
        SyntheticWal wal = new SyntheticWal(SEG1);
        List<Chunk> chunks = wal.appendUntil(SEG2.plus(1000), 200_000);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, chunks);
            store.flush();
            store.close();
        }
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            Files.delete(SegmentDisk.segment(dir, SEG1));
            assertThatThrownBy(() -> store.read(SEG1.plus(100), 100))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                    .hasMessageContaining("000000010000000000000001");
        }
    }

    static ErrorCode code(Runnable action) {
        try {
            action.run();
        } catch (XenonException e) {
            return e.code();
        }
        throw new AssertionError("expected a XenonException");
    }
}
