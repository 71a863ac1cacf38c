package io.xenondb.walnode.consensus;

import com.google.protobuf.ByteString;
import io.xenondb.shared.id.Term;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.walnode.consensus.message.TermHistory;
import io.xenondb.walnode.consensus.message.TermStart;
import java.util.TreeSet;

/**
 * Synthetic WAL for the simulation: the byte the proposer of term t writes at LSN x is a hash of (t, x), so
 * any byte a node holds can be checked against the term its history attributes it to.
 */
final class SimWal {
    private SimWal() {}

    static byte byteAt(Term term, long lsn) {
        long z = term.value() * 0x9E37_79B9_7F4A_7C15L + lsn * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 31)) * 0x94D0_49BB_1331_11EBL;
        return (byte) (z ^ (z >>> 29));
    }

    static ByteString bytes(Term term, Lsn begin, int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = byteAt(term, begin.value() + i);
        }
        return ByteString.copyFrom(data);
    }

    /**
     * The first LSN at which the two histories attribute WAL to different terms; {@link Lsn#MAX} if never.
     * Terms only change at entry starts, so comparing at every start of either history is enough.
     */
    static Lsn divergence(TermHistory a, TermHistory b) {
        TreeSet<Lsn> points = new TreeSet<>();
        a.entries().forEach(e -> points.add(e.startLsn()));
        b.entries().forEach(e -> points.add(e.startLsn()));
        for (Lsn point : points) {
            if (!a.termAt(point).equals(b.termAt(point))) {
                return point;
            }
        }
        return Lsn.MAX;
    }

    /** Index of the first byte in {@code [from, from + data.size())} that is not what its term wrote; -1 if none. */
    static long firstWrongByte(TermHistory history, Lsn from, ByteString data) {
        var entries = history.entries();
        int covering = -1;
        for (int i = 0; i < data.size(); i++) {
            long lsn = from.value() + i;
            while (covering + 1 < entries.size()
                    && entries.get(covering + 1).startLsn().value() <= lsn) {
                covering++;
            }
            if (covering < 0 || data.byteAt(i) != byteAt(entries.get(covering).term(), lsn)) {
                return lsn;
            }
        }
        return -1;
    }

    static TermHistory history(long... termAndLsn) {
        TermHistory history = TermHistory.EMPTY;
        for (int i = 0; i < termAndLsn.length; i += 2) {
            history = history.append(Term.of(termAndLsn[i]), Lsn.of(termAndLsn[i + 1]));
        }
        return history;
    }

    static TermStart entry(long term, long lsn) {
        return TermStart.of(term, lsn);
    }
}
