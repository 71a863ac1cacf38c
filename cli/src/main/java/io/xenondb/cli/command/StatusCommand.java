package io.xenondb.cli.command;

import io.xenondb.cli.local.LocalServices.Service;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code xenon status}: each service, where it listens, and whether it runs. */
@Command(name = "status", description = "Show which services of the local system are running.")
final class StatusCommand extends LocalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        out().printf("%-20s %-17s %-8s %s%n", "SERVICE", "ADDRESS", "PID", "STATUS");
        for (Service service : services().all()) {
            var running = service.process().running();
            out().printf(
                            "%-20s %-17s %-8s %s%n",
                            service.title(),
                            "127.0.0.1:" + service.port(),
                            running.map(p -> Long.toString(p.pid())).orElse("-"),
                            running.isPresent() ? "running" : "stopped");
        }
        return 0;
    }
}
