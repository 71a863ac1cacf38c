package io.xenondb.cli.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TimelineId;
import io.xenondb.shared.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local system's {@code config.json} in the repository directory: where each service listens (fixed at
 * {@code init}), the default tenant, and the branch names of timelines (Neon's {@code branch_name_mappings}).
 */
public record LocalConfig(
        @JsonProperty("broker") Broker broker,
        @JsonProperty("storage_controller") Controller controller,
        @JsonProperty("pageservers") List<StorageNode> storageNodes,
        @JsonProperty("safekeepers") List<WalNode> walNodes,
        @JsonProperty("default_tenant_id") String defaultTenantId,
        @JsonProperty("branch_name_mappings") Map<String, List<Mapping>> branches,
        @JsonProperty("timeline_safekeepers") Map<String, WalSet> walSets) {
    static final String FILE = "config.json";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public LocalConfig {
        storageNodes = List.copyOf(storageNodes);
        walNodes = List.copyOf(walNodes);
        branches = branches == null ? Map.of() : Map.copyOf(branches);
        walSets = walSets == null ? Map.of() : Map.copyOf(walSets);
    }

    /** The WAL nodes the controller placed a timeline on, and the generation of that set. */
    public record WalSet(
            @JsonProperty("generation") long generation,
            @JsonProperty("ids") List<Integer> ids) {}

    public record Broker(
            @JsonProperty("port") int port,
            @JsonProperty("http_port") int httpPort) {}

    public record Controller(@JsonProperty("port") int port) {}

    public record StorageNode(
            @JsonProperty("id") int id,
            @JsonProperty("http_port") int httpPort,
            @JsonProperty("grpc_port") int grpcPort,
            @JsonProperty("availability_zone") String availabilityZone) {}

    public record WalNode(
            @JsonProperty("id") int id,
            @JsonProperty("grpc_port") int grpcPort,
            @JsonProperty("http_port") int httpPort,
            @JsonProperty("availability_zone") String availabilityZone) {}

    /** One tenant's timeline of a branch name. */
    public record Mapping(
            @JsonProperty("tenant_id") String tenantId,
            @JsonProperty("timeline_id") String timelineId) {}

    /** Reads {@code <repo>/config.json}; a missing one means {@code xenon init} was not run. */
    public static LocalConfig load(Path repo) {
        Path file = repo.resolve(FILE);
        try {
            return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), LocalConfig.class);
        } catch (NoSuchFileException e) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND, "no Xenon repository at " + repo + " (run 'xenon init' first)");
        } catch (IOException | JacksonException e) {
            throw new XenonException(ErrorCode.INVALID_ARGUMENT, file + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /** Writes the config atomically (a crash leaves the old or the new file, never half of one). */
    public void save(Path repo) {
        try {
            Files.createDirectories(repo);
            DurableFiles.writeAtomically(repo.resolve(FILE), JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new XenonException(ErrorCode.UNAVAILABLE, "writing " + repo.resolve(FILE) + ": " + e.getMessage());
        }
    }

    public LocalConfig withDefaultTenant(TenantId tenant) {
        return new LocalConfig(broker, controller, storageNodes, walNodes, tenant.toString(), branches, walSets);
    }

    /** Names {@code timeline} of {@code tenant} {@code branch}. */
    public LocalConfig withBranch(String branch, TenantId tenant, TimelineId timeline) {
        Map<String, List<Mapping>> copy = new TreeMap<>(branches);
        List<Mapping> list = new java.util.ArrayList<>(copy.getOrDefault(branch, List.of()));
        list.removeIf(m -> m.tenantId().equals(tenant.toString()));
        list.add(new Mapping(tenant.toString(), timeline.toString()));
        copy.put(branch, list);
        return new LocalConfig(broker, controller, storageNodes, walNodes, defaultTenantId, copy, walSets);
    }

    /** Records the WAL nodes of {@code timeline}, from the controller's answer to its creation. */
    public LocalConfig withWalSet(TimelineId timeline, WalSet set) {
        Map<String, WalSet> copy = new TreeMap<>(walSets);
        copy.put(timeline.toString(), set);
        return new LocalConfig(broker, controller, storageNodes, walNodes, defaultTenantId, branches, copy);
    }

    /** The WAL nodes of {@code timeline}: those the controller placed it on, else every WAL node. */
    public WalSet walSet(TimelineId timeline) {
        WalSet set = walSets.get(timeline.toString());
        return set != null
                ? set
                : new WalSet(0, walNodes.stream().map(WalNode::id).toList());
    }

    /** The timeline named {@code branch} in {@code tenant}, if any. */
    public java.util.Optional<TimelineId> branch(TenantId tenant, String branch) {
        return branches.getOrDefault(branch, List.of()).stream()
                .filter(m -> m.tenantId().equals(tenant.toString()))
                .map(m -> TimelineId.parse(m.timelineId()))
                .findFirst();
    }

    /** The branch name of {@code timeline} of {@code tenant}, if it has one. */
    public java.util.Optional<String> branchName(TenantId tenant, TimelineId timeline) {
        return branches.entrySet().stream()
                .filter(e -> e.getValue().stream()
                        .anyMatch(m -> m.tenantId().equals(tenant.toString())
                                && m.timelineId().equals(timeline.toString())))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** The default tenant; a clear error when there is none. */
    public TenantId defaultTenant() {
        if (defaultTenantId == null) {
            throw new XenonException(
                    ErrorCode.NOT_FOUND,
                    "no default tenant (give --tenant-id, or create one with 'xenon tenant create --set-default')");
        }
        return TenantId.parse(defaultTenantId);
    }
}
