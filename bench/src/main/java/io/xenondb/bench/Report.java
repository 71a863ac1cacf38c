package io.xenondb.bench;

import java.util.List;

/** The benchmark's results as Markdown: the comparison table, then where the time and the CPU go. */
final class Report {
    static final double LATENCY_AIM = 1.5;
    static final double TPS_AIM = 0.8;

    private Report() {}

    static String render(BenchOptions options, LatencyStats fsync, SystemResult vanilla, SystemResult xenon) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Settings: %d warm-up + %d measured single-client commits; pgbench -s %d, %d s warm-up (8 clients),"
                        + " %d s per run; %d cores.%n%n",
                options.warmupTxns(),
                options.txns(),
                options.scale(),
                options.warmupSeconds(),
                options.durationSeconds(),
                Runtime.getRuntime().availableProcessors()));
        out.append("| metric | vanilla | xenon (3 WAL nodes) | xenon / vanilla | aim |\n");
        out.append("|---|---:|---:|---:|---|\n");
        latencyRow(
                out,
                "commit latency p50 (ms)",
                vanilla.latency().p50Millis(),
                xenon.latency().p50Millis(),
                true);
        latencyRow(
                out,
                "commit latency p99 (ms)",
                vanilla.latency().p99Millis(),
                xenon.latency().p99Millis(),
                true);
        latencyRow(
                out,
                "commit latency mean (ms)",
                vanilla.latency().meanMillis(),
                xenon.latency().meanMillis(),
                false);
        if (vanilla.tps1() != null && xenon.tps1() != null) {
            tpsRow(
                    out,
                    "pgbench TPS, 1 client",
                    vanilla.tps1().tps(),
                    xenon.tps1().tps(),
                    false);
            tpsRow(
                    out,
                    "pgbench TPS, 8 clients (-j 2)",
                    vanilla.tps8().tps(),
                    xenon.tps8().tps(),
                    true);
            latencyRow(
                    out,
                    "pgbench latency avg, 8 clients (ms)",
                    vanilla.tps8().latencyMillis(),
                    xenon.tps8().latencyMillis(),
                    false);
        } else {
            out.append("| pgbench TPS | skipped: no pgbench | | | |\n");
        }

        out.append("\nFloors measured in this run:\n\n");
        out.append(String.format(
                "- disk: 8 KiB overwrite + fdatasync p50 %.3f ms, mean %.3f ms, p99 %.3f ms%n",
                fsync.p50Millis(), fsync.meanMillis(), fsync.p99Millis()));
        if (xenon.grpcRoundTrip() != null) {
            LatencyStats rtt = xenon.grpcRoundTrip();
            out.append(String.format(
                    "- gRPC unary round trip to a WAL node (GetTimelineStatus, no disk): p50 %.3f ms, p99 %.3f ms%n",
                    rtt.p50Millis(), rtt.p99Millis()));
        }
        for (SystemResult system : List.of(vanilla, xenon)) {
            Counters idle = system.idle();
            double perSecond = 1000.0 / SystemResult.IDLE_SECONDS;
            out.append(String.format(
                    "- %s idle (%d s, no clients), CPU ms per second: postgres %.1f, WAL nodes %.1f, bench JVM %.1f;"
                            + " node fsyncs per second %.1f%n",
                    system.name(),
                    SystemResult.IDLE_SECONDS,
                    idle.postgresCpu() * perSecond,
                    idle.nodesCpu() * perSecond,
                    idle.benchCpu() * perSecond,
                    idle.nodeFsyncs() / SystemResult.IDLE_SECONDS));
        }
        double extra = xenon.latency().p50Millis() - vanilla.latency().p50Millis();
        out.append(String.format("- xenon's extra single-client commit latency (p50): %.3f ms%n", extra));

        out.append("\nWhere the time and CPU go, per committed transaction (counters over each phase):\n\n");
        out.append("| system | phase | txns | PG fsyncs | PG fsync ms | node fsyncs (per node) | node fsync ms |"
                + " node appends (per node) | CPU ms: postgres | CPU ms: WAL nodes | CPU ms: bench JVM (proposer) |"
                + " CPU ms: pgbench | commit lag (bytes) |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SystemResult system : List.of(vanilla, xenon)) {
            int nodes = system.grpcRoundTrip() == null ? 0 : 3;
            for (SystemResult.Phase phase : system.phases()) {
                Counters c = phase.used();
                double n = Math.max(1, phase.transactions());
                out.append(String.format(
                        "| %s | %s | %d | %.2f | %s | %s | %s | %s | %.3f | %s | %.3f | %.3f | %s |%n",
                        system.name(),
                        phase.name(),
                        phase.transactions(),
                        c.pgWalSyncs() / n,
                        c.pgWalSyncs() == 0 ? "-" : String.format("%.3f", c.pgWalSyncMillis() / c.pgWalSyncs()),
                        nodes == 0 ? "-" : String.format("%.2f", c.nodeFsyncs() / nodes / n),
                        c.nodeFsyncs() == 0 ? "-" : String.format("%.3f", c.nodeFsyncSeconds() * 1000 / c.nodeFsyncs()),
                        nodes == 0 ? "-" : String.format("%.2f", c.nodeAppends() / nodes / n),
                        c.postgresCpu() * 1000 / n,
                        nodes == 0 ? "-" : String.format("%.3f", c.nodesCpu() * 1000 / n),
                        c.benchCpu() * 1000 / n,
                        c.childrenCpu() * 1000 / n,
                        nodes == 0 ? "-" : String.format("%.0f", phase.meanCommitLagBytes())));
            }
        }
        out.append("\n(PG fsync ms and node fsync ms are the mean duration of one fsync; CPU is user + system time"
                + " from /proc; the bench JVM's CPU includes the JDBC client in the commit-latency phase.)\n");
        return out.toString();
    }

    private static void latencyRow(StringBuilder out, String name, double vanilla, double xenon, boolean aim) {
        double ratio = xenon / vanilla;
        String verdict = aim ? String.format("≤ %.1f× %s", LATENCY_AIM, ratio <= LATENCY_AIM ? "met" : "NOT met") : "";
        out.append(String.format("| %s | %.3f | %.3f | %.2f× | %s |%n", name, vanilla, xenon, ratio, verdict));
    }

    private static void tpsRow(StringBuilder out, String name, double vanilla, double xenon, boolean aim) {
        double ratio = xenon / vanilla;
        String verdict = aim ? String.format("≥ %.1f× %s", TPS_AIM, ratio >= TPS_AIM ? "met" : "NOT met") : "";
        out.append(String.format("| %s | %.1f | %.1f | %.2f× | %s |%n", name, vanilla, xenon, ratio, verdict));
    }
}
