package io.xenondb.cli.command;

import io.xenondb.cli.local.LocalConfig;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code xenon tenant create|list|set-default}, through the storage controller. */
@Command(
        name = "tenant",
        description = "Create and list tenants.",
        mixinStandardHelpOptions = true,
        subcommands = {TenantCommand.Create.class, TenantCommand.ListTenants.class, TenantCommand.SetDefault.class})
final class TenantCommand extends LocalCommand implements Runnable {
    static final String MAIN = "main";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void run() {
        spec.commandLine().usage(out());
    }

    @Command(name = "create", description = "Create a tenant and its initial timeline 'main'.")
    static final class Create extends LocalCommand implements Callable<Integer> {
        @Option(names = "--tenant-id", converter = Converters.TenantIds.class, paramLabel = "<id>")
        TenantId tenant;

        @Option(names = "--timeline-id", converter = Converters.TimelineIds.class, paramLabel = "<id>")
        TimelineId timeline;

        @Option(names = "-c", paramLabel = "<key:value>", description = "a tenant setting, e.g. -c gc_horizon:1048576")
        List<String> settings = new ArrayList<>();

        @Option(names = "--pg-version", paramLabel = "<n>", description = "PostgreSQL major version (only 17)")
        int pgVersion = 17;

        @Option(names = "--set-default", description = "make it the default tenant of later commands")
        boolean setDefault;

        @Option(
                names = "--placement-policy",
                paramLabel = "<json>",
                description = "Neon's placement policy, e.g. '{\"Attached\":1}' (default: {\"Attached\":0})")
        String placementPolicy;

        @Override
        public Integer call() {
            if (pgVersion != 17) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "--pg-version: " + pgVersion + " (expected: 17, the only one)");
            }
            LocalConfig config = config();
            TenantId id = tenant != null ? tenant : TenantId.generate();
            TimelineId main = timeline != null ? timeline : TimelineId.generate();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("new_tenant_id", id.toString());
            if (placementPolicy != null) {
                body.put("placement_policy", policy(placementPolicy));
            }
            for (String setting : settings) {
                int colon = setting.indexOf(':');
                if (colon <= 0) {
                    throw new XenonException(ErrorCode.INVALID_ARGUMENT, "-c " + setting + " (expected: key:value)");
                }
                body.put(setting.substring(0, colon), value(setting.substring(colon + 1)));
            }
            try (var task = progress().task("creating tenant " + id)) {
                controller().post("/v1/tenant", body);
            }
            out().printf("tenant %s successfully created on the pageserver%n", id);
            Map<String, Object> create = new LinkedHashMap<>();
            create.put("new_timeline_id", main.toString());
            create.put("pg_version", pgVersion);
            JsonNode info;
            try (var task = progress().task("bootstrapping timeline " + main)) {
                info = controller().post("/v1/tenant/" + id + "/timeline", create);
            }
            out().printf(
                            "Created an initial timeline '%s' at Lsn %s%n",
                            main, info.path("last_record_lsn").asString());
            config = TimelineCommand.TenantScoped.remember(config, MAIN, id, main, info);
            if (setDefault) {
                out().printf("Setting tenant %s as a default one%n", id);
                config = config.withDefaultTenant(id);
            }
            config.save(repo());
            return 0;
        }

        private static Object policy(String text) {
            try {
                return JSON.readTree(text);
            } catch (JacksonException e) {
                throw new XenonException(
                        ErrorCode.INVALID_ARGUMENT,
                        "--placement-policy: " + text + " (expected JSON, e.g. {\"Attached\":1})");
            }
        }

        /** Numbers and booleans as JSON values, anything else (durations, names) as text. */
        private static Object value(String text) {
            if (text.matches("-?\\d+")) {
                return Long.parseLong(text);
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            return text;
        }
    }

    @Command(name = "list", description = "List the tenants the storage controller knows.")
    static final class ListTenants extends LocalCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            String defaultTenant = config().defaultTenantId();
            for (JsonNode tenant : controller().get("/control/v1/tenant")) {
                String id = tenant.path("tenant_id").asString();
                JsonNode shard = tenant.path("shards").path(0);
                out().printf(
                                "%s  pageserver %s  generation %s%s%n",
                                id,
                                shard.path("node_attached").asString("-"),
                                shard.path("generation").asString("-"),
                                id.equals(defaultTenant) ? "  (default)" : "");
            }
            return 0;
        }
    }

    @Command(name = "set-default", description = "Make a tenant the default of later commands.")
    static final class SetDefault extends LocalCommand implements Callable<Integer> {
        @Option(names = "--tenant-id", required = true, converter = Converters.TenantIds.class, paramLabel = "<id>")
        TenantId tenant;

        @Override
        public Integer call() {
            controller().get("/control/v1/tenant/" + tenant);
            config().withDefaultTenant(tenant).save(repo());
            out().printf("Setting tenant %s as a default one%n", tenant);
            return 0;
        }
    }
}
