package io.xenondb.bench.storage;

import io.xenondb.bench.LatencyStats;
import java.util.ArrayList;
import java.util.List;

/** The storage node benchmark's results as a Markdown table, filled in as phases end (a failed run keeps its rows). */
final class StorageReport {
    private record Row(String measurement, String xenon, String vanilla, String ratio, String aim) {}

    private final String command;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private LatencyStats firstBranch;

    StorageReport(String command) {
        this.command = command;
    }

    synchronized void note(String format, Object... args) {
        notes.add(String.format(format, args));
    }

    /** Branch creation times; the first call sets the baseline that later sizes are compared with (aim ≤ 2×). */
    synchronized void branches(String size, LatencyStats atLsn, LatencyStats atTip) {
        String ratio = "";
        String aim = "";
        if (firstBranch == null) {
            firstBranch = atLsn;
        } else {
            double r = atLsn.p50Millis() / firstBranch.p50Millis();
            ratio = String.format("%.2f× the small one", r);
            aim = r <= 2 ? "≤ 2× met" : "≤ 2× NOT met";
        }
        rows.add(new Row("branch creation at an LSN, " + size + ", ms", median(atLsn), "-", ratio, aim));
        rows.add(new Row("branch creation at the tip, " + size + ", ms", median(atTip), "-", "", ""));
    }

    synchronized void computeStarts(String size, LatencyStats statics, LatencyStats primaries, LatencyStats vanilla) {
        String v = median(vanilla) + " (pg_ctl start)";
        rows.add(new Row(
                "compute start to first query, static at an LSN, " + size + ", ms",
                median(statics),
                v,
                ratio(statics.p50Millis(), vanilla.p50Millis()),
                ""));
        rows.add(new Row(
                "compute start to first query, primary, " + size + ", ms",
                median(primaries),
                v,
                ratio(primaries.p50Millis(), vanilla.p50Millis()),
                ""));
    }

    synchronized void baseBackup(String size, LatencyStats fetches, long bytes, long walBytes) {
        rows.add(new Row(backupLabel(size, bytes, walBytes), median(fetches), "-", "", ""));
    }

    /** Static starts and base backups once the primary has checkpointed (the image's WAL starts near its LSN). */
    synchronized void checkpointedStarts(
            String size, LatencyStats statics, LatencyStats vanilla, LatencyStats fetches, long bytes, long walBytes) {
        rows.add(new Row(
                "compute start to first query, static, after a CHECKPOINT on the primary, " + size + ", ms",
                median(statics),
                median(vanilla) + " (pg_ctl start)",
                ratio(statics.p50Millis(), vanilla.p50Millis()),
                ""));
        rows.add(new Row(backupLabel(size, bytes, walBytes), median(fetches), "-", "", ""));
    }

    private static String backupLabel(String size, long bytes, long walBytes) {
        return String.format(
                "  of which: base backup fetch + unpack (%.0f MiB on disk, %.0f MiB of it WAL), %s, ms",
                bytes / 1048576.0, walBytes / 1048576.0, size);
    }

    synchronized void ingest(
            long walBytes,
            double commitSeconds,
            double ingestedSeconds,
            long maxLagBytes,
            long vanillaWalBytes,
            double vanillaSeconds) {
        double mb = walBytes / 1048576.0;
        double vanillaMbs = vanillaWalBytes / 1048576.0 / vanillaSeconds;
        rows.add(new Row(
                String.format("WAL ingest end to end (commit → storage node last_record_lsn), %.0f MiB WAL, MiB/s", mb),
                String.format("%.1f", mb / ingestedSeconds),
                String.format("%.1f (local WAL)", vanillaMbs),
                ratio(mb / ingestedSeconds, vanillaMbs),
                ""));
        rows.add(new Row(
                "WAL committed on the WAL nodes' quorum, MiB/s",
                String.format("%.1f", mb / commitSeconds),
                String.format("%.1f", vanillaMbs),
                ratio(mb / commitSeconds, vanillaMbs),
                ""));
        notes.add(String.format(
                "ingest: %.0f MiB of WAL committed in %.1f s, all on the storage node after %.1f s (%.1f s after"
                        + " the last commit); largest gap sampled: %.1f MiB",
                mb, commitSeconds, ingestedSeconds, ingestedSeconds - commitSeconds, maxLagBytes / 1048576.0));
    }

    synchronized void getPages(
            String size, long firstNanos, LatencyStats steady, LatencyStats pread, LatencyStats rawPage) {
        rows.add(new Row(
                "GetPage first read at a new LSN (materialises a snapshot), " + size + ", ms",
                String.format("%.1f", firstNanos / 1e6),
                "-",
                "",
                ""));
        rows.add(new Row(
                "GetPage p50, random block, " + size + ", ms",
                ms(steady.p50Millis()),
                ms(pread.p50Millis()) + " pread; " + ms(rawPage.p50Millis()) + " get_raw_page",
                ratio(steady.p50Millis(), rawPage.p50Millis()) + " of get_raw_page",
                ""));
        rows.add(new Row(
                "GetPage p99, random block, " + size + ", ms",
                ms(steady.p99Millis()),
                ms(pread.p99Millis()) + " pread; " + ms(rawPage.p99Millis()) + " get_raw_page",
                ratio(steady.p99Millis(), rawPage.p99Millis()) + " of get_raw_page",
                ""));
        notes.add("GetPage: " + steady.count() + " reads of one block each on one GetPages stream, one at a time,"
                + " after 200 unmeasured; vanilla: pread of the table's file (descriptors kept open) and"
                + " `select get_raw_page(...)` over one JDBC connection, the same number of random blocks");
    }

    synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("Command: `").append(command).append("`\n\n");
        out.append("| measurement | xenon | vanilla | xenon / vanilla | aim |\n");
        out.append("|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append("| ")
                    .append(r.measurement)
                    .append(" | ")
                    .append(r.xenon)
                    .append(" | ")
                    .append(r.vanilla)
                    .append(" | ")
                    .append(r.ratio)
                    .append(" | ")
                    .append(r.aim)
                    .append(" |\n");
        }
        out.append('\n');
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        return out.toString();
    }

    /** Median with the range in brackets: "12.3 (max 15.0, n=5)". */
    private static String median(LatencyStats s) {
        return String.format("%.1f (max %.1f, n=%d)", s.p50Millis(), s.maxNanos() / 1e6, s.count());
    }

    private static String ms(double millis) {
        return String.format("%.3f", millis);
    }

    private static String ratio(double xenon, double vanilla) {
        return vanilla <= 0 ? "-" : String.format("%.2f×", xenon / vanilla);
    }
}
