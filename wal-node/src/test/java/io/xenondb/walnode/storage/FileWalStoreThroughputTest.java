package io.xenondb.walnode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.storage.SyntheticWal.Chunk;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the latency of a durable ~8 KiB append (write + flush) alone and in groups sharing one fsync, for the
 * record; the numbers depend on the machine and are not asserted, only the fsync accounting is.
 */
class FileWalStoreThroughputTest {
    static final Lsn START = Lsn.parse("0/1000000");

    @TempDir
    Path dir;

    @Test
    void printsWriteAndFlushLatencyPer8KiB() {
        SyntheticWal wal = new SyntheticWal(START);
        Chunk warmup = wal.append(100);
        for (int i = 0; i < 300 + 60 * 8; i++) {
            wal.append(8192 - 24 - 5);
        }
        List<Chunk> chunks = wal.chunks();
        Iterator<Chunk> next = chunks.subList(1, chunks.size()).iterator();
        try (FileWalStore store = FileWalStore.open(dir, START, START)) {
            store.write(warmup.begin(), warmup.bytes()); // the segment file is created outside the measurement
            store.flush();
            long singles = measure(store, next, 300, 1);
            long grouped = measure(store, next, 60, 8);
            assertThat(store.stats().fsyncs()).isEqualTo(1 + 300 + 60);
            assertThat(store.flushLsn()).isEqualTo(wal.position());
            System.out.printf(
                    "FileWalStore: write+flush of 8 KiB: %d us median alone; %d us per 8 KiB in groups of 8 per"
                            + " fsync; fsync mean %d us; write (incl. WAL decoding) mean %d us%n",
                    singles / 1000,
                    grouped / 1000 / 8,
                    store.stats().fsyncNanos() / store.stats().fsyncs() / 1000,
                    store.stats().writeNanos() / store.stats().writes() / 1000);
        }
    }

    /** Median nanoseconds of {@code rounds} rounds of {@code group} writes and one flush. */
    static long measure(FileWalStore store, Iterator<Chunk> chunks, int rounds, int group) {
        long[] nanos = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long began = System.nanoTime();
            for (int g = 0; g < group; g++) {
                Chunk c = chunks.next();
                store.write(c.begin(), c.bytes());
            }
            store.flush();
            nanos[r] = System.nanoTime() - began;
        }
        Arrays.sort(nanos);
        return nanos[rounds / 2];
    }
}
