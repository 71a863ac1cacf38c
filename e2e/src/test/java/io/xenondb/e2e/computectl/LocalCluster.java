package io.xenondb.e2e.computectl;

import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.pgruntime.FreePorts;
import io.xenondb.service.process.ServiceCommand;
import io.xenondb.service.process.ServiceProcess;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.client.StorageNodeClient;
import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.client.storagenode.LocationConfigMode;
import io.xenondb.shared.client.storagenode.TenantConf;
import io.xenondb.shared.client.storagenode.TimelineCreateRequest;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker, three WAL nodes and a storage node, each a process of its own started from this JVM's class path, with
 * their files and logs under {@code dir}. Every process is stopped by its handle on {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(90);

    final Path dir;
    public final List<WalNodeEndpoint> walNodes = new ArrayList<>();
    public final ListenAddress storageHttp = new ListenAddress("127.0.0.1", FreePorts.allocate());
    public final ListenAddress storageGrpc = new ListenAddress("127.0.0.1", FreePorts.allocate());
    private final int brokerPort = FreePorts.allocate();
    private final List<ServiceProcess> processes = new ArrayList<>();

    public LocalCluster(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            FileTrees.deleteRecursively(this.dir);
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalCluster start() {
        ListenAddress brokerGrpc = new ListenAddress("127.0.0.1", brokerPort);
        String broker = ServiceCommand.brokerEndpoint(brokerGrpc);
        ServiceProcess brokerProcess = launch(
                "broker", ServiceCommand.broker(brokerGrpc, new ListenAddress("127.0.0.1", FreePorts.allocate())));
        List<ServiceProcess> walNodeProcesses = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            int grpc = FreePorts.allocate();
            walNodes.add(WalNodeEndpoint.of(id, "127.0.0.1", grpc));
            walNodeProcesses.add(launch(
                    "wal" + id,
                    ServiceCommand.walNode(
                            id,
                            dir.resolve("wal" + id),
                            new ListenAddress("127.0.0.1", grpc),
                            new ListenAddress("127.0.0.1", FreePorts.allocate()),
                            broker)));
        }
        ServiceProcess storage = launch(
                "storage", ServiceCommand.storageNode(1, dir.resolve("storage"), storageHttp, storageGrpc, broker));
        brokerProcess.awaitPort("127.0.0.1", brokerPort, START);
        for (int i = 0; i < walNodes.size(); i++) {
            walNodeProcesses
                    .get(i)
                    .awaitPort("127.0.0.1", walNodes.get(i).address().port(), START);
        }
        storage.awaitPort(storageHttp.host(), storageHttp.port(), START);
        storage.awaitPort(storageGrpc.host(), storageGrpc.port(), START);
        return this;
    }

    private ServiceProcess launch(String name, ServiceCommand command) {
        ServiceProcess process = command.process(name, dir.resolve(name + ".log"));
        processes.add(process);
        return process.start();
    }

    /** A new tenant (attached in generation 1) and its bootstrapped main timeline, through the storage node's API. */
    TenantTimeline createTenant() {
        TenantShardId tenant = TenantShardId.unsharded(TenantId.generate());
        TimelineId timeline = TimelineId.generate();
        try (StorageNodeClient client = new StorageNodeClient(storageHttp)) {
            client.locationConfig(
                    tenant,
                    new LocationConfig(LocationConfigMode.AttachedSingle, 1L, null, 0, 0, null, TenantConf.defaults()));
            client.timelineCreate(tenant, TimelineCreateRequest.bootstrap(timeline));
        }
        return new TenantTimeline(tenant.tenantId(), timeline);
    }

    record TenantTimeline(TenantId tenant, TimelineId timeline) {}

    @Override
    public void close() {
        for (ServiceProcess process : processes.reversed()) {
            process.stop(Duration.ofSeconds(15));
        }
    }
}
