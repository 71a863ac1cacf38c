package io.xenondb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code xenon start}: will bring the whole local system up. The services it starts are not built yet, so
 * today it says so plainly and fails, rather than pretending.
 */
@Command(name = "start", description = "Start Xenon locally (not available yet: the services are being built).")
final class StartCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("xenon: start is not available yet: the storage node, controller and compute lifecycle"
                        + " are still being built (see README.md, Status); available now: waldump");
        return 3;
    }
}
