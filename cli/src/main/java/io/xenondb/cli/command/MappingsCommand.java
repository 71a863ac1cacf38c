package io.xenondb.cli.command;

import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xenon mappings map}: names an existing timeline, as Neon's branch_name_mappings. */
@Command(
        name = "mappings",
        description = "Name timelines as branches.",
        mixinStandardHelpOptions = true,
        subcommands = {MappingsCommand.Map.class})
final class MappingsCommand extends LocalCommand implements Runnable {
    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    @Command(name = "map", description = "Give a tenant's timeline a branch name.")
    static final class Map extends LocalCommand implements Callable<Integer> {
        @Option(names = "--tenant-id", required = true, converter = Converters.TenantIds.class, paramLabel = "<id>")
        TenantId tenant;

        @Option(names = "--timeline-id", required = true, converter = Converters.TimelineIds.class, paramLabel = "<id>")
        TimelineId timeline;

        @Option(names = "--branch-name", required = true, paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            controller().get("/v1/tenant/" + tenant + "/timeline/" + timeline);
            TimelineCommand.TenantScoped.requireNewBranch(config(), tenant, name);
            config().withBranch(name, tenant, timeline).save(repo());
            out().printf("Mapped branch '%s' to timeline %s of tenant %s%n", name, timeline, tenant);
            return 0;
        }
    }
}
