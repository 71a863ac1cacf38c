package io.xenondb.storagenode.pages;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/** The SLRUs a compute may ask for, by the page service's {@code kind} number, with their data directory. */
public enum SlruKind {
    CLOG(0, "pg_xact"),
    MULTIXACT_MEMBERS(1, "pg_multixact/members"),
    MULTIXACT_OFFSETS(2, "pg_multixact/offsets");

    /** PostgreSQL's SLRU_PAGES_PER_SEGMENT: a segment is at most this many 8 KiB pages. */
    public static final int PAGES_PER_SEGMENT = 32;

    private final int number;
    private final String directory;

    SlruKind(int number, String directory) {
        this.number = number;
        this.directory = directory;
    }

    /** The kind numbered {@code number} in the proto; INVALID_ARGUMENT for any other number. */
    public static SlruKind of(int number) {
        for (SlruKind kind : values()) {
            if (kind.number == number) {
                return kind;
            }
        }
        throw new XenonException(
                ErrorCode.INVALID_ARGUMENT,
                "kind: " + Integer.toUnsignedString(number)
                        + " (expected: 0 clog, 1 multixact members or 2 multixact offsets)");
    }

    public int number() {
        return number;
    }

    /** The segment file's path: PostgreSQL names segments by at least four upper-case hex digits. */
    public String segmentPath(long segno) {
        if (segno < 0) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, "segno: " + segno + " (expected: >= 0)");
        }
        return directory + "/" + String.format("%04X", segno);
    }
}
