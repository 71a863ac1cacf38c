package io.xenondb.cli.command;

import io.xenondb.cli.local.LocalConfig;
import io.xenondb.cli.local.LocalServices;
import io.xenondb.cli.local.Ports;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xenon init}: a new repository with the ports of every service fixed (the seed's, when free). */
@Command(name = "init", description = "Create a local Xenon system in $XENON_REPO_DIR or ./.xenon.")
final class InitCommand extends LocalCommand implements Callable<Integer> {
    private static final String[] ZONES = {"local-a", "local-b", "local-c"};

    @Option(names = "--num-pageservers", paramLabel = "<n>", description = "storage nodes (default: 1)")
    int storageNodes = 1;

    @Option(names = "--num-safekeepers", paramLabel = "<n>", description = "WAL nodes (default: 3)")
    int walNodes = 3;

    @Option(names = "--force", description = "wipe an existing repository first (its services must be stopped)")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (storageNodes < 1 || storageNodes > 8) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "--num-pageservers: " + storageNodes + " (expected: 1 to 8)");
        }
        if (walNodes < 1 || walNodes > 9) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT, "--num-safekeepers: " + walNodes + " (expected: 1 to 9)");
        }
        Path repo = repo();
        if (Files.exists(repo.resolve("config.json"))) {
            if (!force) {
                throw new XenonException(
                        ErrorCode.CONFLICT,
                        "a Xenon system is already initialized at " + repo
                                + " (use 'xenon init --force' to wipe it and start over)");
            }
            LocalServices existing = new LocalServices(repo, LocalConfig.load(repo));
            if (existing.all().stream().anyMatch(s -> s.process().running().isPresent())) {
                throw new XenonException(
                        ErrorCode.CONFLICT, "services of " + repo + " are running: 'xenon stop' them first");
            }
            FileTrees.deleteRecursively(repo);
        }
        Ports ports = new Ports();
        LocalConfig.Broker broker = new LocalConfig.Broker(ports.pick(50051), ports.pick(50052));
        LocalConfig.Controller controller = new LocalConfig.Controller(ports.pick(1234));
        List<LocalConfig.StorageNode> storage = new ArrayList<>();
        for (int id = 1; id <= storageNodes; id++) {
            storage.add(new LocalConfig.StorageNode(
                    id, ports.pick(9898 + id - 1), ports.pick(51051 + id - 1), ZONES[(id - 1) % ZONES.length]));
        }
        List<LocalConfig.WalNode> wal = new ArrayList<>();
        for (int id = 1; id <= walNodes; id++) {
            wal.add(new LocalConfig.WalNode(
                    id, ports.pick(5454 + id - 1), ports.pick(7676 + id - 1), ZONES[(id - 1) % ZONES.length]));
        }
        LocalConfig config = new LocalConfig(broker, controller, storage, wal, null, Map.of(), Map.of());
        LocalServices services = new LocalServices(repo, config);
        Files.createDirectories(services.remoteStorage());
        for (LocalConfig.StorageNode node : storage) {
            out().printf(
                            "Initializing pageserver node %d at '127.0.0.1:%d' in \"%s\"%n",
                            node.id(), node.grpcPort(), repo);
        }
        out().printf(
                        "Creating storage controller database in '%s' (created at its first start)%n",
                        repo.resolve("storage_controller").resolve("db"));
        config.save(repo);
        return 0;
    }
}
