package io.xenondb.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The disk's floor for one durable WAL write: an 8 KiB overwrite of a preallocated file plus fdatasync. */
final class FsyncProbe {
    private static final int BLOCK = 8192;
    private static final int BLOCKS = 2048; // a 16 MiB file, like a WAL segment

    private FsyncProbe() {}

    static LatencyStats measure(Path dir, int count) throws IOException {
        Path file = dir.resolve("fsync-probe");
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
            for (int i = 0; i < BLOCKS; i++) {
                block.clear();
                channel.write(block, (long) i * BLOCK);
            }
            channel.force(true);
            long[] samples = new long[count];
            for (int i = 0; i < count; i++) {
                block.clear();
                block.put(0, (byte) i);
                long start = System.nanoTime();
                channel.write(block, (long) (i % BLOCKS) * BLOCK);
                // force(false) is fdatasync: the data, not the file's metadata (what WAL writers need).
                channel.force(false);
                samples[i] = System.nanoTime() - start;
            }
            return LatencyStats.of(samples);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
