package io.xenondb.walnode.consensus.message;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * The PostgreSQL cluster a timeline's WAL belongs to: {@code server_version_num} (e.g. 170005), the system
 * identifier from pg_control (0 = not known yet) and the WAL segment size.
 */
public record ServerInfo(int pgVersion, long systemId, int walSegSize) {
    public ServerInfo {
        if (pgVersion < 0 || walSegSize <= 0 || Integer.bitCount(walSegSize) != 1) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "server info: pg_version " + Integer.toUnsignedString(pgVersion) + ", wal_seg_size "
                            + Integer.toUnsignedString(walSegSize)
                            + " (expected: a server_version_num and a power-of-two segment size)");
        }
    }

    /** The major version, e.g. 17 for 170005. */
    public int pgMajorVersion() {
        return pgVersion / 10_000;
    }
}
