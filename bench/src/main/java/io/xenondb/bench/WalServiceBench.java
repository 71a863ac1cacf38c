package io.xenondb.bench;

import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The WAL-service benchmark (issue 3): single-client commit latency and pgbench TPS at 1 and 8 clients, first on a
 * PostgreSQL 17 without synchronous replication, then on the same PostgreSQL as a Xenon compute whose COMMIT waits
 * for a quorum of three WAL nodes; prints both, their ratios, and where the time goes. A program, not a test:
 * {@code bench/run [--duration 15] [--txns 2000] ...}.
 */
public final class WalServiceBench {
    private static final Set<BenchSystem> RUNNING = ConcurrentHashMap.newKeySet();

    private WalServiceBench() {}

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (XenonException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Whatever ends the JVM (Ctrl-C, an error), every process started here is stopped.
        Runtime.getRuntime().addShutdownHook(new Thread(WalServiceBench::stopAll, "bench-shutdown"));
        try {
            run(options);
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            stopAll();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(BenchOptions options) throws Exception {
        Path runDir = options.workDir()
                .toAbsolutePath()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        log("work directory " + runDir);
        PostgresBinaries binaries = PostgresBinaries.bundled();
        Pgbench pgbench = Pgbench.find(options.pgbench());
        if (pgbench == null) {
            log("no pgbench at " + options.pgbench() + ": the TPS rows are skipped");
        }
        LatencyStats fsync = FsyncProbe.measure(runDir, 1000);
        log("disk fdatasync (8 KiB overwrite): " + fsync);

        SystemResult vanilla = measure(BenchSystem.vanilla(binaries, runDir), options, pgbench);
        SystemResult xenon = measure(BenchSystem.xenon(binaries, runDir), options, pgbench);
        System.out.println();
        System.out.println(Report.render(options, fsync, vanilla, xenon));
        log("logs and data under " + runDir);
    }

    private static SystemResult measure(BenchSystem system, BenchOptions options, Pgbench pgbench) throws SQLException {
        RUNNING.add(system);
        try {
            List<SystemResult.Phase> phases = new ArrayList<>();
            if (pgbench != null) {
                // Warm-up first, so that every measured phase runs on JIT-compiled WAL nodes and proposer.
                log(system.name + ": pgbench -i -s " + options.scale());
                pgbench.init(system.postgres, options.scale());
                if (options.warmupSeconds() > 0) {
                    log(system.name + ": pgbench warm-up, 8 clients, " + options.warmupSeconds() + " s");
                    pgbench.run(system.postgres, 8, 2, options.warmupSeconds());
                }
            }
            log(system.name + ": single-client commits (" + options.warmupTxns() + " warm-up, " + options.txns()
                    + " measured)");
            Counters before = settledCounters(system);
            LatencyStats latency = CommitLatency.measure(system.postgres, options.warmupTxns(), options.txns());
            phases.add(new SystemResult.Phase(
                    "commit latency",
                    options.warmupTxns() + options.txns(),
                    settledCounters(system).minus(before),
                    0));
            log(system.name + ": " + latency);

            // What the system burns with no client at all: background work that per-transaction CPU includes.
            Counters idleStart = system.counters();
            BenchSystem.sleep(SystemResult.IDLE_SECONDS * 1000L);
            Counters idle = system.counters().minus(idleStart);

            Pgbench.Result tps1 = null;
            Pgbench.Result tps8 = null;
            if (pgbench != null) {
                tps1 = pgbenchPhase(
                        system, phases, () -> pgbench.run(system.postgres, 1, 1, options.durationSeconds()));
                tps8 = pgbenchPhase(
                        system, phases, () -> pgbench.run(system.postgres, 8, 2, options.durationSeconds()));
            }
            LatencyStats grpc =
                    system.nodes.isEmpty() ? null : GrpcProbe.measure(system.nodes.get(0), system.timeline, 500, 2000);
            if (grpc != null) {
                log(system.name + ": gRPC round trip to a WAL node: " + grpc);
            }
            return new SystemResult(system.name, latency, tps1, tps8, phases, grpc, idle);
        } finally {
            log(system.name + ": stopping");
            system.close();
            RUNNING.remove(system);
        }
    }

    private static Pgbench.Result pgbenchPhase(
            BenchSystem system, List<SystemResult.Phase> phases, Supplier<Pgbench.Result> run) throws SQLException {
        Counters before = settledCounters(system);
        AtomicBoolean running = new AtomicBoolean(true);
        DoubleAdder lagSum = new DoubleAdder();
        LongAdder lagSamples = new LongAdder();
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                lagSum.add(system.commitLagBytes());
                lagSamples.increment();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Pgbench.Result result;
        try {
            result = run.get();
        } finally {
            running.set(false);
            sampler.interrupt();
        }
        log(system.name + ": pgbench " + result.clients() + " client(s): " + String.format("%.1f", result.tps())
                + " tps, latency average " + result.latencyMillis() + " ms");
        double meanLag = lagSamples.sum() == 0 ? 0 : lagSum.sum() / lagSamples.sum();
        phases.add(new SystemResult.Phase(
                "pgbench -c " + result.clients(),
                result.transactions(),
                settledCounters(system).minus(before),
                meanLag));
        return result;
    }

    /** Counters once the backends of the last phase have exited and reported their WAL statistics. */
    private static Counters settledCounters(BenchSystem system) throws SQLException {
        BenchSystem.sleep(1200);
        return system.counters();
    }

    private static void stopAll() {
        for (BenchSystem system : RUNNING) {
            try {
                system.close();
            } catch (RuntimeException e) {
                System.err.println("bench: stopping " + system.name + ": " + e);
            }
        }
        RUNNING.clear();
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
