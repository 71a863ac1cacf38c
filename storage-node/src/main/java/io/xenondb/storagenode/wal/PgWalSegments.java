package io.xenondb.storagenode.wal;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.WalSegmentName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes WAL as PostgreSQL wants it in {@code pg_wal}: whole 16 MiB segment files (timeline 1) holding the WAL
 * from the start of the segment of {@code from} up to {@code to}, zero after {@code to}. PostgreSQL treats a
 * short segment as corrupt, and reads the first page of every segment it opens, hence whole segments from
 * their start; the zeros after {@code to} are where its recovery ends and its own WAL begins.
 */
public final class PgWalSegments {
    private static final int SEGMENT = (int) Lsn.WAL_SEGMENT_SIZE;
    private static final int CHUNK = 1 << 20;

    private PgWalSegments() {}

    /** The segments to write: from the one holding {@code from} to the one holding {@code to}. */
    public static long firstSegment(Lsn from) {
        return from.segmentNumber();
    }

    /** The last segment written: the one {@code to} falls in (zero-filled from {@code to} on). */
    public static long lastSegment(Lsn to) {
        return to.segmentNumber();
    }

    /**
     * Fills {@code segment} (a {@value #SEGMENT}-byte buffer, position 0) with segment {@code segNo}: WAL from
     * {@code source} below {@code to}, zeros from {@code to} on.
     */
    public static void fillSegment(WalSource source, long segNo, Lsn to, ByteBuffer segment) throws IOException {
        Lsn segStart = Lsn.ofSegment(segNo, Lsn.WAL_SEGMENT_SIZE);
        if (segStart.isBefore(source.start())) {
            throw new IllegalArgumentException("WAL from " + segStart + " is needed (the start of segment "
                    + new WalSegmentName(1, segNo) + "), but this history holds WAL from " + source.start() + " only");
        }
        long walBytes = Math.max(0, Math.min(SEGMENT, to.minus(segStart)));
        segment.clear();
        for (long off = 0; off < walBytes; off += CHUNK) {
            int len = (int) Math.min(CHUNK, walBytes - off);
            source.read(segStart.plus(off), segment.slice((int) off, len));
        }
        segment.position((int) walBytes);
        while (segment.hasRemaining()) {
            segment.put((byte) 0);
        }
        segment.flip();
    }

    /** Writes the segments for {@code [from, to)} into {@code pgWal} (created if absent). */
    public static void write(WalSource source, Lsn from, Lsn to, Path pgWal) throws IOException {
        Files.createDirectories(pgWal);
        ByteBuffer segment = ByteBuffer.allocateDirect(SEGMENT);
        for (long segNo = firstSegment(from); segNo <= lastSegment(to); segNo++) {
            fillSegment(source, segNo, to, segment);
            Path file = pgWal.resolve(new WalSegmentName(1, segNo).toString());
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (segment.hasRemaining()) {
                    channel.write(segment);
                }
            }
        }
    }
}
