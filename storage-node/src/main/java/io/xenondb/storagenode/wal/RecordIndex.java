package io.xenondb.storagenode.wal;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.decode.WalStreamDecoder;
import io.xenondb.shared.wal.record.DecodedRecord;
import io.xenondb.shared.wal.record.ResourceManager;
import io.xenondb.shared.wal.view.WalRecordView;
import io.xenondb.shared.wal.view.XactRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the storage node knows about one timeline's own WAL records beyond their bytes: where records end (to
 * snap an LSN to a record boundary) and when transactions committed (to map timestamps to LSNs). Record ends
 * are kept sparsely — one at least every {@value #BOUNDARY_SPACING} bytes — and the records between two kept
 * ends are decoded again from the WAL when an exact boundary is needed. Records are added in LSN order.
 * Thread-safe.
 */
public final class RecordIndex {
    static final long BOUNDARY_SPACING = 64 * 1024;

    private long[] boundaries = new long[16];
    private int boundaryCount;
    private long[] commitEnds = new long[16];
    private long[] commitMicros = new long[16];
    private int commitCount;
    private long lastEnd;

    /** An index of WAL that begins at {@code start}, a record boundary. */
    public RecordIndex(Lsn start) {
        boundaries[boundaryCount++] = start.value();
        lastEnd = start.value();
    }

    /** Indexes the next record. */
    public synchronized void add(DecodedRecord record) {
        long end = record.endLsn().value();
        if (end - boundaries[boundaryCount - 1] >= BOUNDARY_SPACING) {
            if (boundaryCount == boundaries.length) {
                boundaries = Arrays.copyOf(boundaries, boundaryCount * 2);
            }
            boundaries[boundaryCount++] = end;
        }
        lastEnd = end;
        if (record.rmgrId() == ResourceManager.TRANSACTION.id()) {
            WalRecordView.of(record).ifPresent(view -> {
                if (view instanceof XactRecord xact && xact.kind().isCommit()) {
                    addCommit(end, xact.time());
                }
            });
        }
    }

    private void addCommit(long end, Instant time) {
        if (commitCount == commitEnds.length) {
            commitEnds = Arrays.copyOf(commitEnds, commitCount * 2);
            commitMicros = Arrays.copyOf(commitMicros, commitCount * 2);
        }
        commitEnds[commitCount] = end;
        commitMicros[commitCount] = time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
        commitCount++;
    }

    /** The first indexed boundary: where the indexed WAL begins. */
    public synchronized Lsn start() {
        return Lsn.of(boundaries[0]);
    }

    /** The end of the last indexed record. */
    public synchronized Lsn lastRecordEnd() {
        return Lsn.of(lastEnd);
    }

    /**
     * The greatest record end at or below {@code lsn} (the start counts as one), decoding {@code wal} between
     * kept boundaries when needed.
     *
     * @throws IllegalArgumentException if {@code lsn} is below the start
     */
    public Lsn snapDown(Lsn lsn, WalSource wal) throws IOException {
        long from;
        synchronized (this) {
            long target = lsn.value();
            if (Long.compareUnsigned(target, boundaries[0]) < 0) {
                throw new IllegalArgumentException("lsn " + lsn + " is below the indexed WAL's start " + start());
            }
            if (Long.compareUnsigned(target, lastEnd) >= 0) {
                return Lsn.of(lastEnd);
            }
            int i = Arrays.binarySearch(boundaries, 0, boundaryCount, target);
            if (i >= 0) {
                return lsn;
            }
            from = boundaries[-i - 2];
        }
        WalStreamDecoder decoder = new WalStreamDecoder(Lsn.of(from));
        long best = from;
        long pos = from;
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long limit = wal.end().value();
        while (pos < limit) {
            buffer.clear();
            int len = (int) Math.min(buffer.capacity(), limit - pos);
            buffer.limit(len);
            wal.read(Lsn.of(pos), buffer);
            decoder.feed(buffer.array(), 0, len);
            pos += len;
            while (decoder.hasRecord()) {
                long end = decoder.poll().endLsn().value();
                if (Long.compareUnsigned(end, lsn.value()) > 0) {
                    return Lsn.of(best);
                }
                best = end;
            }
        }
        return Lsn.of(best);
    }

    /** How a timestamp relates to the commits in the WAL (Neon's LsnForTimestamp kinds). */
    public enum TimestampKind {
        PRESENT,
        FUTURE,
        PAST,
        NODATA
    }

    /** The end of the last commit at or before {@code time}, and how {@code time} relates to the commits. */
    public record CommitPoint(TimestampKind kind, Optional<Lsn> lsn) {}

    /**
     * Where a compute sees exactly the transactions that committed at or before {@code time}, among the commits
     * whose records end at or below {@code limit}: the end of the last such commit record ({@code PRESENT}); none
     * if every commit is later ({@code PAST}) or there is no commit at all ({@code NODATA}); {@code FUTURE} (with the
     * last commit's end) if every commit is earlier.
     */
    public synchronized CommitPoint lsnForTimestamp(Instant time, Lsn limit) {
        int count = commitsAtOrBelow(limit);
        if (count == 0) {
            return new CommitPoint(TimestampKind.NODATA, Optional.empty());
        }
        long micros = time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
        int n = lastCommitAtOrBefore(micros, count);
        if (n < 0) {
            return new CommitPoint(TimestampKind.PAST, Optional.empty());
        }
        TimestampKind kind = n == count - 1 ? TimestampKind.FUTURE : TimestampKind.PRESENT;
        return new CommitPoint(kind, Optional.of(Lsn.of(commitEnds[n])));
    }

    /** The commit time of the last commit whose record ends at or below {@code lsn}. */
    public synchronized Optional<Instant> timestampOfLsn(Lsn lsn) {
        int n = commitsAtOrBelow(lsn) - 1;
        if (n < 0) {
            return Optional.empty();
        }
        long micros = commitMicros[n];
        return Optional.of(
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000));
    }

    /** How many commits end at or below {@code lsn}. */
    private int commitsAtOrBelow(Lsn lsn) {
        if (lsn.value() < 0) {
            return commitCount; // above 2^63 (e.g. Lsn.MAX): the signed search below would find none
        }
        int i = Arrays.binarySearch(commitEnds, 0, commitCount, lsn.value());
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Index of the last of the first {@code count} commits whose time is at or before {@code micros}, or -1. */
    private int lastCommitAtOrBefore(long micros, int count) {
        // Commit times follow LSN order (they are taken just before the record is inserted) closely enough
        // for a binary search; ties resolve to the latest commit.
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (commitMicros[mid] <= micros) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
