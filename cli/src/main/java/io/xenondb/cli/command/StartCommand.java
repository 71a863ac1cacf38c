package io.xenondb.cli.command;

import io.xenondb.cli.XenonCli;
import io.xenondb.cli.local.Endpoint;
import io.xenondb.cli.local.LocalConfig;
import io.xenondb.cli.local.LocalServices;
import io.xenondb.cli.local.LocalServices.Service;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code xenon start}: starts every service that is not running (broker, storage controller, storage nodes, WAL
 * nodes; not endpoints) and registers the nodes with the controller.
 */
@Command(
        name = "start",
        description = "Start the broker, storage controller, pageservers and safekeepers (on a fresh machine: also"
                + " init, a default tenant and its 'main' endpoint).")
final class StartCommand extends LocalCommand implements Callable<Integer> {
    static final Duration SERVICE_START = Duration.ofSeconds(120);

    @Override
    public Integer call() {
        if (!Files.exists(repo().resolve("config.json"))) {
            return quickstart();
        }
        LocalServices services = services();
        // All at once, then each awaited in order: the JVMs start in parallel.
        List<Service> started = new ArrayList<>();
        for (Service service : services.all()) {
            if (launch(services, service)) {
                started.add(service);
            }
        }
        for (Service service : started) {
            await(service);
        }
        register(config());
        return 0;
    }

    /**
     * No system here yet: the one-command start of the README. Initializes one with embedded defaults, starts it,
     * creates the default tenant and starts its {@code main} endpoint, and says how to connect.
     */
    private int quickstart() {
        out().printf("No Xenon system at %s yet: creating one with embedded defaults.%n", repo());
        out().flush();
        String[][] steps = {
            {"init"},
            {"start"},
            {"tenant", "create", "--set-default"},
            {"endpoint", "create", "main"},
            {"endpoint", "start", "main"}
        };
        for (String[] step : steps) {
            int exit = XenonCli.execute(out(), err(), step);
            if (exit != 0) {
                return exit;
            }
        }
        int port = Endpoint.load(repo(), "main").pgPort();
        out().printf(
                        "%nXenon is running. Connect with:%n  psql postgresql://cloud_admin@127.0.0.1:%d/postgres%n",
                        port);
        out().println(
                        "Then see 'xenon timeline branch --help', 'xenon endpoint --help', and 'xenon stop' to stop it all.");
        return 0;
    }

    /** Starts one service unless it runs already, and waits until it answers. */
    void start(LocalServices services, Service service) {
        if (launch(services, service)) {
            await(service);
        }
    }

    private boolean launch(LocalServices services, Service service) {
        var running = service.process().running();
        if (running.isPresent()) {
            out().printf(
                            "%s is running already, pid: %d%n",
                            service.title(), running.get().pid());
            return false;
        }
        out().println(announcement(services, service));
        out().flush();
        service.process().start(service.command());
        return true;
    }

    private void await(Service service) {
        service.process().awaitPort(service.port(), SERVICE_START, progress());
        out().printf(
                        "%s started, pid: %d%n",
                        service.title(),
                        service.process().running().map(ProcessHandle::pid).orElse(-1L));
        out().flush();
    }

    private static String announcement(LocalServices services, Service service) {
        return switch (service.kind()) {
            case "storage_broker" -> "Starting xenon broker at 127.0.0.1:" + service.port() + ".";
            case "storage_controller" -> "Starting storage controller at 127.0.0.1:" + service.port() + ".";
            case "pageserver" ->
                "Starting pageserver node " + service.id() + " at '127.0.0.1:" + service.port() + "' in \""
                        + services.storageNodeDir(service.id()) + "\".";
            default ->
                "Starting safekeeper at '127.0.0.1:" + service.port() + "' in '" + services.walNodeDir(service.id())
                        + "'.";
        };
    }

    /** Tells the controller where every storage node and WAL node is (idempotent upserts). */
    void register(LocalConfig config) {
        for (LocalConfig.StorageNode node : config.storageNodes()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("node_id", node.id());
            body.put("listen_pg_addr", "127.0.0.1");
            body.put("listen_pg_port", node.grpcPort());
            body.put("listen_http_addr", "127.0.0.1");
            body.put("listen_http_port", node.httpPort());
            body.put("listen_grpc_addr", "127.0.0.1");
            body.put("listen_grpc_port", node.grpcPort());
            body.put("availability_zone_id", node.availabilityZone());
            controller().post("/control/v1/node", body);
        }
        for (LocalConfig.WalNode node : config.walNodes()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", node.id());
            body.put("region_id", "local");
            body.put("version", 1);
            body.put("host", "127.0.0.1");
            body.put("port", node.grpcPort());
            body.put("http_port", node.httpPort());
            body.put("availability_zone_id", node.availabilityZone());
            controller().post("/control/v1/safekeeper/" + node.id(), body);
        }
    }
}
