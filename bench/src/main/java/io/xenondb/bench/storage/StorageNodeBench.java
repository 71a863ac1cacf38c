package io.xenondb.bench.storage;

import io.grpc.ManagedChannel;
import io.xenondb.bench.LatencyStats;
import io.xenondb.compute.start.BasebackupFetcher;
import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.ComputePostgresSettings;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.InitdbOptions;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.proto.pageapi.RelTag;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The storage node benchmark (issue 4): branch creation at two database sizes, compute start from a base backup
 * (static and primary) against {@code pg_ctl start} of a vanilla data directory with the same rows, WAL ingest
 * from a primary to the storage node, and GetPage latency against local page reads. One cluster (broker, three
 * WAL nodes, storage node, as processes) and one vanilla PostgreSQL 17 in the same run; the database grows from
 * small to medium to large as the run goes. A program, not a test: {@code bench/run-storage [--quick] ...}.
 */
public final class StorageNodeBench {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int BRANCH_REPEAT = 5;
    private static final Map<String, String> SETTINGS = Map.of("shared_buffers", "128MB", "max_connections", "20");
    private static volatile StorageNodeBench running;

    private final StorageBenchOptions options;
    private final StorageReport report;
    private final Path runDir;
    private StorageCluster cluster;
    private PostgresCluster vanilla;
    private int vanillaPort;
    private Sql vanillaSql;
    private TenantShardId tenant;
    private final TimelineId main = TimelineId.generate();
    private Compute primary;
    private long lastId;

    private StorageNodeBench(StorageBenchOptions options, String command, Path runDir) {
        this.options = options;
        this.runDir = runDir;
        this.report = new StorageReport(command);
    }

