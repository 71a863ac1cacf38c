package io.xenondb.cli;

import io.xenondb.cli.auth.GenerateJwtCommand;
import io.xenondb.cli.command.LocalCommands;
import io.xenondb.cli.waldump.WaldumpCommand;
import io.xenondb.shared.error.XenonException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code xenon} command: the entry point that {@code ./xenon} runs. */
@Command(
        name = "xenon",
        mixinStandardHelpOptions = true,
        versionProvider = XenonCli.Version.class,
        description = "Xenon: serverless PostgreSQL for the JVM.",
        subcommands = {GenerateJwtCommand.class, WaldumpCommand.class})
public final class XenonCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; every failure becomes one line on {@code err} and a non-zero exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new XenonCli());
        LocalCommands.addTo(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignoredArgs) -> {
            CommandLine failed = e.getCommandLine();
            // One line: what was wrong, and where the usage is.
            failed.getErr()
                    .println("xenon: " + e.getMessage() + " (see '"
                            + failed.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("xenon: " + describe(e));
            return e instanceof XenonException ? 2 : 1;
        });
        return cli.execute(args);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest; "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = XenonCli.class.getPackage().getImplementationVersion();
            return new String[] {"xenon " + (version == null ? "dev" : version)};
        }
    }
}
