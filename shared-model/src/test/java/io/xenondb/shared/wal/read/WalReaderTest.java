package io.xenondb.shared.wal.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalBuilder;
import io.xenondb.shared.wal.WalBuilder.Placed;
import io.xenondb.shared.wal.WalDecodeException;
import io.xenondb.shared.wal.WalDecodeException.Reason;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WalReaderTest {
    static final int SEGMENT = 16 * 1024 * 1024;
    static final String SEG1 = "000000010000000000000001";
    static final String SEG2 = "000000010000000000000002";
    static final String SEG3 = "000000010000000000000003";

    @TempDir
    static Path tmp;

    static Path pgWal;
    static byte[] wal;
    static List<Placed> placed;
    /** The record that starts in segment 2 and ends in segment 3. */
    static Placed straddling;

    @BeforeAll
    static void writeSegments() throws IOException {
        WalBuilder builder = new WalBuilder(Lsn.parse("0/1000000"));
        for (int i = 0; i < 40; i++) {
            builder.appendMessage(100 + i * 300);
        }
        builder.appendSwitch();
        for (int i = 0; i < 20; i++) {
            builder.appendMessage(50 + i * 700);
        }
        long segmentEnd = Lsn.parse("0/3000000").value();
        // Each 8 KiB page of a long record also holds a 24-byte page header.
        builder.appendMessage((int) ((segmentEnd - builder.position().value()) * 8168.0 / 8192) - 6000);
        while (segmentEnd - builder.position().value() > 1500) {
            builder.appendMessage(500);
        }
        straddling = builder.appendMessage(5000);
        builder.appendMessage(10);
        placed = builder.placed();
        wal = builder.toSegmentEnd();
        assertThat(wal).hasSize(3 * SEGMENT);
        assertThat(straddling.lsn().segmentNumber()).isEqualTo(2);
        assertThat(straddling.end().segmentNumber()).isEqualTo(3);

        pgWal = Files.createDirectories(tmp.resolve("pg_wal"));
        write(pgWal.resolve(SEG1), 0, SEGMENT);
        write(pgWal.resolve(SEG2), 1, SEGMENT);
        write(pgWal.resolve(SEG3), 2, SEGMENT);
        Files.createDirectories(pgWal.resolve("archive_status"));
        Files.writeString(pgWal.resolve("00000002.history"), "1\t0/3000000\tno recovery target\n");
    }

    static void write(Path file, int segment, int length) throws IOException {
        Files.write(file, Arrays.copyOfRange(wal, segment * SEGMENT, segment * SEGMENT + length));
    }

    static Path dirWith(String name, String... files) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : files) {
            Files.copy(pgWal.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    static List<DecodedRecord> readAll(WalReader reader) {
        List<DecodedRecord> out = new ArrayList<>();
        Optional<DecodedRecord> r;
        while ((r = reader.next()).isPresent()) {
            out.add(r.get());
        }
        return out;
    }

    static List<Lsn> lsns(List<Placed> list) {
        return list.stream().map(Placed::lsn).toList();
    }

    @Test
    void readsEveryRecordOfADirectory() {
        try (WalReader reader = WalReader.open(List.of(pgWal))) {
            List<DecodedRecord> records = readAll(reader);
            assertThat(records).extracting(DecodedRecord::lsn).containsExactlyElementsOf(lsns(placed));
            assertThat(records)
                    .extracting(DecodedRecord::endLsn)
                    .containsExactlyElementsOf(placed.stream().map(Placed::end).toList());
            assertThat(reader.reachedEndOfWal()).isTrue();
            assertThat(reader.ranOutOfSegments()).isFalse();
            assertThat(reader.nextRecordLsn()).isEqualTo(placed.getLast().end());
            assertThat(reader.timeline()).isEqualTo(1);
        }
    }

    @Test
    void readsExplicitFilesFromTheFirstRecordAtOrAfterTheStart() {
        List<Path> files = List.of(pgWal.resolve(SEG2), pgWal.resolve(SEG3), pgWal.resolve(SEG1));
        WalSegmentFiles segments = WalSegmentFiles.scan(files, Optional.empty());
        Placed inside = placed.get(45);
        Lsn middle = inside.lsn().plus(3);
        try (WalReader reader = WalReader.open(segments, middle)) {
            assertThat(readAll(reader))
                    .extracting(DecodedRecord::lsn)
                    .containsExactlyElementsOf(lsns(placed.subList(46, placed.size())));
        }
        try (WalReader reader = WalReader.open(segments, inside.lsn())) {
            assertThat(reader.next().orElseThrow().lsn()).isEqualTo(inside.lsn());
        }
        // A start in the middle of the segment-straddling record's second half.
        Lsn inSegment3 = Lsn.parse("0/3000000");
        try (WalReader reader = WalReader.open(segments, inSegment3)) {
            assertThat(readAll(reader))
                    .extracting(DecodedRecord::lsn)
                    .containsExactly(placed.getLast().lsn());
        }
    }

    @Test
    void missingSegmentInsideARecordIsTruncation() throws IOException {
        Path dir = dirWith("no-seg3", SEG1, SEG2);
        try (WalReader reader = WalReader.open(List.of(dir))) {
            List<DecodedRecord> before = new ArrayList<>();
            assertThatThrownBy(() -> {
                        Optional<DecodedRecord> r;
                        while ((r = reader.next()).isPresent()) {
                            before.add(r.get());
                        }
                    })
                    .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                        assertThat(e.lsn()).isEqualTo(straddling.lsn());
                        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                    })
                    .hasMessageContaining(SEG3 + " is missing");
            assertThat(before)
                    .extracting(DecodedRecord::lsn)
                    .containsExactlyElementsOf(lsns(placed.subList(0, placed.indexOf(straddling))));
        }
    }

    @Test
    void missingSegmentAtARecordBoundaryEndsCleanly() throws IOException {
        Path dir = dirWith("only-seg1", SEG1);
        try (WalReader reader = WalReader.open(List.of(dir))) {
            List<DecodedRecord> records = readAll(reader);
            assertThat(records.getLast().isSwitch()).isTrue();
            assertThat(records).hasSize(41);
            assertThat(reader.ranOutOfSegments()).isTrue();
            assertThat(reader.reachedEndOfWal()).isFalse();
            assertThat(reader.nextRecordLsn()).isEqualTo(Lsn.parse("0/2000000"));
            assertThat(reader.next()).isEmpty();
        }
    }

    @Test
    void truncatedSegmentFileNamesTheRecordItCuts() throws IOException {
        Placed victim = placed.get(50);
        int cut = (int) (victim.lsn().value() - Lsn.parse("0/2000000").value()) + 10;
        Path dir = dirWith("cut-in-record", SEG1);
        write(dir.resolve(SEG2), 1, cut);
        expectTruncated(dir, victim.lsn(), placed.indexOf(victim), "ends after " + cut + " bytes");

        Path atBoundary = dirWith("cut-at-boundary", SEG1);
        write(atBoundary.resolve(SEG2), 1, cut - 10);
        expectTruncated(atBoundary, victim.lsn(), placed.indexOf(victim), "expected 16777216 bytes");

        // A .partial segment may end early: at a record boundary that is the end of the WAL.
        Path partial = dirWith("partial", SEG1);
        write(partial.resolve(SEG2 + ".partial"), 1, cut - 10);
        try (WalReader reader = WalReader.open(List.of(partial))) {
            assertThat(readAll(reader)).hasSize(placed.indexOf(victim));
            assertThat(reader.nextRecordLsn()).isEqualTo(victim.lsn());
        }
    }

    private static void expectTruncated(Path dir, Lsn lsn, int recordsBefore, String message) {
        try (WalReader reader = WalReader.open(List.of(dir))) {
            List<DecodedRecord> before = new ArrayList<>();
            assertThatThrownBy(() -> {
                        Optional<DecodedRecord> r;
                        while ((r = reader.next()).isPresent()) {
                            before.add(r.get());
                        }
                    })
                    .isInstanceOfSatisfying(WalDecodeException.class, e -> {
                        assertThat(e.lsn()).isEqualTo(lsn);
                        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                    })
                    .hasMessageContaining(message);
            assertThat(before).hasSize(recordsBefore);
        }
    }

    @Test
    void choosesTheHighestTimelineUnlessTold() throws IOException {
        Path dir = dirWith("timelines", SEG1);
        Files.copy(pgWal.resolve(SEG1), dir.resolve("000000020000000000000001"));
        assertThat(WalSegmentFiles.scan(List.of(dir), Optional.empty()).timeline())
                .isEqualTo(2);
        assertThat(WalSegmentFiles.scan(List.of(dir), Optional.of(1L)).timeline())
                .isEqualTo(1);
        assertThatThrownBy(() -> WalSegmentFiles.scan(List.of(dir), Optional.of(3L)))
                .hasMessageContaining("timeline 3");
    }

    @Test
    void clearErrorsForBadInputs() throws IOException {
        Path notWal = Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> WalSegmentFiles.scan(List.of(notWal), Optional.empty()))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("notes.txt");
        Path missing = tmp.resolve("no-such-dir");
        assertThatThrownBy(() -> WalSegmentFiles.scan(List.of(missing), Optional.empty()))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("no-such-dir");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> WalSegmentFiles.scan(List.of(empty), Optional.empty()))
                .hasMessageContaining("no WAL segment files");
        WalSegmentFiles files = WalSegmentFiles.scan(List.of(pgWal), Optional.empty());
        assertThatThrownBy(() -> WalReader.open(files, Lsn.parse("0/5000000")))
                .isInstanceOfSatisfying(
                        XenonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("0/5000000")
                .hasMessageContaining("0/1000000 to 0/4000000");
    }
}
