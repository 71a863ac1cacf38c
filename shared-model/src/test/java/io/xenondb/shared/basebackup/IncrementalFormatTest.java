package io.xenondb.shared.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xenondb.shared.error.XenonException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalFormatTest {
    @Test
    void manifestRoundTrips() {
        List<IncrementalFormat.ManifestEntry> entries = List.of(
                new IncrementalFormat.ManifestEntry(true, "base"),
                new IncrementalFormat.ManifestEntry(true, "base/5"),
                new IncrementalFormat.ManifestEntry(false, "base/5/16384 with space"),
                new IncrementalFormat.ManifestEntry(false, "global/pg_control"));
        assertThat(IncrementalFormat.parseManifest(IncrementalFormat.manifest(entries)))
                .isEqualTo(entries);
        assertThatThrownBy(() -> IncrementalFormat.parseManifest("x base\n".getBytes()))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("'x base'");
    }

    @Test
    void deltaRoundTripsSeededRandomBlocks() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            int fileBlocks = 1 + random.nextInt(50);
            int[] blocks = random.ints(random.nextInt(fileBlocks + 1), 0, fileBlocks)
                    .distinct()
                    .sorted()
                    .toArray();
            byte[] pages = new byte[blocks.length * IncrementalFormat.BLOCK_SIZE];
            random.nextBytes(pages);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long size = (long) fileBlocks * IncrementalFormat.BLOCK_SIZE;
            IncrementalFormat.writeDelta(out, size, blocks, new ByteArrayInputStream(pages));
            byte[] entry = out.toByteArray();
            assertThat((long) entry.length).isEqualTo(IncrementalFormat.deltaSize(blocks.length));

            List<Long> read = new ArrayList<>();
            ByteArrayOutputStream readPages = new ByteArrayOutputStream();
            long[] readSize = {-1};
            IncrementalFormat.readDelta(
                    new ByteArrayInputStream(entry), entry.length, new IncrementalFormat.DeltaTarget() {
                        @Override
                        public void size(long newSize) {
                            readSize[0] = newSize;
                        }

                        @Override
                        public void block(long blockNumber, byte[] page) {
                            read.add(blockNumber);
                            readPages.writeBytes(page);
                        }
                    });
            assertThat(readSize[0]).isEqualTo(size);
            assertThat(read)
                    .containsExactlyElementsOf(
                            Arrays.stream(blocks).mapToObj(b -> (long) b).toList());
            assertThat(readPages.toByteArray()).isEqualTo(pages);
        }
    }

    @Test
    void badDeltasAreRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IncrementalFormat.writeDelta(
                out, IncrementalFormat.BLOCK_SIZE, new int[] {3}, new ByteArrayInputStream(new byte[8192]));
        byte[] beyondEnd = out.toByteArray();
        IncrementalFormat.DeltaTarget ignore = new IncrementalFormat.DeltaTarget() {
            @Override
            public void size(long newSize) {}

            @Override
            public void block(long blockNumber, byte[] page) {}
        };
        assertThatThrownBy(() ->
                        IncrementalFormat.readDelta(new ByteArrayInputStream(beyondEnd), beyondEnd.length, ignore))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("delta block 3");
        assertThatThrownBy(() -> IncrementalFormat.readDelta(new ByteArrayInputStream(beyondEnd), 13, ignore))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("delta of 13 bytes");
        ByteArrayOutputStream valid = new ByteArrayOutputStream();
        IncrementalFormat.writeDelta(
                valid, 4L * IncrementalFormat.BLOCK_SIZE, new int[] {3}, new ByteArrayInputStream(new byte[8192]));
        byte[] whole = valid.toByteArray();
        assertThatThrownBy(() -> IncrementalFormat.readDelta(
                        new ByteArrayInputStream(Arrays.copyOf(whole, 100)), whole.length, ignore))
                .isInstanceOf(XenonException.class)
                .hasMessageContaining("shorter");
    }
}
