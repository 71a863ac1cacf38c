package io.xenondb.shared.wal.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.wal.PglzEncoder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PglzTest {
    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void literalsAndOverlappingMatch() {
        // control 0b0010: literal 'a', then tag len 3+5=8 offset 1 -> "aaaaaaaa", then literal 'b'.
        byte[] in = bytes(0b0000_0010, 'a', 0x05, 0x01, 'b');
        assertThat(Pglz.decompress(in, 0, in.length, 10)).isEqualTo("aaaaaaaaab".getBytes());
    }

    @Test
    void extendedLengthAndTwelveBitOffset() {
        byte[] pattern = new byte[300];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 7);
        }
        // literals for 7 bytes via the encoder, then a long match: check our encoder/decoder agree.
        byte[] compressed = PglzEncoder.compress(pattern);
        assertThat(compressed.length).isLessThan(pattern.length / 4);
        assertThat(Pglz.decompress(compressed, 0, compressed.length, pattern.length))
                .isEqualTo(pattern);
        // A hand-made tag: offset 0x128 (high nibble 1 in b0), length 18 + 2 = 20 via the extra byte.
        byte[] src = new byte[0x128];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 13);
        }
        byte[] stream = withTag(src, bytes(0x1F, 0x28, 2));
        byte[] out = Pglz.decompress(stream, 0, stream.length, 0x128 + 20);
        assertThat(out).isNotNull();
        for (int i = 0; i < 20; i++) {
            assertThat(out[0x128 + i]).isEqualTo(src[i]);
        }
    }

    /** Encodes {@code literals} as literal groups followed by one group holding just {@code tag}. */
    private static byte[] withTag(byte[] literals, byte[] tag) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < literals.length; i += 8) {
            out.write(0);
            out.write(literals, i, Math.min(8, literals.length - i));
        }
        out.write(1);
        out.writeBytes(tag);
        return out.toByteArray();
    }

    @Test
    void rejectsCorruptStreams() {
        assertThat(Pglz.decompress(bytes(0b01, 0x05, 0x00), 0, 3, 8))
                .as("offset 0")
                .isNull();
        assertThat(Pglz.decompress(bytes(0b10, 'a', 0x05, 0x02), 0, 4, 9))
                .as("offset past start")
                .isNull();
        assertThat(Pglz.decompress(bytes(0b10, 'a', 0x0F), 0, 3, 30))
                .as("truncated tag")
                .isNull();
        assertThat(Pglz.decompress(bytes(0b10, 'a', 0x0F, 0x01), 0, 4, 30))
                .as("missing length byte")
                .isNull();
        assertThat(Pglz.decompress(bytes(0, 'a', 'b'), 0, 3, 3))
                .as("too short output")
                .isNull();
        assertThat(Pglz.decompress(bytes(0, 'a', 'b', 'c'), 0, 4, 2))
                .as("input left over")
                .isNull();
        assertThat(Pglz.decompress(new byte[0], 0, 0, 1)).isNull();
    }

    @Test
    @Timeout(10)
    void roundTripsRandomPagesAndNeverFailsOnGarbage() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 30; round++) {
            byte[] page = new byte[8192];
            for (int i = 0; i < page.length; i++) {
                page[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt() : i % (1 + random.nextInt(40)));
            }
            byte[] compressed = PglzEncoder.compress(page);
            assertThat(Pglz.decompress(compressed, 0, compressed.length, page.length))
                    .as("seed %d round %d", seed, round)
                    .isEqualTo(page);
        }
        for (int round = 0; round < 2000; round++) {
            byte[] garbage = new byte[random.nextInt(600)];
            random.nextBytes(garbage);
            int rawSize = random.nextInt(9000);
            byte[] out = Pglz.decompress(garbage, 0, garbage.length, rawSize);
            if (out != null) {
                assertThat(out).as("seed %d", seed).hasSize(rawSize);
            }
        }
    }
}
