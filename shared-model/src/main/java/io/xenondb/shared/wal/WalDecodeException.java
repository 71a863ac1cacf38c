package io.xenondb.shared.wal;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.lsn.Lsn;
import java.util.Objects;

/**
 * WAL bytes could not be decoded: the one exception the WAL decoder lets escape, whatever the input. It names
 * the LSN of the record (or page) where decoding failed and says what was wrong there.
 */
public final class WalDecodeException extends XenonException {
    /** What kind of damage was found; lets callers and tests tell a torn tail from a checksum failure. */
    public enum Reason {
        /** A WAL page header is invalid (magic, flags, address, timeline, segment geometry). */
        INVALID_PAGE_HEADER,
        /** A record header is invalid (length, resource manager, previous-record link). */
        INVALID_RECORD_HEADER,
        /** A record continued on the next page does not match that page's continuation header. */
        INVALID_CONTINUATION,
        /** The record's CRC-32C does not match its contents. */
        CRC_MISMATCH,
        /** The block references or data lengths inside a record are inconsistent. */
        INVALID_RECORD_LAYOUT,
        /** A full-page image cannot be restored (bad hole, corrupt compressed data). */
        INVALID_PAGE_IMAGE,
        /** A full-page image uses a compression method this decoder does not implement (lz4, zstd). */
        UNSUPPORTED_COMPRESSION,
        /** A record's main data does not have the layout its type requires. */
        INVALID_RECORD_DATA,
        /** The input ended inside a record or a segment file is shorter than a segment. */
        TRUNCATED
    }

    private final Lsn lsn;
    private final Reason reason;
    private final String problem;

    public WalDecodeException(Lsn lsn, Reason reason, String problem) {
        super(ErrorCode.WAL_CORRUPT, "WAL at " + Objects.requireNonNull(lsn, "lsn") + ": " + problem);
        this.lsn = lsn;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problem = problem;
    }

    /** The LSN of the record (or page) where decoding failed. */
    public Lsn lsn() {
        return lsn;
    }

    public Reason reason() {
        return reason;
    }

    /** The message without the leading LSN. */
    public String problem() {
        return problem;
    }
}
