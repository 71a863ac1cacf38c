package io.xenondb.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgWalFilesTest {
    private static final int SEGMENT = 16 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void readsAcrossASegmentBoundary() throws IOException {
        byte[] one = segment(1);
        byte[] two = segment(2);
        Files.write(dir.resolve("000000010000000000000001"), one);
        Files.write(dir.resolve("000000010000000000000002"), two);
        PgWalFiles files = new PgWalFiles(dir, 1);
        byte[] read = files.read(Lsn.parse("0/1FFFF00"), Lsn.parse("0/2000100")).toByteArray();
        assertThat(read).hasSize(0x200);
        for (int i = 0; i < 0x100; i++) {
            assertThat(read[i]).isEqualTo(one[SEGMENT - 0x100 + i]);
            assertThat(read[0x100 + i]).isEqualTo(two[i]);
        }
        assertThat(files.read(Lsn.parse("0/1000010"), Lsn.parse("0/1000010")).isEmpty())
                .isTrue();
    }

    @Test
    void aMissingSegmentIsNotFound() throws IOException {
        Files.write(dir.resolve("000000010000000000000001"), segment(1));
        PgWalFiles files = new PgWalFiles(dir, 1);
        assertThatThrownBy(() -> files.read(Lsn.parse("0/1FFFFF0"), Lsn.parse("0/2000010")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("local wal at 0/2000000: no segment file")
                .satisfies(e -> assertThat(((XenonException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> new PgWalFiles(dir, 2).read(Lsn.parse("0/1000000"), Lsn.parse("0/1000010")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("000000020000000000000001");
    }

    @Test
    void aShortSegmentIsNotFound() throws IOException {
        Files.write(dir.resolve("000000010000000000000001"), new byte[100]);
        assertThatThrownBy(() -> new PgWalFiles(dir, 1).read(Lsn.parse("0/1000000"), Lsn.parse("0/1000200")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("ends early");
    }

    @Test
    void anInvertedRangeIsRejected() {
        assertThatThrownBy(() -> new PgWalFiles(dir, 1).read(Lsn.parse("0/1000200"), Lsn.parse("0/1000000")))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("expected: begin <= end");
    }

    private static byte[] segment(long seed) {
        byte[] bytes = new byte[SEGMENT];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
