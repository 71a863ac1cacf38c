package io.xenondb.cli.command;

import picocli.CommandLine;

/** Adds the local system's commands to the {@code xenon} command line. */
public final class LocalCommands {
    private LocalCommands() {}

    public static void addTo(CommandLine cli) {
        cli.addSubcommand("init", new InitCommand());
        cli.addSubcommand("start", new StartCommand());
        cli.addSubcommand("stop", new StopCommand());
        cli.addSubcommand("status", new StatusCommand());
        cli.addSubcommand("tenant", new TenantCommand());
        cli.addSubcommand("timeline", new TimelineCommand());
        cli.addSubcommand("endpoint", new EndpointCommand());
        cli.addSubcommand("mappings", new MappingsCommand());
        for (CommandLine service : ServiceCommands.all()) {
            cli.addSubcommand(service.getCommandName(), service);
        }
    }
}
