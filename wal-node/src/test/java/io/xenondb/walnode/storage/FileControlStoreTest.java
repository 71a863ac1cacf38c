package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.ServerInfo;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.storage.ControlState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control log keeps exactly its intact prefix: a torn last record (zeroed length, cut short, zeroed half,
 * junk after the end) is cut off on open and the state before it is loaded; damage before the last record is
 * corruption.
 */
@Tag("wal-service")
class FileControlStoreTest {
    static final TenantTimelineId TTID =
            TenantTimelineId.parse("9ef87a5bf0d92544f6fafeeb3239695c/de200bd42b49cc1814412c7e592dd6e9");
    static final ServerInfo SERVER = new ServerInfo(170_005, 7_400_000_000_000_000_007L, 16 * 1024 * 1024);
    static final Lsn START = Lsn.parse("0/1000028");

    @TempDir
    Path dir;

    /** The n-th state of a timeline's life: terms, history entries and positions all move with n. */
    static ControlState state(int n) {
        TermHistory history = TermHistory.EMPTY;
        for (int t = 1; t <= n % 7; t++) {
            history = history.append(Term.of(t * 3L), START.plus(t * 1000L));
        }
        Lsn commit = START.plus(n * 4096L);
        return ControlState.initial(TTID, SERVER, START)
                .withTerm(Term.of(100 + n))
                .withTermHistory(history)
                .withServerInfo(new ServerInfo(170_005, SERVER.systemId() + n, SERVER.walSegSize()))
                .withPositions(commit, commit.plus(-8));
    }

    /** Persists states 0..count-1 in a fresh store, returning each record's offset in the log. */
    List<Long> persistStates(int count) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (FileControlStore store = FileControlStore.open(dir)) {
            for (int n = 0; n < count; n++) {
                offsets.add(Files.size(store.path()));
                store.persist(state(n));
            }
        }
        return offsets;
    }

    Path log() {
        return dir.resolve(FileControlStore.FILE_NAME);
    }

    void overwrite(long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    void assertReopensWith(ControlState expected, long intactLength) throws IOException {
        try (FileControlStore store = FileControlStore.open(dir)) {
            assertThat(store.load()).contains(expected);
            assertThat(Files.size(log())).isEqualTo(intactLength);
            store.persist(state(99)); // appends continue after the intact prefix
        }
        try (FileControlStore store = FileControlStore.open(dir)) {
            assertThat(store.load()).contains(state(99));
        }
    }

    @Test
    void everyFieldSurvivesAReopen() throws IOException {
        try (FileControlStore store = FileControlStore.open(dir.resolve("a/b"))) {
            assertThat(store.load()).isEmpty();
            store.persist(state(6));
            assertThat(store.load()).contains(state(6));
            assertThat(store.stats().persists()).isEqualTo(1);
        }
        try (FileControlStore store = FileControlStore.open(dir.resolve("a/b"))) {
            ControlState loaded = store.load().orElseThrow();
            assertThat(loaded).isEqualTo(state(6));
            assertThat(loaded.termHistory().size()).isEqualTo(6);
            assertThat(loaded.commitLsn()).isEqualTo(START.plus(6 * 4096L));
        }
    }

    @Test
    void aZeroedLengthOfTheLastRecordLeavesThePreviousState() throws IOException {
        List<Long> offsets = persistStates(5);
        overwrite(offsets.get(4), new byte[4]);
        assertReopensWith(state(3), offsets.get(4));
    }

    @Test
    void aRecordCutShortLeavesThePreviousState() throws IOException {
        List<Long> offsets = persistStates(5);
        long size = Files.size(log());
        try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            channel.truncate((offsets.get(4) + size) / 2);
        }
        assertReopensWith(state(3), offsets.get(4));
    }

    @Test
    void aRecordWhoseSecondHalfIsZerosLeavesThePreviousState() throws IOException {
        List<Long> offsets = persistStates(5);
        long size = Files.size(log());
        long middle = (offsets.get(4) + size) / 2;
        overwrite(middle, new byte[(int) (size - middle)]);
        assertReopensWith(state(3), offsets.get(4));
    }

    @Test
    void junkAfterTheLastRecordIsCutOff() throws IOException {
        persistStates(5);
        long size = Files.size(log());
        byte[] junk = new byte[3000];
        new Random(11).nextBytes(junk);
        overwrite(size, junk);
        assertReopensWith(state(4), size);
    }

    @Test
    void aTornFirstRecordMeansNoState() throws IOException {
        persistStates(1);
        overwrite(0, new byte[4]);
        try (FileControlStore store = FileControlStore.open(dir)) {
            assertThat(store.load()).isEmpty();
            assertThat(Files.size(log())).isZero();
        }
    }

    @Test
    void damageBeforeTheLastRecordIsCorruption() throws IOException {
        List<Long> offsets = persistStates(5);
        overwrite(offsets.get(2) + 20, new byte[] {(byte) 0xFF});
        long before = Files.size(log());
        assertThatThrownBy(() -> FileControlStore.open(dir))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT))
                .hasMessageContaining(log().toString())
                .hasMessageContaining("offset " + offsets.get(2));
        assertThat(Files.size(log())).isEqualTo(before); // nothing is cut when the damage is not a torn tail
    }

    @Test
    void aZeroedLengthBeforeTheLastRecordIsCorruption() throws IOException {
        List<Long> offsets = persistStates(5);
        overwrite(offsets.get(1), new byte[4]);
        assertThatThrownBy(() -> FileControlStore.open(dir))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAL_CORRUPT));
    }

    @Test
    void theLogIsCompactedIntoOneRecordAndAnInterruptedCompactionIsHarmless() throws IOException {
        try (FileControlStore store = FileControlStore.open(dir, 4)) {
            for (int n = 0; n < 11; n++) {
                store.persist(state(n));
            }
            assertThat(store.stats().compactions()).isEqualTo(2); // at the 5th and the 9th
            assertThat(store.load()).contains(state(10));
        }
        long threeRecords = Files.size(log());
        Files.write(dir.resolve(FileControlStore.FILE_NAME + ".tmp"), new byte[] {1, 2, 3}); // a crash mid-way
        try (FileControlStore store = FileControlStore.open(dir, 4)) {
            assertThat(store.load()).contains(state(10));
            assertThat(Files.size(log())).isEqualTo(threeRecords);
            assertThat(dir.resolve(FileControlStore.FILE_NAME + ".tmp")).doesNotExist();
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        try (FileControlStore store = FileControlStore.open(dir)) {
            store.persist(state(1));
            assertThatThrownBy(() -> FileControlStore.open(dir))
                    .isInstanceOfSatisfying(
                            XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
            assertThat(store.load()).contains(state(1));
        }
        try (FileControlStore store = FileControlStore.open(dir)) {
            assertThat(store.load()).contains(state(1));
        }
    }

    @Test
    void aClosedStoreRefusesUseAndOpenRejectsBadArguments() {
        FileControlStore store = FileControlStore.open(dir);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.persist(state(1)))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> FileControlStore.open(dir, 0))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
}
