package io.xenondb.cli.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of a local system and how each is started: its directory under the repository, main class,
 * flags and the port that says it is up. All listen on 127.0.0.1 only.
 */
public final class LocalServices {
    /** One service: its process, what it runs, and the port it serves on once up. */
    public record Service(String kind, int id, LocalProcess process, String mainClass, List<String> args, int port) {
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
                "io.xenondb.broker.BrokerApplication",
                List.of(
                        "--listen-addr",
                        loopback(config.broker().port()),
                        "--listen-http-addr",
                        loopback(config.broker().httpPort())),
                config.broker().port());
    }

    public Service controller() {
        Path dir = repo.resolve("storage_controller");
        return new Service(
                "storage_controller",
                0,
                new LocalProcess("storage_controller", dir),
                "io.xenondb.controller.ControllerApplication",
                List.of(
                        "--dev",
                        "--listen",
                        loopback(config.controller().port()),
                        "--dev-data-dir",
                        controllerDatabase().toString()),
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
                    "io.xenondb.storagenode.StorageNodeApplication",
                    List.of(
                            "--id",
                            Integer.toString(node.id()),
                            "-D",
                            dir.resolve("data").toString(),
                            "--listen-http",
                            loopback(node.httpPort()),
                            "--listen-grpc",
                            loopback(node.grpcPort()),
                            "--broker-endpoint",
                            "http://" + loopback(config.broker().port()),
                            "--remote-storage",
                            "{local_path='" + remoteStorage() + "'}"),
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
                    "io.xenondb.walnode.WalNodeApplication",
                    List.of(
                            "--id",
                            Integer.toString(node.id()),
                            "-D",
                            dir.resolve("data").toString(),
                            "--listen-grpc",
                            loopback(node.grpcPort()),
                            "--listen-http",
                            loopback(node.httpPort()),
                            "--broker-endpoint",
                            "http://" + loopback(config.broker().port()),
                            "--availability-zone",
                            node.availabilityZone()),
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

    static String loopback(int port) {
        return "127.0.0.1:" + port;
    }
}
