package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the latency of a durable 8 KiB append (write + flush) alone and in groups sharing one fsync, for the
 * record; the numbers depend on the machine and are not asserted, only the fsync accounting is.
 */
class FileWalStoreThroughputTest {
    static final int BLOCK = 8192;
    static final Lsn START = Lsn.parse("0/1000000");

    @TempDir
    Path dir;

    @Test
    void printsWriteAndFlushLatencyPer8KiB() {
        byte[] block = new byte[BLOCK];
        new Random(5).nextBytes(block);
        ByteString data = ByteString.copyFrom(block);
        try (FileWalStore store = FileWalStore.open(dir, START, START)) {
            store.write(START, data); // the segment file is created outside the measurement
            store.flush();
            long singles = measure(store, data, 300, 1);
            long grouped = measure(store, data, 60, 8);
            assertThat(store.stats().fsyncs()).isEqualTo(1 + 300 + 60);
            assertThat(store.stats().writes()).isEqualTo(1 + 300 + 60 * 8);
            System.out.printf(
                    "FileWalStore: write+flush of 8 KiB: %d us median alone; %d us per 8 KiB in groups of 8 per"
                            + " fsync; fsync mean %d us%n",
                    singles / 1000,
                    grouped / 1000 / 8,
                    store.stats().fsyncNanos() / store.stats().fsyncs() / 1000);
        }
    }

    /** Median nanoseconds of {@code rounds} rounds of {@code group} writes and one flush. */
    static long measure(FileWalStore store, ByteString data, int rounds, int group) {
        long[] nanos = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long began = System.nanoTime();
            for (int g = 0; g < group; g++) {
                store.write(store.writeLsn(), data);
            }
            store.flush();
            nanos[r] = System.nanoTime() - began;
        }
        Arrays.sort(nanos);
        return nanos[rounds / 2];
    }
}
