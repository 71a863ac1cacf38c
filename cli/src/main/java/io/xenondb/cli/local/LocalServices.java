package io.xenondb.cli.local;

import io.xenondb.service.process.ServiceCommand;
import io.xenondb.shared.cli.ListenAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of a local system and how each is started: its directory under the repository, main class,
 * flags and the port that says it is up. All listen on 127.0.0.1 only.
 */
public final class LocalServices {
    /** One service: its process, what it runs, and the port it serves on once up. */
    public record Service(String kind, int id, LocalProcess process, ServiceCommand command, int port) {
        /** How the seed's output names it: {@code pageserver 1}, {@code safekeeper 2}, {@code storage_broker}. */
        public String title() {
            return id > 0 ? kind + " " + id : kind;
        }
    }

    private final Path repo;
    private final LocalConfig config;

    public LocalServices(Path repo, LocalConfig config) {
        this.repo = repo;
        this.config = config;
    }

    public Path repo() {
        return repo;
    }

    public Path remoteStorage() {
        return repo.resolve("remote_storage");
    }

    public Service broker() {
        Path dir = repo.resolve("storage_broker");
        return new Service(
                "storage_broker",
                0,
                new LocalProcess("storage_broker", dir),
                ServiceCommand.broker(
                        loopback(config.broker().port()),
                        loopback(config.broker().httpPort())),
                config.broker().port());
    }

    public Service controller() {
        Path dir = repo.resolve("storage_controller");
        return new Service(
                "storage_controller",
                0,
                new LocalProcess("storage_controller", dir),
                ServiceCommand.devController(loopback(config.controller().port()), controllerDatabase()),
                config.controller().port());
    }

    public List<Service> storageNodes() {
        List<Service> services = new ArrayList<>();
        for (LocalConfig.StorageNode node : config.storageNodes()) {
            Path dir = storageNodeDir(node.id());
            services.add(new Service(
                    "pageserver",
                    node.id(),
                    new LocalProcess("pageserver", dir),
                    ServiceCommand.storageNode(
                                    node.id(),
                                    dir.resolve("data"),
                                    loopback(node.httpPort()),
                                    loopback(node.grpcPort()),
                                    brokerEndpoint())
                            .with("--remote-storage", "{local_path='" + remoteStorage() + "'}"),
                    node.httpPort()));
        }
        return services;
    }

    public List<Service> walNodes() {
        List<Service> services = new ArrayList<>();
        for (LocalConfig.WalNode node : config.walNodes()) {
            Path dir = walNodeDir(node.id());
            services.add(new Service(
                    "safekeeper",
                    node.id(),
                    new LocalProcess("safekeeper", dir),
                    ServiceCommand.walNode(
                                    node.id(),
                                    dir.resolve("data"),
                                    loopback(node.grpcPort()),
                                    loopback(node.httpPort()),
                                    brokerEndpoint())
                            .with("--availability-zone", node.availabilityZone()),
                    node.grpcPort()));
        }
        return services;
    }

    /** Every service in start order: broker, controller, storage nodes, WAL nodes. */
    public List<Service> all() {
        List<Service> all = new ArrayList<>();
        all.add(broker());
        all.add(controller());
        all.addAll(storageNodes());
        all.addAll(walNodes());
        return all;
    }

    /** The data directory of the controller's embedded PostgreSQL. */
    public Path controllerDatabase() {
        return repo.resolve("storage_controller").resolve("db");
    }

    public Path storageNodeDir(int id) {
        return repo.resolve("pageserver_" + id);
    }

    public Path walNodeDir(int id) {
        return repo.resolve("safekeepers").resolve("sk" + id);
    }

    public String controllerUrl() {
        return "http://" + loopback(config.controller().port());
    }

    private String brokerEndpoint() {
        return ServiceCommand.brokerEndpoint(loopback(config.broker().port()));
    }

    static ListenAddress loopback(int port) {
        return new ListenAddress("127.0.0.1", port);
    }
}
