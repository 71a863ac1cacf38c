package io.xenondb.cli.command;

import io.xenondb.cli.local.Endpoint;
import io.xenondb.cli.local.LocalServices;
import io.xenondb.cli.local.LocalServices.Service;
import io.xenondb.cli.local.Postmasters;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xenon stop}: stops every running service, last started first. */
@Command(name = "stop", description = "Stop every running service of the local system.")
final class StopCommand extends LocalCommand implements Callable<Integer> {
    static final Duration GRACE = Duration.ofSeconds(30);

    @Option(
            names = "--mode",
            paramLabel = "<fast|immediate>",
            description = "fast: ask each to shut down cleanly (default); immediate: kill -9")
    String mode = "fast";

    @Override
    public Integer call() {
        boolean immediate = immediate(mode);
        LocalServices services = services();
        List<Service> order = new ArrayList<>(services.all());
        Collections.reverse(order);
        // Endpoints first (a primary's last WAL goes to the WAL nodes), then the nodes, all at once; then the
        // controller, then the broker.
        Map<Endpoint, ProcessHandle> computes = new LinkedHashMap<>();
        for (Endpoint endpoint : Endpoint.all(repo())) {
            endpoint.process(repo()).signal(immediate).ifPresent(p -> computes.put(endpoint, p));
        }
        for (var entry : computes.entrySet()) {
            entry.getKey().process(repo()).awaitExit(entry.getValue(), ComputeStarter.STOP_GRACE);
            out().printf("Stopped endpoint %s%n", entry.getKey().name());
            out().flush();
        }

        List<Service> nodes = order.stream()
                .filter(s -> s.kind().equals("pageserver") || s.kind().equals("safekeeper"))
                .toList();
        stopTogether(nodes, immediate);
        stopTogether(List.of(services.controller()), immediate);
        stopTogether(List.of(services.broker()), immediate);
        // PostgreSQL servers whose parent was killed (--mode immediate, or a crash): the controller's database,
        // the endpoints' computes, the storage nodes' replay workers. A clean stop leaves none.
        for (Path dataDir : Postmasters.dataDirs(repo())) {
            if (Postmasters.stop(dataDir, Duration.ofSeconds(10))) {
                out().printf("Stopped the PostgreSQL left running in %s%n", dataDir);
            }
        }
        return 0;
    }

    private void stopTogether(List<Service> group, boolean immediate) {
        Map<Service, ProcessHandle> signalled = new LinkedHashMap<>();
        for (Service service : group) {
            service.process().signal(immediate).ifPresent(p -> signalled.put(service, p));
        }
        for (var entry : signalled.entrySet()) {
            entry.getKey().process().awaitExit(entry.getValue(), GRACE);
            out().printf("Stopped %s%n", entry.getKey().title());
            out().flush();
        }
    }

    static boolean immediate(String mode) {
        return switch (mode) {
            case "fast" -> false;
            case "immediate" -> true;
            default ->
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "--mode: " + mode + " (expected: fast or immediate)");
        };
    }
}