    public static void main(String[] args) {
        StorageBenchOptions options;
        try {
            options = StorageBenchOptions.parse(args);
        } catch (XenonException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(StorageNodeBench::stopRunning, "bench-shutdown"));
        Path runDir = options.workDir()
                .toAbsolutePath()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        StorageNodeBench bench =
                new StorageNodeBench(options, ("bench/run-storage " + String.join(" ", args)).strip(), runDir);
        running = bench;
        int exit = 0;
        try {
            bench.run();
        } catch (Exception e) {
            System.err.println("bench failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            stopRunning();
        }
        String markdown = bench.report.render();
        System.out.println();
        System.out.println(markdown);
        try {
            Files.writeString(runDir.resolve("results.md"), markdown);
            if (options.appendTo() != null) {
                Files.writeString(options.appendTo(), "\n" + markdown, StandardOpenOption.APPEND);
            }
        } catch (Exception e) {
            System.err.println("bench: cannot write the results: " + e);
            exit = 1;
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        String loadStart = loadAverage();
        Files.createDirectories(runDir);
        log("work directory " + runDir);
        PostgresBinaries binaries = PostgresBinaries.bundled();
        vanilla = PostgresCluster.initdb(binaries, runDir.resolve("vanilla"), InitdbOptions.defaults());
        Map<String, String> vanillaSettings = new LinkedHashMap<>(ComputePostgresSettings.forCompute());
        vanillaSettings.remove("synchronous_standby_names");
        vanillaSettings.putAll(SETTINGS);
        vanilla.writeConfig(vanillaSettings);
        vanillaPort = FreePorts.allocate();
        vanilla.start(vanillaPort, TIMEOUT);
        vanillaSql = new Sql(vanilla.jdbcUrl("postgres"), vanilla.superuser());

        long t = System.nanoTime();
        cluster = StorageCluster.start(runDir, binaries, SETTINGS);
        report.note("cluster start (broker, 3 WAL nodes, storage node): %.1f s", seconds(t));
        tenant = cluster.attachTenant(TenantConf.defaults());
        t = System.nanoTime();
        client().timelineCreate(tenant, TimelineCreateRequest.bootstrap(main));
        report.note("timeline bootstrap (initdb on the storage node): %.1f s", seconds(t));
        t = System.nanoTime();
        primary = cluster.primary(tenant, main);
        report.note("first primary on the new timeline: %.1f s", seconds(t));
        DataSet.create(xenon());
        DataSet.create(vanillaSql);

        grow(options.smallMb());
        branches();
        grow(options.mediumMb());
        computeStarts();
        ingest(options.largeMb());
        branches();
        computeStarts();
        getPages();
        report.note(
                "whole run: %.1f min; load average at the start %s, at the end %s",
                seconds(started) / 60, loadStart, loadAverage());
        log("logs and data under " + runDir);
    }

    /** Grows the Xenon database to {@code mb} MiB, and vanilla's by the same rows. */
    private void grow(int mb) throws SQLException {
        log("growing the database to " + mb + " MiB");
        long before = lastId;
        lastId = DataSet.growTo(xenon(), lastId, mb * 1024L * 1024);
        DataSet.fill(vanillaSql, before, lastId);
    }

    private void branches() throws SQLException {
        Lsn tip = caughtUp();
        String size = sizeLabel();
        long[] atLsn = new long[BRANCH_REPEAT];
        long[] atTip = new long[BRANCH_REPEAT];
        for (int i = 0; i < BRANCH_REPEAT; i++) {
            long t = System.nanoTime();
            client().timelineCreate(
                            tenant, TimelineCreateRequest.branch(TimelineId.generate(), main, Optional.of(tip)));
            atLsn[i] = System.nanoTime() - t;
            t = System.nanoTime();
            client().timelineCreate(
                            tenant, TimelineCreateRequest.branch(TimelineId.generate(), main, Optional.empty()));
            atTip[i] = System.nanoTime() - t;
        }
        report.branches(size, LatencyStats.of(atLsn), LatencyStats.of(atTip));
        log("branches of " + size + ": at an LSN " + LatencyStats.of(atLsn) + "; at the tip " + LatencyStats.of(atTip));
    }

    /**
     * Static and primary compute starts, and vanilla restarts, at the current size; the primary is replaced. Then
     * static starts again after a CHECKPOINT on the primary: an image's base backup carries the WAL from the
     * primary's last checkpoint (its redo point), which the compute replays when it starts.
     */
    private void computeStarts() throws SQLException {
        String size = sizeLabel();
        Lsn lsn = image(size);
        long vanillaRel = vanillaSql.number("select pg_relation_size('" + DataSet.TABLE + "')");
        LatencyStats statics = staticStarts(lsn, vanillaRel);
        BaseBackups backups = fetchBaseBackups(lsn);

        long[] primaries = new long[options.repeat()];
        for (int i = 0; i < primaries.length; i++) {
            cluster.destroy(primary);
            primary = null;
            long t = System.nanoTime();
            primary = cluster.primary(tenant, main);
            xenon().firstQuery();
            primaries[i] = System.nanoTime() - t;
            checkSameRelation(xenon(), vanillaRel);
        }
        long[] vanillas = new long[options.repeat()];
        for (int i = 0; i < vanillas.length; i++) {
            vanilla.stop(StopMode.FAST, TIMEOUT);
            long t = System.nanoTime();
            vanilla.start(vanillaPort, TIMEOUT);
            vanillaSql.firstQuery();
            vanillas[i] = System.nanoTime() - t;
        }
        report.computeStarts(size, statics, LatencyStats.of(primaries), LatencyStats.of(vanillas));
        report.baseBackup(size, backups.times, backups.bytes, backups.walBytes);
        log("compute starts at " + size + ": static " + statics + "; primary " + LatencyStats.of(primaries)
                + "; vanilla " + LatencyStats.of(vanillas) + "; base backups " + backups.times);

        xenon().execute("checkpoint");
        Lsn fresh = image(size + " after a CHECKPOINT on the primary");
        LatencyStats freshStatics = staticStarts(fresh, vanillaRel);
        BaseBackups freshBackups = fetchBaseBackups(fresh);
        report.checkpointedStarts(
                size,
                freshStatics,
                LatencyStats.of(vanillas),
                freshBackups.times,
                freshBackups.bytes,
                freshBackups.walBytes);
        log("after a CHECKPOINT on the primary: static " + freshStatics + "; base backups " + freshBackups.times);
    }

    /** An image at the tip (the storage node's checkpoint), timed; its LSN. */
    private Lsn image(String label) throws SQLException {
        caughtUp();
        long t = System.nanoTime();
        client().checkpoint(tenant, main);
        report.note("image at the tip (storage node checkpoint), %s: %.1f s", label, seconds(t));
        return client().timelineInfo(tenant, main).lastRecordLsn();
    }

    private LatencyStats staticStarts(Lsn lsn, long vanillaRel) throws SQLException {
        long[] statics = new long[options.repeat()];
        for (int i = 0; i < statics.length; i++) {
            long t = System.nanoTime();
            Compute compute = cluster.readOnly(tenant, main, lsn);
            Sql sql = sql(compute);
            sql.firstQuery();
            statics[i] = System.nanoTime() - t;
            checkSameRelation(sql, vanillaRel);
            cluster.destroy(compute);
        }
        return LatencyStats.of(statics);
    }

    private record BaseBackups(LatencyStats times, long bytes, long walBytes) {}

    /** Fetches and unpacks the base backup at {@code lsn} (what a compute start does first), timed. */
    private BaseBackups fetchBaseBackups(Lsn lsn) {
        long[] fetches = new long[options.repeat()];
        long bytes = 0;
        long walBytes = 0;
        ManagedChannel channel = WalNodeChannels.open(cluster.storageGrpc());
        try {
            for (int i = 0; i < fetches.length; i++) {
                Path dir = runDir.resolve("basebackup-" + i);
                long t = System.nanoTime();
                BasebackupFetcher.fetch(channel, tenant, main, lsn, dir, TIMEOUT);
                fetches[i] = System.nanoTime() - t;
                bytes = Files2.size(dir);
                walBytes = Files2.size(dir.resolve("pg_wal"));
                Files2.delete(dir);
            }
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(2));
        }
        return new BaseBackups(LatencyStats.of(fetches), bytes, walBytes);
    }

    private void checkSameRelation(Sql xenon, long vanillaBytes) throws SQLException {
        long bytes = xenon.number("select pg_relation_size('" + DataSet.TABLE + "')");
        if (bytes != vanillaBytes) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    DataSet.TABLE + " is " + bytes + " bytes on the compute (expected: " + vanillaBytes
                            + " as on vanilla)");
        }
    }

    private void ingest(int mb) throws SQLException {
        Lsn start = caughtUp();
        log("ingest: growing the database to " + mb + " MiB on the primary");
        long before = lastId;
        IngestSampler sampler = IngestSampler.start(xenon(), client(), tenant, main);
        long t0 = System.nanoTime();
        long t1;
        Lsn end;
        try {
            lastId = DataSet.growTo(xenon(), lastId, mb * 1024L * 1024);
            t1 = System.nanoTime();
            end = xenon().walEnd();
            awaitIngested(end);
        } finally {
            sampler.stop();
            sampler.writeCsv(runDir.resolve("ingest-lag.csv"));
        }
        long t2 = System.nanoTime();
        Lsn vanillaStart = vanillaSql.walEnd();
        long v0 = System.nanoTime();
        DataSet.fill(vanillaSql, before, lastId);
        long v1 = System.nanoTime();
        Lsn vanillaEnd = vanillaSql.walEnd();
        report.ingest(
                end.minus(start),
                (t1 - t0) / 1e9,
                (t2 - t0) / 1e9,
                sampler.maxLagBytes(),
                vanillaEnd.minus(vanillaStart),
                (v1 - v0) / 1e9);
        log(String.format(
                "ingest: %d MiB of WAL, committed in %.1f s, on the storage node after %.1f s; vanilla %.1f s",
                end.minus(start) >> 20, (t1 - t0) / 1e9, (t2 - t0) / 1e9, (v1 - v0) / 1e9));
    }

    private void getPages() throws SQLException {
        Lsn lsn = caughtUp();
        Sql xenon = xenon();
        long blocks = xenon.number("select pg_relation_size('" + DataSet.TABLE + "') / 8192");
        RelTag rel = RelTag.newBuilder()
                .setSpcOid(1663)
                .setDbOid((int) xenon.number("select oid from pg_database where datname = current_database()"))
                .setRelNumber((int) xenon.number("select pg_relation_filenode('" + DataSet.TABLE + "')"))
                .setForkNumber(0)
                .build();
        int reads = options.reads();
        int warmup = Math.min(200, reads);
        Random random = new Random(42);
        long first;
        long[] samples = new long[reads];
        try (GetPageProbe probe = new GetPageProbe(cluster.storageGrpc(), tenant, main)) {
            log("GetPages: first read at " + lsn + " (materialises a snapshot)");
            first = probe.read(rel, (int) random.nextLong(blocks), lsn);
            for (int i = 0; i < warmup; i++) {
                probe.read(rel, (int) random.nextLong(blocks), lsn);
            }
            for (int i = 0; i < reads; i++) {
                samples[i] = probe.read(rel, (int) random.nextLong(blocks), lsn);
            }
        }
        Path file = vanilla.dataDir().resolve(vanillaSql.text("select pg_relation_filepath('" + DataSet.TABLE + "')"));
        LatencyStats pread = LocalReads.pread(file, blocks, warmup, reads, 43);
        vanillaSql.execute("create extension if not exists pageinspect");
        LatencyStats rawPage = LocalReads.rawPage(vanillaSql, DataSet.TABLE, blocks, warmup, reads, 44);
        report.getPages(sizeLabel(), first, LatencyStats.of(samples), pread, rawPage);
        log("GetPages: first " + first / 1e6 + " ms; steady " + LatencyStats.of(samples) + "; pread " + pread
                + "; get_raw_page " + rawPage);
    }

    /** Waits until the storage node has ingested all WAL the primary wrote; that LSN. */
    private Lsn caughtUp() throws SQLException {
        Lsn end = xenon().walEnd();
        awaitIngested(end);
        return client().timelineInfo(tenant, main).lastRecordLsn();
    }

    private void awaitIngested(Lsn lsn) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (client().timelineInfo(tenant, main).lastRecordLsn().compareTo(lsn) < 0) {
            if (System.nanoTime() > deadline) {
                throw new XenonException(
                        ErrorCode.UNAVAILABLE, "the storage node did not ingest up to " + lsn + " within " + TIMEOUT);
            }
            Sleep.millis(20);
        }
    }

    private Sql xenon() {
        return sql(primary);
    }

    private static Sql sql(Compute compute) {
        return new Sql(compute.jdbcUrl("postgres"), Compute.SUPERUSER);
    }

    private StorageNodeClient client() {
        return cluster.client();
    }

    /** The database's actual size, e.g. "db 1024 MiB" (it ends a little above the size asked for). */
    private String sizeLabel() throws SQLException {
        return String.format("db %.0f MiB", DataSet.databaseSize(xenon()) / 1048576.0);
    }

    /** The 1-minute load average: how busy the shared machine was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void stopRunning() {
        StorageNodeBench bench = running;
        running = null;
        if (bench == null) {
            return;
        }
        if (bench.cluster != null) {
            bench.cluster.close();
        }
        if (bench.vanilla != null) {
            bench.vanilla.close();
        }
    }

    static void log(String message) {
        System.err.println("[storage-bench] " + message);
    }
}
