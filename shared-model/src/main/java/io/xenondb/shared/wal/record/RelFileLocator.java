package io.xenondb.shared.wal.record;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;

/**
 * Which relation file a block belongs to: tablespace, database and relfilenumber OIDs (PostgreSQL's
 * RelFileLocator). Text form {@code spc/db/rel}, as pg_waldump prints it, e.g. {@code 1663/5/16384}.
 */
public record RelFileLocator(long spcOid, long dbOid, long relNumber) implements Comparable<RelFileLocator> {
    public RelFileLocator {
        checkOid("spcOid", spcOid);
        checkOid("dbOid", dbOid);
        checkOid("relNumber", relNumber);
    }

    private static void checkOid(String what, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "rel file locator " + what + ": " + value + " (expected: 0..4294967295)");
        }
    }

    /** Parses {@code spc/db/rel} (decimal OIDs). */
    public static RelFileLocator parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length != 3) {
            throw invalid(text);
        }
        try {
            return new RelFileLocator(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException | XenonException e) {
            throw invalid(text);
        }
    }

    private static XenonException invalid(String text) {
        return new XenonException(
                ErrorCode.INVALID_ARGUMENT, "rel file locator: " + text + " (expected: spc/db/rel decimal OIDs)");
    }

    @Override
    public String toString() {
        return spcOid + "/" + dbOid + "/" + relNumber;
    }

    @Override
    public int compareTo(RelFileLocator o) {
        int c = Long.compare(spcOid, o.spcOid);
        if (c == 0) {
            c = Long.compare(dbOid, o.dbOid);
        }
        return c != 0 ? c : Long.compare(relNumber, o.relNumber);
    }
}
