package io.xenondb.storagenode.image;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.time.Instant;
import java.util.Comparator;

/**
 * One stored image: the whole database of {@code timeline} at the record boundary {@code lsn} (I). Starting
 * PostgreSQL on it needs the timeline's WAL from the segment of {@code redoLsn} (R, its backup_label's START WAL
 * LOCATION) up to the target.
 *
 * @param logicalSize the bytes of all its files, as a data directory would hold them
 */
public record Image(TimelineId timeline, Lsn lsn, Lsn redoLsn, Instant createdAt, long logicalSize)
        implements Comparable<Image> {
    private static final Comparator<Image> ORDER =
            Comparator.comparing(Image::timeline).thenComparing(Image::lsn);

    public Image {
        if (timeline == null || lsn == null || redoLsn == null || createdAt == null) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "image: a null field (expected: all set)");
        }
        if (redoLsn.isAfter(lsn)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "image redo lsn: " + redoLsn + " (expected: at or below the image lsn " + lsn + ")");
        }
        if (logicalSize < 0) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "image logical size: " + logicalSize + " (expected: >= 0)");
        }
    }

    /** The stable name of its files: {@code <timeline>-<lsn as 16 hex digits>}. */
    public String name() {
        return nameOf(timeline, lsn);
    }

    static String nameOf(TimelineId timeline, Lsn lsn) {
        return timeline + "-" + String.format("%016X", lsn.value());
    }

    @Override
    public int compareTo(Image other) {
        return ORDER.compare(this, other);
    }
}
