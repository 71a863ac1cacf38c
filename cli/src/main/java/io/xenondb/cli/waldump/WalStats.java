package io.xenondb.cli.waldump;

import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.wal.record.DecodedRecord;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** Totals per resource manager, printed like {@code pg_waldump --stats}. */
final class WalStats {
    private static final class Totals {
        long count;
        long recordBytes;
        long fpiBytes;
    }

    private final Map<Integer, Totals> byRmgr = new TreeMap<>();
    private final Map<Integer, String> names = new TreeMap<>();
    private Lsn first;
    private Lsn last;

    void add(DecodedRecord r) {
        Totals t = byRmgr.computeIfAbsent(r.rmgrId(), id -> new Totals());
        names.putIfAbsent(r.rmgrId(), r.rmgrName());
        t.count++;
        t.recordBytes += r.totalLength() - r.fpiLength();
        t.fpiBytes += r.fpiLength();
        if (first == null) {
            first = r.lsn();
        }
        last = r.endLsn();
    }

    void print(PrintWriter out) {
        long n = 0;
        long rec = 0;
        long fpi = 0;
        for (Totals t : byRmgr.values()) {
            n += t.count;
            rec += t.recordBytes;
            fpi += t.fpiBytes;
        }
        long all = rec + fpi;
        out.printf("WAL statistics between %s and %s:%n", first == null ? "-" : first, last == null ? "-" : last);
        out.printf(
                "%-27s %20s %8s %20s %8s %20s %8s %20s %8s%n",
                "Type", "N", "(%)", "Record size", "(%)", "FPI size", "(%)", "Combined size", "(%)");
        out.printf(
                "%-27s %20s %8s %20s %8s %20s %8s %20s %8s%n",
                "----", "-", "---", "-----------", "---", "--------", "---", "-------------", "---");
        for (Map.Entry<Integer, Totals> e : byRmgr.entrySet()) {
            Totals t = e.getValue();
            out.printf(
                    "%-27s %20d %8s %20d %8s %20d %8s %20d %8s%n",
                    names.get(e.getKey()),
                    t.count,
                    percent(t.count, n),
                    t.recordBytes,
                    percent(t.recordBytes, rec),
                    t.fpiBytes,
                    percent(t.fpiBytes, fpi),
                    t.recordBytes + t.fpiBytes,
                    percent(t.recordBytes + t.fpiBytes, all));
        }
        out.printf(
                "%-27s %20s %8s %20s %8s %20s %8s %20s%n",
                "", "--------", "", "--------", "", "--------", "", "--------");
        out.printf(
                "%-27s %20d %8s %20d %8s %20d %8s %20d %8s%n",
                "Total",
                n,
                "",
                rec,
                "[" + String.format("%.2f", share(rec, all)) + "%]",
                fpi,
                "[" + String.format("%.2f", share(fpi, all)) + "%]",
                all,
                "[100%]");
    }

    private static String percent(long part, long whole) {
        return String.format("(%6.2f)", share(part, whole));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
