package io.xenondb.compute.ctl;

import io.xenondb.compute.start.Compute;
import io.xenondb.compute.walproposer.WalNodeEndpoint;
import io.xenondb.shared.cli.ListenAddress;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.TenantId;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What compute_ctl runs (its {@code config.json}, Neon's ComputeSpec in Xenon's subset): which timeline, in which
 * mode, with which WAL nodes and storage node, on which port, and when to suspend. Read from JSON by
 * {@link SpecReader}; {@link #toJson()} writes the same form back.
 *
 * @param safekeepers the timeline's WAL nodes, {@code id@host:port} of their gRPC WAL service
 * @param safekeepersGeneration the generation of that WAL-node set, as the control plane numbers it (reported)
 * @param pageserver the storage node's gRPC page service
 * @param suspendTimeout how long the compute may stay without client connections before it stops itself; empty:
 *     never (Neon's {@code suspend_timeout_seconds: -1})
 * @param storageAuthToken JWT for the storage node, or null when it runs without auth
 * @param settings PostgreSQL settings on top of the compute's own
 * @param imageCache where to keep the image the compute started from (faster next start), or null for none
 */
public record ComputeSpec(
        TenantId tenantId,
        TimelineId timelineId,
        ComputeMode mode,
        List<WalNodeEndpoint> safekeepers,
        long safekeepersGeneration,
        ListenAddress pageserver,
        int pgPort,
        Optional<Duration> suspendTimeout,
        String storageAuthToken,
        Map<String, String> settings,
        Path imageCache) {
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    public ComputeSpec {
        Objects.requireNonNull(tenantId, "tenant_id");
        Objects.requireNonNull(timelineId, "timeline_id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(pageserver, "pageserver_connstring");
        safekeepers = List.copyOf(safekeepers);
        settings = Map.copyOf(settings);
        suspendTimeout = suspendTimeout == null ? Optional.empty() : suspendTimeout;
        if (mode instanceof ComputeMode.Primary && safekeepers.isEmpty()) {
            throw invalid("safekeeper_connstrings: [] (expected: the timeline's WAL nodes, id@host:port each;"
                    + " a primary needs them)");
        }
        if (safekeepersGeneration < 0) {
            throw invalid("safekeepers_generation: " + safekeepersGeneration + " (expected: 0 or more)");
        }
        if (pageserver.port() == 0) {
            throw invalid("pageserver_connstring: " + pageserver + " (expected: host:port with a real port)");
        }
        if (pgPort < 1 || pgPort > 65535) {
            throw invalid("pg_port: " + pgPort + " (expected: 1-65535)");
        }
        if (suspendTimeout.isPresent()
                && (suspendTimeout.get().isNegative() || suspendTimeout.get().isZero())) {
            throw invalid("suspend_timeout_seconds: " + suspendTimeout.get().toSeconds()
                    + " (expected: -1 for never, or 1 or more)");
        }
        if (storageAuthToken != null && storageAuthToken.isBlank()) {
            throw invalid("storage_auth_token: blank (expected: a JWT, or no field)");
        }
        for (String name : settings.keySet()) {
            if (!SETTING_NAME.matcher(name).matches()) {
                throw invalid("settings: '" + name + "' (expected: PostgreSQL setting names)");
            }
        }
    }

    /** {@code suspend_timeout_seconds} as Neon writes it: -1 for never. */
    public long suspendTimeoutSeconds() {
        return suspendTimeout.map(Duration::toSeconds).orElse(-1L);
    }

    /** The start request for {@link Compute}, with its data directory and how long each start step may take. */
    public Compute.Spec toComputeSpec(Path pgdata, Duration timeout) {
        Compute.Spec spec = new Compute.Spec(
                TenantShardId.unsharded(tenantId),
                timelineId,
                mode.computeMode(),
                mode.lsn(),
                safekeepers,
                pageserver,
                pgPort,
                pgdata,
                settings,
                timeout);
        if (imageCache != null) {
            spec = spec.withImageCache(imageCache);
        }
        return storageAuthToken == null ? spec : spec.withStorageToken(storageAuthToken);
    }

    /** The JSON form {@link SpecReader} reads ({@code SpecReader.read(toJson())} gives this spec back). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant_id", tenantId.toString());
        json.put("timeline_id", timelineId.toString());
        json.put("mode", mode.toJson());
        json.put(
                "safekeeper_connstrings",
                safekeepers.stream().map(WalNodeEndpoint::toString).toList());
        json.put("safekeepers_generation", safekeepersGeneration);
        json.put("pageserver_connstring", pageserver.toString());
        json.put("pg_port", pgPort);
        json.put("suspend_timeout_seconds", suspendTimeoutSeconds());
        if (storageAuthToken != null) {
            json.put("storage_auth_token", storageAuthToken);
        }
        if (!settings.isEmpty()) {
            json.put("settings", new TreeMap<>(settings));
        }
        if (imageCache != null) {
            json.put("image_cache", imageCache.toString());
        }
        return json;
    }

    private static XenonException invalid(String message) {
        return new XenonException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
