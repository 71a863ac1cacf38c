package io.xenondb.walnode.storage;

import static io.xenondb.walnode.storage.FileWalStoreTest.concat;
import static io.xenondb.walnode.storage.FileWalStoreTest.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.storage.SyntheticWal.Chunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes as the disk would show them (STYLE #9): WAL written and flushed, more written without a flush, the
 * files then damaged as a power loss can leave them. Reopening must keep exactly the intact prefix, zero the
 * rest on disk, and accept appends from there; damage below the persisted commit LSN is corruption.
 */
@Tag("wal-service")
class FileWalStoreCrashTest {
    static final Lsn SEG1 = Lsn.parse("0/1000000");
    static final Lsn SEG2 = Lsn.parse("0/2000000");
    static final Lsn SEG3 = Lsn.parse("0/3000000");

    @TempDir
    Path dir;

    SyntheticWal wal = new SyntheticWal(SEG1);

    /** Writes and flushes {@code flushed}, writes {@code unflushed}, then stops without a flush. */
    void writeThenCrash(List<Chunk> flushed, List<Chunk> unflushed) {
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, flushed);
            store.flush();
            writeAll(store, unflushed);
        }
    }

    /**
     * Reopens with {@code commit}, checks that exactly the chunks ending at {@code end} survived and the rest
     * reads as zeros on disk, then appends the lost chunks again and checks that all of them are kept.
     */
    void assertRecoversTo(Lsn commit, Lsn end) {
        List<Chunk> all = wal.chunks();
        List<Chunk> kept = all.stream().filter(c -> !c.end().isAfter(end)).toList();
        List<Chunk> lost = all.subList(kept.size(), all.size());
        assertThat(kept.getLast().end()).isEqualTo(end);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, commit)) {
            assertThat(store.flushLsn()).isEqualTo(end);
            assertThat(store.writeLsn()).isEqualTo(end);
            assertThat(store.read(SEG1, Integer.MAX_VALUE)).isEqualTo(concat(kept));
            Lsn segmentEnd = Lsn.ofSegment(end.segmentNumber() + 1, Lsn.WAL_SEGMENT_SIZE);
            if (!end.isAtSegmentStart(Lsn.WAL_SEGMENT_SIZE)) {
                assertThat(SegmentDisk.segment(dir, end)).hasSize(Lsn.WAL_SEGMENT_SIZE);
                assertThat(SegmentDisk.allZero(dir, end, segmentEnd)).isTrue();
            }
            Lsn firstGone = end.isAtSegmentStart(Lsn.WAL_SEGMENT_SIZE) ? end : segmentEnd;
            assertThat(SegmentDisk.segment(dir, firstGone)).doesNotExist();
            assertThat(SegmentDisk.segment(dir, firstGone.plus(Lsn.WAL_SEGMENT_SIZE)))
                    .doesNotExist();

            writeAll(store, lost);
            assertThat(store.flush()).isEqualTo(wal.position());
        }
        try (FileWalStore store = FileWalStore.open(dir, SEG1, end)) {
            assertThat(store.flushLsn()).isEqualTo(wal.position());
            assertThat(store.read(SEG1, Integer.MAX_VALUE)).isEqualTo(concat(all));
        }
    }

    @Test
    void completeRecordsWrittenWithoutFlushMaySurvive() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        List<Chunk> unflushed = wal.appendUntil(SEG1.plus(60_000), 3000);
        writeThenCrash(flushed, unflushed);
        assertRecoversTo(SEG1, unflushed.getLast().end());
    }

    @Test
    void aZeroedLengthFieldEndsTheWalBeforeThatRecord() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        List<Chunk> unflushed = wal.appendUntil(SEG1.plus(60_000), 3000);
        writeThenCrash(flushed, unflushed);
        Chunk last = unflushed.getLast();
        SegmentDisk.write(dir, last.lsn(), new byte[4]); // xl_tot_len
        assertRecoversTo(flushed.getLast().end(), last.begin());
    }

    @Test
    void junkAfterTheEndIsZeroed() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        writeThenCrash(flushed, List.of());
        byte[] junk = new byte[5000];
        new Random(7).nextBytes(junk);
        SegmentDisk.write(dir, wal.position(), junk);
        assertRecoversTo(flushed.getLast().end(), wal.position());
    }

    @Test
    void aHalfWrittenPageCutsTheRecordItHolds() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        Chunk big = wal.append(30_000); // spans four pages
        List<Chunk> after = wal.appendUntil(wal.position().plus(5000), 500);
        writeThenCrash(flushed, concatLists(List.of(big), after));
        Lsn middle = big.lsn().plus(15_000);
        Lsn pageEnd = middle.pageStart().plus(SyntheticWal.PAGE);
        SegmentDisk.zero(dir, middle, pageEnd); // the second half of an 8 KiB page never reached the disk
        assertRecoversTo(flushed.getLast().end(), big.begin());
    }

    @Test
    void aMissingContinuationPageCutsTheRecord() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        Chunk big = wal.append(30_000);
        writeThenCrash(flushed, List.of(big));
        Lsn secondPage = big.lsn().pageStart().plus(SyntheticWal.PAGE * 2L);
        SegmentDisk.zero(dir, secondPage, big.end()); // pages written out of order, the later ones lost
        assertRecoversTo(flushed.getLast().end(), big.begin());
    }

    @Test
    void aRecordStraddlingASegmentBoundaryIsCutAtTheBoundary() {
        List<Chunk> flushed = wal.appendUntil(SEG2.plus(-20_000), 3000);
        Chunk straddler = wal.append(40_000);
        List<Chunk> after = wal.appendUntil(SEG2.plus(60_000), 3000);
        assertThat(straddler.lsn()).isLessThan(SEG2);
        assertThat(straddler.end()).isGreaterThan(SEG2);
        writeThenCrash(flushed, concatLists(List.of(straddler), after));
        SegmentDisk.zero(dir, SEG2, wal.position()); // segment 2 was created but none of its data written back
        assertRecoversTo(flushed.getLast().end(), straddler.begin());
    }

    @Test
    void aMissingNextSegmentEndsTheWalAtTheRecordThatNeedsIt() throws Exception {
        List<Chunk> flushed = wal.appendUntil(SEG2.plus(-20_000), 3000);
        Chunk straddler = wal.append(40_000);
        List<Chunk> after = wal.appendUntil(SEG3.plus(30_000), 200_000);
        writeThenCrash(flushed, concatLists(List.of(straddler), after));
        Files.delete(SegmentDisk.segment(dir, SEG2)); // segment 3 is left behind, as a lost unlink could
        assertRecoversTo(flushed.getLast().end(), straddler.begin());
    }

    @Test
    void aShortSegmentFileIsCutAndExtendedToFullSize() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        List<Chunk> unflushed = wal.appendUntil(SEG1.plus(70_000), 3000);
        writeThenCrash(flushed, unflushed);
        Chunk torn = unflushed.get(unflushed.size() / 2);
        SegmentDisk.truncateFile(
                SegmentDisk.segment(dir, SEG1), torn.lsn().plus(10).segmentOffset());
        assertRecoversTo(flushed.getLast().end(), torn.begin());
    }

    @Test
    void aWalEndingExactlyAtASegmentEndRecoversThere() {
        wal.appendEndingAt(SEG2);
        List<Chunk> upToBoundary = wal.chunks();
        List<Chunk> next = wal.appendUntil(SEG2.plus(3000), 500);
        writeThenCrash(upToBoundary, next);
        SegmentDisk.zero(dir, SEG2, wal.position());
        assertRecoversTo(SEG1, SEG2);
    }

    @Test
    void damageAtTheCommitLsnIsATornTail() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(40_000), 3000);
        List<Chunk> unflushed = wal.appendUntil(SEG1.plus(60_000), 3000);
        writeThenCrash(flushed, unflushed);
        Chunk first = unflushed.getFirst();
        SegmentDisk.write(dir, first.lsn().plus(30), new byte[] {(byte) 0xAB, (byte) 0xCD});
        assertRecoversTo(first.begin(), first.begin());
    }

    @Test
    void damageBelowTheCommitLsnIsCorruptionNamingFileAndLsn() {
        List<Chunk> flushed = wal.appendUntil(SEG1.plus(60_000), 3000);
        writeThenCrash(flushed, List.of());
        Chunk damaged = flushed.get(5);
        SegmentDisk.write(dir, damaged.lsn().plus(30), new byte[] {(byte) 0xAB, (byte) 0xCD});
        assertThatThrownBy(() -> FileWalStore.open(dir, SEG1, flushed.getLast().end()))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                .hasMessageContaining("000000010000000000000001")
                .hasMessageContaining(damaged.lsn().toString());
    }

    @Test
    void aMissingOrShortSegmentBelowTheCommitLsnIsCorruption() throws Exception {
        List<Chunk> chunks = wal.appendUntil(SEG2.plus(30_000), 200_000);
        writeThenCrash(chunks, List.of());
        Lsn commit = chunks.getLast().end();
        Path first = SegmentDisk.segment(dir, SEG1);
        SegmentDisk.truncateFile(first, 100_000);
        assertCorrupt(commit, "000000010000000000000001");
        Files.delete(first);
        assertCorrupt(commit, "000000010000000000000001");
    }

    @Test
    void aCommitLsnBeyondTheWalHeldIsCorruption() throws Exception {
        List<Chunk> chunks = wal.appendUntil(SEG2.plus(30_000), 200_000);
        writeThenCrash(chunks, List.of());
        Files.delete(SegmentDisk.segment(dir, SEG2));
        assertCorrupt(chunks.getLast().end(), "000000010000000000000002");
    }

    @Test
    void truncatedWalNeverComesBackEvenIfTheDeletionOfLaterSegmentsIsLost() throws Exception {
        List<Chunk> chunks = wal.appendUntil(SEG2.plus(40_000), 200_000);
        Chunk cut = chunks.stream()
                .filter(c -> c.begin().isAfter(SEG1.plus(100_000)))
                .findFirst()
                .orElseThrow();
        Path segment2 = SegmentDisk.segment(dir, SEG2);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, chunks);
            store.flush();
            byte[] saved = Files.readAllBytes(segment2);
            store.truncate(cut.begin());
            assertThat(segment2).doesNotExist();
            Files.write(segment2, saved); // as if the unlink had not reached the disk before a crash
        }
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(store.flushLsn()).isEqualTo(cut.begin());
            assertThat(segment2).doesNotExist();
            assertThat(SegmentDisk.allZero(dir, cut.begin(), SEG2)).isTrue();
        }
    }

    @Test
    void truncatingAtASegmentStartRemovesThatSegment() {
        wal.appendEndingAt(SEG2);
        List<Chunk> chunks = wal.chunks();
        List<Chunk> next = wal.appendUntil(SEG2.plus(3000), 500);
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            writeAll(store, concatLists(chunks, next));
            store.flush();
            store.truncate(SEG2);
            assertThat(SegmentDisk.segment(dir, SEG2)).doesNotExist();
        }
        try (FileWalStore store = FileWalStore.open(dir, SEG1, SEG1)) {
            assertThat(store.flushLsn()).isEqualTo(SEG2);
        }
    }

    void assertCorrupt(Lsn commit, String file) {
        assertThatThrownBy(() -> FileWalStore.open(dir, SEG1, commit))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                .hasMessageContaining(file);
    }

    static List<Chunk> concatLists(List<Chunk> a, List<Chunk> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
