package io.xenondb.cli.command;

import io.xenondb.cli.local.LocalServices;
import io.xenondb.cli.local.LocalServices.Service;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code xenon pageserver|safekeeper|storage-controller|storage-broker start|stop|restart}: one service at a time.
 */
final class ServiceCommands {
    private ServiceCommands() {}

    /** The picocli subcommands, one per kind of service. */
    static List<CommandLine> all() {
        return List.of(
                command("pageserver", "a storage node", true, LocalServices::storageNodes),
                command("safekeeper", "a WAL node", true, LocalServices::walNodes),
                command("storage-controller", "the storage controller", false, s -> List.of(s.controller())),
                command("storage-broker", "the broker", false, s -> List.of(s.broker())));
    }

    private static CommandLine command(
            String name, String what, boolean numbered, Function<LocalServices, List<Service>> services) {
        return new CommandLine(new OneService(name, numbered, services))
                .setCommandName(name)
                .addSubcommand("start", new Action("start", what))
                .addSubcommand("stop", new Action("stop", what))
                .addSubcommand("restart", new Action("restart", what));
    }

    @Command(description = "Start, stop or restart one service.", mixinStandardHelpOptions = true)
    static final class OneService extends LocalCommand implements Runnable {
        final String name;
        final boolean numbered;
        final Function<LocalServices, List<Service>> services;

        OneService(String name, boolean numbered, Function<LocalServices, List<Service>> services) {
            this.name = name;
            this.numbered = numbered;
            this.services = services;
        }

        @Override
        public void run() {
            spec.commandLine().usage(out());
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class Action extends LocalCommand implements Callable<Integer> {
        final String action;

        @Parameters(arity = "0..1", paramLabel = "<id>", description = "which node (default: 1)")
        Integer id;

        @Option(names = "--mode", paramLabel = "<fast|immediate>", description = "how to stop (default: fast)")
        String mode = "fast";

        Action(String action, String what) {
            this.action = action;
        }

        @Override
        public Integer call() {
            OneService parent = (OneService) spec.parent().userObject();
            LocalServices local = services();
            List<Service> candidates = parent.services.apply(local);
            int wanted = id == null ? (parent.numbered ? 1 : 0) : id;
            Service service = candidates.stream()
                    .filter(s -> s.id() == wanted)
                    .findFirst()
                    .orElseThrow(() -> new XenonException(
                            ErrorCode.NOT_FOUND,
                            parent.name + " " + wanted + ": no such node (ids: "
                                    + candidates.stream().map(Service::id).toList() + ")"));
            boolean immediate = StopCommand.immediate(mode);
            StartCommand start = new StartCommand();
            start.spec = spec;
            StopCommand stop = new StopCommand();
            stop.spec = spec;
            if (!action.equals("start")) {
                if (!service.process().stop(immediate, StopCommand.GRACE) && action.equals("stop")) {
                    throw new XenonException(ErrorCode.CONFLICT, service.title() + " is not running");
                }
                if (action.equals("stop")) {
                    out().printf("Stopped %s%n", service.title());
                }
            }
            if (!action.equals("stop")) {
                if (action.equals("start") && service.process().running().isPresent()) {
                    throw new XenonException(
                            ErrorCode.CONFLICT,
                            service.title() + " is running already, pid: "
                                    + service.process().running().get().pid());
                }
                start.start(local, service);
                if (service.kind().equals("pageserver")) {
                    start.register(config());
                }
            }
            return 0;
        }
    }
}
