package io.xenondb.storagenode.it;

import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.service.process.ServiceCommand;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import io.xenondb.shared.lsn.Lsn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A broker, three WAL nodes and a storage node, each a process of its own with its files under {@code dir}, and
 * computes started from the storage node's base backups in this JVM. Every process started is stopped by its
 * handle on {@link #close()}.
 */
final class TestCluster implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(90);
    private static PostgresBinaries binaries;

    final Path dir;
    final ServiceProcess broker;
    final List<ServiceProcess> walNodes = new ArrayList<>();
    final List<WalNodeEndpoint> walNodeEndpoints = new ArrayList<>();
    final ServiceProcess storageNode;
    final ListenAddress storageHttp;
    final ListenAddress storageGrpc;
    private final int brokerPort;
    private final List<Integer> walNodePorts = new ArrayList<>();
    private final List<Compute> computes = new ArrayList<>();
    private int computeCount;

    static synchronized PostgresBinaries binaries() {
        if (binaries == null) {
            binaries = PostgresBinaries.bundled();
        }
        return binaries;
    }

    TestCluster(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            deleteQuietly(this.dir);
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        brokerPort = FreePorts.allocate();
        ListenAddress brokerGrpc = new ListenAddress("127.0.0.1", brokerPort);
        String brokerEndpoint = ServiceCommand.brokerEndpoint(brokerGrpc);
        broker = ServiceCommand.broker(brokerGrpc, new ListenAddress("127.0.0.1", FreePorts.allocate()))
                .process("broker", this.dir.resolve("broker.log"));
        for (int id = 1; id <= 3; id++) {
            int grpc = FreePorts.allocate();
            walNodePorts.add(grpc);
            walNodeEndpoints.add(WalNodeEndpoint.of(id, "127.0.0.1", grpc));
            walNodes.add(ServiceCommand.walNode(
                            id,
                            this.dir.resolve("wal" + id),
                            new ListenAddress("127.0.0.1", grpc),
                            new ListenAddress("127.0.0.1", FreePorts.allocate()),
                            brokerEndpoint)
                    .process("wal-node-" + id, this.dir.resolve("wal" + id + ".log")));
        }
        storageHttp = new ListenAddress("127.0.0.1", FreePorts.allocate());
        storageGrpc = new ListenAddress("127.0.0.1", FreePorts.allocate());
        storageNode = ServiceCommand.storageNode(
                        1, this.dir.resolve("storage"), storageHttp, storageGrpc, brokerEndpoint)
                .with("--wait-lsn-timeout", "30s")
                .process("storage-node", this.dir.resolve("storage.log"));
    }

    TestCluster start() {
        broker.start();
        walNodes.forEach(ServiceProcess::start);
        storageNode.start();
        broker.awaitPort("127.0.0.1", brokerPort, START);
        for (int i = 0; i < walNodes.size(); i++) {
            walNodes.get(i).awaitPort("127.0.0.1", walNodePorts.get(i), START);
        }
        return startStorageNode();
    }

    TestCluster startStorageNode() {
        storageNode.start();
        storageNode.awaitPort(storageHttp.host(), storageHttp.port(), START);
        storageNode.awaitPort(storageGrpc.host(), storageGrpc.port(), START);
        return this;
    }

    StorageNodeClient client() {
        return new StorageNodeClient(storageHttp);
    }

    /** A new tenant attached in generation 1, with {@code conf}. */
    TenantShardId attachTenant(TenantConf conf) {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        try (StorageNodeClient client = client()) {
            client.locationConfig(
                    tenant, new LocationConfig(LocationConfigMode.AttachedSingle, 1L, null, 0, 0, null, conf));
        }
        return tenant;
    }

    Compute primary(TenantShardId tenant, TimelineId timeline) {
        return compute(tenant, timeline, Compute.Mode.PRIMARY, Lsn.INVALID);
    }

    Compute readOnly(TenantShardId tenant, TimelineId timeline, Lsn lsn) {
        return compute(tenant, timeline, Compute.Mode.STATIC, lsn);
    }

    /** A primary that keeps its image files in {@code imageCache} (and starts incrementally from it if it can). */
    Compute primary(TenantShardId tenant, TimelineId timeline, Path imageCache) {
        return compute(tenant, timeline, Compute.Mode.PRIMARY, Lsn.INVALID, imageCache);
    }

    private Compute compute(TenantShardId tenant, TimelineId timeline, Compute.Mode mode, Lsn lsn) {
        return compute(tenant, timeline, mode, lsn, null);
    }

    private synchronized Compute compute(
            TenantShardId tenant, TimelineId timeline, Compute.Mode mode, Lsn lsn, Path imageCache) {
        Path data = dir.resolve("compute-" + (++computeCount));
        Compute compute = Compute.start(
                binaries(),
                new Compute.Spec(
                        tenant,
                        timeline,
                        mode,
                        lsn,
                        walNodeEndpoints,
                        storageGrpc,
                        FreePorts.allocate(),
                        data,
                        Map.of("shared_buffers", "16MB", "max_connections", "20"),
                        START,
                        imageCache,
                        null));
        computes.add(compute);
        return compute;
    }

    /** Stops a compute and deletes its data directory: what it committed must live on elsewhere. */
    void destroy(Compute compute) {
        compute.close();
        computes.remove(compute);
        deleteQuietly(compute.spec().dataDir());
    }

    static long count(Compute compute, String table) throws SQLException {
        try (Connection c = connect(compute);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(Compute compute, String... sql) throws SQLException {
        try (Connection c = connect(compute);
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    static Lsn currentLsn(Compute compute) throws SQLException {
        try (Connection c = connect(compute);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_current_wal_insert_lsn()")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    static Connection connect(Compute compute) throws SQLException {
        return DriverManager.getConnection(compute.jdbcUrl("postgres"), Compute.SUPERUSER, "");
    }

    @Override
    public void close() {
        for (Compute compute : List.copyOf(computes)) {
            try {
                compute.close();
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
        storageNode.stop(Duration.ofSeconds(15));
        walNodes.forEach(n -> n.stop(Duration.ofSeconds(10)));
        broker.stop(Duration.ofSeconds(10));
    }

    /** Deletes a test directory and everything below it, if it exists. */
    static void deleteQuietly(Path path) {
        try {
            FileTrees.deleteRecursively(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
