package io.xenondb.bench.storage;

import io.xenondb.bench.LatencyStats;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Vanilla PostgreSQL's references for a page read: a pread of the table's file, and get_raw_page over JDBC. */
final class LocalReads {
    private static final int SEGMENT_BLOCKS = 131072; // 1 GiB segment files of 8 KiB blocks

    private LocalReads() {}

    /** {@code reads} preads of random 8 KiB blocks (after {@code warmup} unmeasured ones) of the relation file. */
    static LatencyStats pread(Path relationFile, long blocks, int warmup, int reads, long seed) {
        Random random = new Random(seed);
        ByteBuffer page = ByteBuffer.allocateDirect(8192);
        long[] samples = new long[reads];
        // Descriptors stay open, as md.c keeps them: each sample is one pread.
        Map<Long, FileChannel> segments = new HashMap<>();
        try {
            for (int i = 0; i < warmup + reads; i++) {
                long block = random.nextLong(blocks);
                FileChannel channel = segments.get(block / SEGMENT_BLOCKS);
                if (channel == null) {
                    long segment = block / SEGMENT_BLOCKS;
                    Path file = segment == 0
                            ? relationFile
                            : relationFile.resolveSibling(relationFile.getFileName() + "." + segment);
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                    segments.put(segment, channel);
                }
                long start = System.nanoTime();
                page.clear();
                while (page.hasRemaining()) {
                    if (channel.read(page, (block % SEGMENT_BLOCKS) * 8192L + page.position()) < 0) {
                        throw new XenonException(
                                ErrorCode.INTERNAL, relationFile + ": block " + block + " beyond the end");
                    }
                }
                if (i >= warmup) {
                    samples[i - warmup] = System.nanoTime() - start;
                }
            }
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "reading " + relationFile + ": " + e, e);
        } finally {
            for (FileChannel channel : segments.values()) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // read-only: nothing lost
                }
            }
        }
        return LatencyStats.of(samples);
    }

    /** {@code get_raw_page(table, block)} round trips over one JDBC connection (pageinspect). */
    static LatencyStats rawPage(Sql db, String table, long blocks, int warmup, int reads, long seed)
            throws SQLException {
        Random random = new Random(seed);
        long[] samples = new long[reads];
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("select get_raw_page(?, ?::int)")) {
            s.setString(1, table);
            for (int i = 0; i < warmup + reads; i++) {
                s.setLong(2, random.nextLong(blocks));
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBytes(1).length != 8192) {
                        throw new XenonException(ErrorCode.INTERNAL, "get_raw_page did not answer 8 KiB");
                    }
                }
                if (i >= warmup) {
                    samples[i - warmup] = System.nanoTime() - start;
                }
            }
        }
        return LatencyStats.of(samples);
    }
}
