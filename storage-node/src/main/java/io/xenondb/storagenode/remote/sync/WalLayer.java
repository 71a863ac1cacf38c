package io.xenondb.storagenode.remote.sync;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piece of a timeline's own WAL in object storage: the bytes {@code [from, to)}, named
 * {@code wal-<from 16 hex>-<to 16 hex>}. A whole segment is one layer; the tail of the segment being written is
 * uploaded as layers that each start where the previous one ended, and replaced by the whole segment once it is
 * complete.
 */
public record WalLayer(Lsn from, Lsn to) implements Comparable<WalLayer> {
    private static final Pattern NAME = Pattern.compile("wal-([0-9A-F]{16})-([0-9A-F]{16})");

    public WalLayer {
        if (from == null || to == null || !to.isAfter(from)) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "WAL layer: [" + from + ", " + to + ") (expected: from < to)");
        }
        if (from.segmentNumber() != to.plus(-1).segmentNumber()) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "WAL layer: [" + from + ", " + to + ") (expected: inside one 16 MiB segment)");
        }
    }

    /** The remote file name; {@link #parse} is its inverse. */
    public String name() {
        return String.format("wal-%016X-%016X", from.value(), to.value());
    }

    /** The layer a remote file name stands for, or empty when the name is not a WAL layer's. */
    public static Optional<WalLayer> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new WalLayer(
                Lsn.of(Long.parseUnsignedLong(m.group(1), 16)), Lsn.of(Long.parseUnsignedLong(m.group(2), 16))));
    }

    public long size() {
        return to.minus(from);
    }

    /** Whether this layer lies inside segment {@code segNo}. */
    public boolean inSegment(long segNo) {
        return from.segmentNumber() == segNo;
    }

    @Override
    public int compareTo(WalLayer other) {
        int c = from.compareTo(other.from);
        return c != 0 ? c : to.compareTo(other.to);
    }

    @Override
    public String toString() {
        return name();
    }
}
