package io.xenondb.storagenode.pages;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fork of one relation (the page service's {@code RelTag}): tablespace, database, relfilenumber, fork (0 main,
 * 1 fsm, 2 vm, 3 init). Text form {@code spc/db/rel} with the fork's file suffix ({@code 1663/5/16384_fsm}).
 * Only the default ({@value #DEFAULT_TABLESPACE}) and global ({@value #GLOBAL_TABLESPACE}) tablespaces exist here.
 */
public record RelTag(long spcOid, long dbOid, long relNumber, int forkNumber) implements Comparable<RelTag> {
    public static final long DEFAULT_TABLESPACE = 1663;
    public static final long GLOBAL_TABLESPACE = 1664;
    private static final String[] FORK_SUFFIX = {"", "_fsm", "_vm", "_init"};
    private static final long MAX_OID = 0xFFFF_FFFFL;
    private static final Pattern TEXT = Pattern.compile("(\\d+)/(\\d+)/(\\d+)(_fsm|_vm|_init)?");

    public RelTag {
        checkOid("spc_oid", spcOid);
        checkOid("db_oid", dbOid);
        checkOid("rel_number", relNumber);
        if (relNumber == 0) {
            throw invalid("rel_number: 0 (expected: a relfilenumber, 1 to 4294967295)");
        }
        if (forkNumber < 0 || forkNumber >= FORK_SUFFIX.length) {
            throw invalid("fork_number: " + forkNumber + " (expected: 0 main, 1 fsm, 2 vm or 3 init)");
        }
        if (spcOid != DEFAULT_TABLESPACE && spcOid != GLOBAL_TABLESPACE) {
            throw invalid("spc_oid: " + spcOid + " (expected: " + DEFAULT_TABLESPACE + " or " + GLOBAL_TABLESPACE
                    + "; other tablespaces are not supported)");
        }
        if (spcOid == GLOBAL_TABLESPACE && dbOid != 0) {
            throw invalid("db_oid: " + dbOid + " (expected: 0 in the global tablespace " + GLOBAL_TABLESPACE + ")");
        }
        if (spcOid == DEFAULT_TABLESPACE && dbOid == 0) {
            throw invalid("db_oid: 0 (expected: a database oid in tablespace " + DEFAULT_TABLESPACE + ")");
        }
    }

    /** The inverse of {@link #toString()}. */
    public static RelTag parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw invalid("rel: '" + text + "' (expected: spc/db/rel[_fsm|_vm|_init])");
        }
        int fork = 0;
        if (m.group(4) != null) {
            for (int i = 1; i < FORK_SUFFIX.length; i++) {
                if (FORK_SUFFIX[i].equals(m.group(4))) {
                    fork = i;
                }
            }
        }
        return new RelTag(number(m.group(1)), number(m.group(2)), number(m.group(3)), fork);
    }

    /**
     * The data directory path of segment {@code segment} (1 GiB each) of this fork:
     * {@code base/<db>/<rel>[_fsm|_vm|_init][.<segment>]}, or under {@code global/}.
     */
    public String segmentPath(int segment) {
        String dir = spcOid == GLOBAL_TABLESPACE ? "global" : "base/" + dbOid;
        return dir + "/" + relNumber + FORK_SUFFIX[forkNumber] + (segment == 0 ? "" : "." + segment);
    }

    @Override
    public int compareTo(RelTag o) {
        int c = Long.compare(spcOid, o.spcOid);
        c = c != 0 ? c : Long.compare(dbOid, o.dbOid);
        c = c != 0 ? c : Long.compare(relNumber, o.relNumber);
        return c != 0 ? c : Integer.compare(forkNumber, o.forkNumber);
    }

    @Override
    public String toString() {
        return spcOid + "/" + dbOid + "/" + relNumber + FORK_SUFFIX[forkNumber];
    }

    private static long number(String digits) {
        if (digits.length() > 10) {
            throw invalid("rel: oid " + digits + " (expected: at most 4294967295)");
        }
        return Long.parseLong(digits);
    }

    private static void checkOid(String field, long value) {
        if (value < 0 || value > MAX_OID) {
            throw invalid(field + ": " + value + " (expected: 0 to 4294967295)");
        }
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
