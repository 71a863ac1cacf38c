package io.xenondb.compute.start;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.xenondb.compute.walproposer.ComputePostgresSettings;
import io.xenondb.compute.walproposer.ProposerMetrics;
import io.xenondb.compute.walproposer.SyncWalNodes;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.compute.walproposer.WalProposer;
import io.xenondb.compute.walproposer.WalProposerConfig;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.pgruntime.PostgresCluster;
import io.xenondb.pgruntime.StopMode;
import io.xenondb.proto.wal.GetTimelineStatusRequest;
import io.xenondb.proto.wal.WalServiceGrpc;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.WalNodeChannels;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TenantTimelineId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import io.xenondb.shared.pg.PgControlFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One running compute (DESIGN.md §2, §5): stock PostgreSQL 17 started from a base backup of its timeline.
 * A primary first syncs the timeline's WAL nodes (the LSN every acknowledged commit lies below), starts from a
 * base backup at that LSN and streams its WAL to the WAL nodes through the WAL proposer; a timeline no WAL node
 * knows yet starts at the storage node's tip and is created on the WAL nodes by the proposer. A static compute
 * starts at a fixed LSN as a hot standby with nothing more to replay: it reads exactly that LSN's data and
 * refuses writes.
 */
public final class Compute implements AutoCloseable {
    /** The superuser of every Xenon database (the storage node bootstraps timelines with it). */
    public static final String SUPERUSER = "cloud_admin";

    /** Primary (read-write, WAL to the WAL nodes) or static (read-only at one LSN). */
    public enum Mode {
        PRIMARY,
        STATIC
    }

