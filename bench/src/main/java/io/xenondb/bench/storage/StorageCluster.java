package io.xenondb.bench.storage;

import io.xenondb.bench.BenchJvm;
import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.pgruntime.PostgresBinaries;
import io.xenondb.service.process.ServiceCommand;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The storage node acceptance fixture's cluster (storage-node's {@code TestCluster}): a broker, three WAL nodes
 * and a storage node, each a JVM process with its files under {@code dir}, and computes started from the storage
 * node's base backups in this JVM. {@link #close()} stops every process started here, by its handle.
 */
final class StorageCluster implements AutoCloseable {
    static final Duration START = Duration.ofMinutes(5);

    private final Path dir;
    private final PostgresBinaries binaries;
    private final Map<String, String> computeSettings;
    private final List<BenchJvm> processes = new ArrayList<>();
    private final List<WalNodeEndpoint> walNodes = new ArrayList<>();
    private final List<Compute> computes = new ArrayList<>();
    private final ListenAddress storageHttp = new ListenAddress("127.0.0.1", FreePorts.allocate());
    private final ListenAddress storageGrpc = new ListenAddress("127.0.0.1", FreePorts.allocate());
    private final StorageNodeClient client;
    private int computeCount;

    private StorageCluster(Path dir, PostgresBinaries binaries, Map<String, String> computeSettings) {
        this.dir = dir;
        this.binaries = binaries;
        this.computeSettings = Map.copyOf(computeSettings);
        // Image creation and base backups of a 1 GB database take minutes on 2 shared cores.
        this.client = new StorageNodeClient(java.net.URI.create("http://" + storageHttp), Duration.ofMinutes(20));
    }

    /** Starts broker, WAL nodes and storage node and waits until all serve. */
    static StorageCluster start(Path dir, PostgresBinaries binaries, Map<String, String> computeSettings) {
        StorageCluster cluster = new StorageCluster(dir, binaries, computeSettings);
        try {
            cluster.startProcesses();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startProcesses() {
        int brokerPort = FreePorts.allocate();
        ListenAddress brokerGrpc = new ListenAddress("127.0.0.1", brokerPort);
        String broker = ServiceCommand.brokerEndpoint(brokerGrpc);
        // On a class path with Spring gRPC's server (the storage node's), the broker would also open Spring's
        // default gRPC server on 0.0.0.0:9090, and fail when anything else holds that port: a free port instead.
        BenchJvm brokerJvm = jvm(
                "broker",
                List.of("-Xmx128m", "-Dspring.grpc.server.port=0"),
                ServiceCommand.broker(brokerGrpc, new ListenAddress("127.0.0.1", FreePorts.allocate())));
        List<Integer> walPorts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            int grpc = FreePorts.allocate();
            walPorts.add(grpc);
            walNodes.add(WalNodeEndpoint.of(id, "127.0.0.1", grpc));
            jvm(
                    "wal" + id,
                    List.of("-Xmx256m"),
                    ServiceCommand.walNode(
                            id,
                            dir.resolve("wal" + id),
                            new ListenAddress("127.0.0.1", grpc),
                            new ListenAddress("127.0.0.1", FreePorts.allocate()),
                            broker));
        }
        BenchJvm storage = jvm(
                "storage",
                List.of("-Xmx512m"),
                ServiceCommand.storageNode(1, dir.resolve("storage"), storageHttp, storageGrpc, broker)
                        .with("--wait-lsn-timeout", "120s"));
        processes.forEach(BenchJvm::start);
        brokerJvm.awaitPort(brokerPort, START);
        for (int i = 0; i < walPorts.size(); i++) {
            processes.get(i + 1).awaitPort(walPorts.get(i), START);
        }
        storage.awaitPort(storageHttp.port(), START);
        storage.awaitPort(storageGrpc.port(), START);
    }

    private BenchJvm jvm(String name, List<String> jvmOptions, ServiceCommand command) {
        BenchJvm jvm = new BenchJvm(name, jvmOptions, command.mainClass(), command.args(), dir.resolve(name + ".log"));
        processes.add(jvm);
        return jvm;
    }

    StorageNodeClient client() {
        return client;
    }

    ListenAddress storageGrpc() {
        return storageGrpc;
    }

    /** A new tenant attached in generation 1, with {@code conf}. */
    TenantShardId attachTenant(TenantConf conf) {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        client.locationConfig(
                tenant, new LocationConfig(LocationConfigMode.AttachedSingle, 1L, null, 0, 0, null, conf));
        return tenant;
    }

    Compute primary(TenantShardId tenant, TimelineId timeline) {
        return compute(tenant, timeline, Compute.Mode.PRIMARY, Lsn.INVALID);
    }

    Compute readOnly(TenantShardId tenant, TimelineId timeline, Lsn lsn) {
        return compute(tenant, timeline, Compute.Mode.STATIC, lsn);
    }

    private synchronized Compute compute(TenantShardId tenant, TimelineId timeline, Compute.Mode mode, Lsn lsn) {
        Path data = dir.resolve("compute-" + (++computeCount));
        Compute compute = Compute.start(
                binaries,
                new Compute.Spec(
                        tenant,
                        timeline,
                        mode,
                        lsn,
                        walNodes,
                        storageGrpc,
                        FreePorts.allocate(),
                        data,
                        computeSettings,
                        START));
        computes.add(compute);
        return compute;
    }

    /** Stops a compute and deletes its data directory (they are as large as the database). */
    synchronized void destroy(Compute compute) {
        compute.close();
        computes.remove(compute);
        Files2.delete(compute.spec().dataDir());
    }

    @Override
    public synchronized void close() {
        for (Compute compute : List.copyOf(computes)) {
            try {
                compute.close();
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
        computes.clear();
        client.close();
        // The storage node first (it streams from the WAL nodes), the broker last.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
