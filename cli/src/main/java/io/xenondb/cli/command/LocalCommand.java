package io.xenondb.cli.command;

import io.xenondb.cli.local.ControllerClient;
import io.xenondb.cli.local.LocalConfig;
import io.xenondb.cli.local.LocalServices;
import io.xenondb.cli.local.Progress;
import io.xenondb.cli.local.RepoDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** What every command of the local system needs: its output, the repository and its config. */
abstract class LocalCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Progress progress() {
        return new Progress(err());
    }

    Path repo() {
        return RepoDir.resolve();
    }

    LocalConfig config() {
        return LocalConfig.load(repo());
    }

    LocalServices services() {
        return new LocalServices(repo(), config());
    }

    ControllerClient controller() {
        return new ControllerClient(services().controllerUrl());
    }
}