    /**
     * What to start.
     *
     * @param lsn for a static compute the LSN to read at (snapped down to a record boundary by the storage node);
     *     ignored for a primary
     * @param settings PostgreSQL settings on top of the compute's own
     * @param imageCache optional (null: none): a directory, next to the data directory, where the compute keeps the
     *     image files it started from, so its next start fetches only what changed since ({@link ImageCache})
     */
    public record Spec(
            TenantShardId tenant,
            TimelineId timeline,
            Mode mode,
            Lsn lsn,
            List<WalNodeEndpoint> walNodes,
            ListenAddress storageNode,
            int port,
            Path dataDir,
            Map<String, String> settings,
            Duration timeout,
            Path imageCache,
            String storageToken) {
        public Spec {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(timeline, "timeline");
            Objects.requireNonNull(mode, "mode");
            lsn = lsn == null ? Lsn.INVALID : lsn;
            walNodes = List.copyOf(walNodes);
            settings = Map.copyOf(settings);
            if (mode == Mode.PRIMARY && walNodes.isEmpty()) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "wal nodes: none (a primary needs its timeline's" + " WAL nodes)");
            }
            if (mode == Mode.STATIC && !lsn.isValid()) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "lsn: missing (a static compute reads at one LSN)");
            }
        }

        /** A spec without an image cache: every start fetches a whole base backup. */
        public Spec(
                TenantShardId tenant,
                TimelineId timeline,
                Mode mode,
                Lsn lsn,
                List<WalNodeEndpoint> walNodes,
                ListenAddress storageNode,
                int port,
                Path dataDir,
                Map<String, String> settings,
                Duration timeout) {
            this(tenant, timeline, mode, lsn, walNodes, storageNode, port, dataDir, settings, timeout, null, null);
        }

        /** This spec with {@code imageCache} as its image cache directory. */
        public Spec withImageCache(Path imageCache) {
            return new Spec(
                    tenant,
                    timeline,
                    mode,
                    lsn,
                    walNodes,
                    storageNode,
                    port,
                    dataDir,
                    settings,
                    timeout,
                    imageCache,
                    storageToken);
        }

        /** This spec with a JWT for the storage node (sent as {@code authorization: Bearer}). */
        public Spec withStorageToken(String token) {
            return new Spec(
                    tenant,
                    timeline,
                    mode,
                    lsn,
                    walNodes,
                    storageNode,
                    port,
                    dataDir,
                    settings,
                    timeout,
                    imageCache,
                    token);
        }

        public TenantTimelineId tenantTimeline() {
            return new TenantTimelineId(tenant.tenantId(), timeline);
        }
    }

    private final Spec spec;
    private final PostgresCluster postgres;
    private final BasebackupFetcher.Result basebackup;
    private final WalProposer proposer;

    private Compute(Spec spec, PostgresCluster postgres, BasebackupFetcher.Result basebackup, WalProposer proposer) {
        this.spec = spec;
        this.postgres = postgres;
        this.basebackup = basebackup;
        this.proposer = proposer;
    }

    /** Starts the compute; on failure nothing it started is left running. */
    public static Compute start(PostgresBinaries binaries, Spec spec) {
        return start(binaries, spec, ProposerMetrics.unregistered(spec.tenantTimeline()));
    }

    /** The same, with the WAL proposer (of a primary) reporting to {@code metrics}. */
    public static Compute start(PostgresBinaries binaries, Spec spec, ProposerMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        Optional<Lsn> synced = Optional.empty();
        if (spec.mode() == Mode.PRIMARY && anyWalNodeKnows(spec)) {
            synced = Optional.of(SyncWalNodes.syncWalNodes(spec.tenantTimeline(), spec.walNodes(), spec.timeout()));
        }
        Lsn wanted = spec.mode() == Mode.STATIC ? spec.lsn() : synced.orElse(Lsn.INVALID);
        ManagedChannel channel = WalNodeChannels.open(spec.storageNode());
        BasebackupFetcher.Result fetched;
        try {
            fetched = BasebackupFetcher.fetch(
                    io.xenondb.shared.client.PageServiceHeaders.withToken(channel, spec.storageToken()),
                    spec.tenant(),
                    spec.timeline(),
                    wanted,
                    spec.dataDir(),
                    spec.timeout(),
                    spec.imageCache() == null ? null : new ImageCache(spec.imageCache()));
        } catch (XenonException e) {
            // gRPC's own text ("io exception") does not say whom it could not reach.
            throw new XenonException(
                    e.code(), "base backup from the storage node at " + spec.storageNode() + ": " + e.getMessage(), e);
        } finally {
            WalNodeChannels.close(channel, Duration.ofSeconds(1));
        }
        Lsn start = fetched.lsn();
        if (synced.isPresent() && !start.equals(synced.get())) {
            throw new XenonException(
                    ErrorCode.INTERNAL,
                    "the base backup is at " + start + ", but the WAL nodes synced" + " at " + synced.get());
        }
        PostgresCluster postgres = PostgresCluster.open(binaries, spec.dataDir(), SUPERUSER);
        WalProposer proposer = null;
        try {
            postgres.writeConfig(settings(
                    spec,
                    PgControlFile.parse(
                            Files.readAllBytes(spec.dataDir().resolve("global").resolve("pg_control")))));
            if (spec.mode() == Mode.STATIC) {
                Files.writeString(spec.dataDir().resolve("standby.signal"), "");
            }
            postgres.start(spec.port(), spec.timeout());
            if (spec.mode() == Mode.STATIC) {
                awaitReplay(postgres, fetched.lsn(), spec.timeout());
            }
            if (spec.mode() == Mode.PRIMARY) {
                WalProposerConfig config = WalProposerConfig.of(
                        spec.tenantTimeline(),
                        spec.walNodes(),
                        postgres.jdbcUrl("postgres"),
                        SUPERUSER,
                        spec.dataDir().resolve("pg_wal"),
                        start);
                if (synced.isEmpty()) {
                    config = config.withTimelineCreation(start);
                }
                proposer = WalProposer.start(config, metrics);
            }
            return new Compute(spec, postgres, fetched, proposer);
        } catch (IOException | RuntimeException e) {
            if (proposer != null) {
                proposer.close();
            }
            postgres.close();
            throw e instanceof IOException io
                    ? new XenonException(ErrorCode.UNAVAILABLE, "starting the compute failed: " + io, io)
                    : (RuntimeException) e;
        }
    }

    private static Map<String, String> settings(Spec spec, PgControlFile control) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (spec.mode() == Mode.PRIMARY) {
            settings.putAll(ComputePostgresSettings.forCompute());
        } else {
            settings.put("hot_standby", "on");
            settings.put("synchronous_standby_names", "");
        }
        settings.put("listen_addresses", "127.0.0.1");
        settings.putAll(spec.settings());
        if (spec.mode() == Mode.STATIC) {
            // A hot standby refuses to run with lower limits than the primary that wrote the WAL had.
            atLeast(settings, "max_connections", control.maxConnections(), 100);
            atLeast(settings, "max_worker_processes", control.maxWorkerProcesses(), 8);
            atLeast(settings, "max_wal_senders", control.maxWalSenders(), 10);
            atLeast(settings, "max_prepared_transactions", control.maxPreparedXacts(), 0);
            atLeast(settings, "max_locks_per_transaction", control.maxLocksPerXact(), 64);
        }
        return settings;
    }

    private static void atLeast(Map<String, String> settings, String name, int primary, int postgresDefault) {
        int wanted =
                settings.containsKey(name) ? Integer.parseInt(settings.get(name).strip()) : postgresDefault;
        if (wanted < primary) {
            settings.put(name, Integer.toString(primary));
        }
    }

    /** Whether any of the timeline's WAL nodes holds it (else it is new, and the proposer creates it). */
    private static boolean anyWalNodeKnows(Spec spec) {
        for (WalNodeEndpoint node : spec.walNodes()) {
            ManagedChannel channel = WalNodeChannels.open(node.address());
            try {
                WalServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getTimelineStatus(GetTimelineStatusRequest.newBuilder()
                                .setTenantTimelineId(spec.tenantTimeline().toWalProto())
                                .build());
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND
                        && e.getStatus().getCode() != Status.Code.UNAVAILABLE
                        && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
            } finally {
                WalNodeChannels.close(channel, Duration.ofSeconds(1));
            }
        }
        return false;
    }

    /**
     * A hot standby accepts connections as soon as it is consistent, which may be before it replayed all its WAL:
     * a static compute is ready only once replay reached its LSN, else early queries would see older data.
     */
    private static void awaitReplay(PostgresCluster postgres, Lsn lsn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Lsn replayed = Lsn.INVALID;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl("postgres"), SUPERUSER, "");
                java.sql.Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (java.sql.ResultSet rs = s.executeQuery("select pg_last_wal_replay_lsn()")) {
                    rs.next();
                    String text = rs.getString(1);
                    replayed = text == null ? Lsn.INVALID : Lsn.parse(text);
                }
                if (!replayed.isBefore(lsn)) {
                    return;
                }
                Thread.sleep(20);
            }
        } catch (java.sql.SQLException e) {
            throw new XenonException(
                    ErrorCode.UNAVAILABLE,
                    "waiting for the static compute to replay to " + lsn + " failed: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new XenonException(
                ErrorCode.UNAVAILABLE,
                "the static compute replayed to " + replayed + ", not " + lsn + ", within " + timeout);
    }

    public PostgresCluster postgres() {
        return postgres;
    }

    /** The LSN the compute started at: its base backup's. */
    public Lsn startLsn() {
        return basebackup.lsn();
    }

    /** The base backup the compute started from (whole or incremental, its image, its size). */
    public BasebackupFetcher.Result basebackup() {
        return basebackup;
    }

    public Spec spec() {
        return spec;
    }

    /** The WAL proposer of a primary. */
    public Optional<WalProposer> proposer() {
        return Optional.ofNullable(proposer);
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /** Stops PostgreSQL (fast: committed work is on the WAL nodes) and the proposer. */
    @Override
    public void close() {
        try {
            postgres.stop(StopMode.FAST, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            postgres.close();
        } finally {
            if (proposer != null) {
                proposer.close();
            }
        }
    }
}
