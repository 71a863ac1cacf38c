package io.xenondb.bench.start;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The endpoint start benchmark's results as Markdown: one row per kind of start (median, min, max), the ratios of
 * cold and warm to the plain PostgreSQL baseline, then notes. Filled in as the run goes, so a failed run still
 * reports what it measured.
 */
final class StartReport {
    private record Row(String measurement, Spread spread) {}

    private final String command;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Spread cold;
    private Spread warm;
    private Spread baseline;
    private List<StartTimeline> coldPhases = List.of();
    private List<StartTimeline> warmPhases = List.of();

    StartReport(String command) {
        this.command = command;
    }

    synchronized void note(String format, Object... args) {
        notes.add(String.format(format, args));
    }

    synchronized void cold(Spread total, Spread command) {
        cold = total;
        rows.add(new Row("cold: `endpoint start` of a new endpoint → first `SELECT 1`", total));
        rows.add(new Row("  of which: the `xenon endpoint start` command", command));
    }

    synchronized void warm(Spread total, Spread command) {
        warm = total;
        rows.add(new Row("warm: `endpoint start` after it suspended → first `SELECT 1`", total));
        rows.add(new Row("  of which: the `xenon endpoint start` command", command));
    }

    synchronized void baseline(Spread total) {
        baseline = total;
        rows.add(new Row("baseline: plain PostgreSQL 17 `pg_ctl start` → first `SELECT 1`", total));
    }

    synchronized void cliJvm(Spread total) {
        rows.add(new Row("for context: `./xenon --version` (the CLI's own JVM)", total));
    }

    /** Where the measured starts spent their time (from the compute's logs), shown as medians per phase. */
    synchronized void phases(List<StartTimeline> cold, List<StartTimeline> warm) {
        coldPhases = List.copyOf(cold);
        warmPhases = List.copyOf(warm);
    }

    synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("Command: `").append(command).append("`\n\n");
        out.append("| measurement | median ms | min ms | max ms | n | / baseline (median) |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            boolean measuredStart = r.spread == cold || r.spread == warm;
            out.append(String.format(
                    "| %s | %.1f | %.1f | %.1f | %d | %s |%n",
                    r.measurement,
                    r.spread.medianMillis(),
                    r.spread.minMillis(),
                    r.spread.maxMillis(),
                    r.spread.count(),
                    measuredStart ? ratio(r.spread, baseline) : ""));
        }
        if (cold != null || warm != null) {
            out.append('\n');
            if (cold != null) {
                out.append("- cold / baseline: ").append(ratio(cold, baseline)).append('\n');
            }
            if (warm != null) {
                out.append("- warm / baseline: ").append(ratio(warm, baseline)).append('\n');
            }
            if (cold != null && warm != null) {
                out.append("- warm / cold: ").append(ratio(warm, cold)).append('\n');
            }
        }
        if (!coldPhases.isEmpty() || !warmPhases.isEmpty()) {
            out.append("\nWhere the time goes (median per phase over the measured starts; from the bench's clock,"
                    + " compute_ctl's log and PostgreSQL's log):\n\n");
            out.append("| phase | cold, ms | warm, ms |\n|---|---:|---:|\n");
            Set<String> names = new LinkedHashSet<>();
            coldPhases.forEach(t -> names.addAll(t.phases().keySet()));
            warmPhases.forEach(t -> names.addAll(t.phases().keySet()));
            for (String name : names) {
                out.append("| ")
                        .append(name)
                        .append(" | ")
                        .append(medianPhase(coldPhases, name))
                        .append(" | ")
                        .append(medianPhase(warmPhases, name))
                        .append(" |\n");
            }
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            for (String note : notes) {
                out.append("- ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    /** The median of one phase over the starts that logged it, in ms; "-" if none did. */
    static String medianPhase(List<StartTimeline> starts, String phase) {
        long[] nanos = starts.stream()
                .map(t -> t.phases().get(phase))
                .filter(d -> d != null)
                .mapToLong(Duration::toNanos)
                .toArray();
        return nanos.length == 0 ? "-" : String.format("%.0f", Spread.of(nanos).medianMillis());
    }

    /** Median over median, e.g. "23.4×"; "-" while the baseline is not measured. */
    static String ratio(Spread of, Spread to) {
        if (of == null || to == null || to.medianNanos() <= 0) {
            return "-";
        }
        return String.format("%.1f×", of.medianNanos() / to.medianNanos());
    }
}
