package io.xenondb.cli.command;

import io.xenondb.cli.local.LocalConfig;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.lsn.Lsn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code xenon timeline branch|create|list}, through the storage controller; names kept in the config. */
@Command(
        name = "timeline",
        description = "Create, branch and list timelines.",
        mixinStandardHelpOptions = true,
        subcommands = {TimelineCommand.Branch.class, TimelineCommand.Create.class, TimelineCommand.ListTimelines.class})
final class TimelineCommand extends LocalCommand implements Runnable {
    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    /** The {@code --tenant-id} given, else the default tenant. */
    abstract static class TenantScoped extends LocalCommand {
        @Option(names = "--tenant-id", converter = Converters.TenantIds.class, paramLabel = "<id>")
        TenantId tenant;

        TenantId tenant(LocalConfig config) {
            return tenant != null ? tenant : config.defaultTenant();
        }

        /** Names the new timeline and records the WAL nodes the controller placed it on. */
        static LocalConfig remember(LocalConfig config, String name, TenantId tenant, TimelineId id, JsonNode info) {
            LocalConfig named = config.withBranch(name, tenant, id);
            JsonNode set = info.path("safekeepers");
            if (!set.isObject()) {
                return named;
            }
            List<Integer> ids = new ArrayList<>();
            set.path("safekeepers").forEach(node -> ids.add(node.path("id").asInt()));
            return named.withWalSet(
                    id, new LocalConfig.WalSet(set.path("generation").asLong(), ids));
        }

        static void requireNewBranch(LocalConfig config, TenantId tenant, String name) {
            if (config.branch(tenant, name).isPresent()) {
                throw new XenonException(
                        ErrorCode.CONFLICT, "branch '" + name + "' exists already in tenant " + tenant);
            }
        }
    }

    @Command(name = "branch", description = "Branch a new timeline off another (default: 'main').")
    static final class Branch extends TenantScoped implements Callable<Integer> {
        @Option(names = "--branch-name", required = true, paramLabel = "<name>")
        String name;

        @Option(names = "--ancestor-branch-name", paramLabel = "<name>", description = "default: main")
        String ancestor = TenantCommand.MAIN;

        @Option(names = "--ancestor-start-lsn", converter = Converters.Lsns.class, paramLabel = "<lsn>")
        Lsn startLsn;

        @Override
        public Integer call() {
            LocalConfig config = config();
            TenantId t = tenant(config);
            requireNewBranch(config, t, name);
            TimelineId parent = config.branch(t, ancestor)
                    .orElseThrow(() -> new XenonException(
                            ErrorCode.NOT_FOUND,
                            "ancestor branch '" + ancestor + "': no such branch in tenant " + t
                                    + " (see 'xenon timeline list')"));
            TimelineId id = TimelineId.generate();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("new_timeline_id", id.toString());
            body.put("ancestor_timeline_id", parent.toString());
            if (startLsn != null) {
                body.put("ancestor_start_lsn", startLsn.toString());
            }
            JsonNode info = controller().post("/v1/tenant/" + t + "/timeline", body);
            remember(config, name, t, id, info).save(repo());
            out().printf(
                            "Created timeline '%s' at Lsn %s%n",
                            id, info.path("last_record_lsn").asString());
            out().printf("Ancestor timeline: '%s'%n", ancestor);
            return 0;
        }
    }

    @Command(name = "create", description = "Create a new timeline from scratch (its own initdb).")
    static final class Create extends TenantScoped implements Callable<Integer> {
        @Option(names = "--branch-name", required = true, paramLabel = "<name>")
        String name;

        @Option(names = "--timeline-id", converter = Converters.TimelineIds.class, paramLabel = "<id>")
        TimelineId timeline;

        @Option(names = "--pg-version", paramLabel = "<n>")
        int pgVersion = 17;

        @Override
        public Integer call() {
            if (pgVersion != 17) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "--pg-version: " + pgVersion + " (expected: 17, the only one)");
            }
            LocalConfig config = config();
            TenantId t = tenant(config);
            requireNewBranch(config, t, name);
            TimelineId id = timeline != null ? timeline : TimelineId.generate();
            JsonNode info;
            try (var task = progress().task("bootstrapping timeline " + id)) {
                info = controller()
                        .post(
                                "/v1/tenant/" + t + "/timeline",
                                Map.of("new_timeline_id", id.toString(), "pg_version", pgVersion));
            }
            remember(config, name, t, id, info).save(repo());
            out().printf(
                            "Created timeline '%s' at Lsn %s for tenant: %s%n",
                            id, info.path("last_record_lsn").asString(), t);
            return 0;
        }
    }

    @Command(name = "list", description = "Show the tenant's timelines as a tree of branches.")
    static final class ListTimelines extends TenantScoped implements Callable<Integer> {
        @Override
        public Integer call() {
            LocalConfig config = config();
            TenantId t = tenant(config);
            List<JsonNode> all = new ArrayList<>();
            controller().get("/v1/tenant/" + t + "/timeline").forEach(all::add);
            Map<String, List<JsonNode>> children = new LinkedHashMap<>();
            List<JsonNode> roots = new ArrayList<>();
            all.sort(Comparator.comparing(n -> Lsn.parse(n.path("ancestor_lsn").asString("0/0"))));
            for (JsonNode timeline : all) {
                JsonNode ancestor = timeline.path("ancestor_timeline_id");
                if (ancestor.isString()) {
                    children.computeIfAbsent(ancestor.asString(), k -> new ArrayList<>())
                            .add(timeline);
                } else {
                    roots.add(timeline);
                }
            }
            for (JsonNode root : roots) {
                out().println(label(config, t, root));
                printChildren(config, t, root, "", children);
            }
            return 0;
        }

        private void printChildren(
                LocalConfig config, TenantId t, JsonNode parent, String indent, Map<String, List<JsonNode>> children) {
            List<JsonNode> kids =
                    children.getOrDefault(parent.path("timeline_id").asString(), List.of());
            for (int i = 0; i < kids.size(); i++) {
                boolean last = i == kids.size() - 1;
                JsonNode kid = kids.get(i);
                out().println(indent + (last ? "┗━ " : "┣━ ") + "@"
                        + kid.path("ancestor_lsn").asString() + ": " + label(config, t, kid));
                printChildren(config, t, kid, indent + (last ? "   " : "┃  "), children);
            }
        }

        private static String label(LocalConfig config, TenantId t, JsonNode timeline) {
            TimelineId id = TimelineId.parse(timeline.path("timeline_id").asString());
            return config.branchName(t, id).orElse("(unnamed)") + " [" + id + "]";
        }
    }
}
