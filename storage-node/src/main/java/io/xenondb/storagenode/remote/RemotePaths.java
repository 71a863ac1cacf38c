package io.xenondb.storagenode.remote;

import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import io.xenondb.shared.id.Generation;
import io.xenondb.shared.id.TenantShardId;
import io.xenondb.shared.id.TimelineId;
import java.util.Optional;

/**
 * Neon's remote layout: {@code tenants/<tenant_shard_id>/timelines/<timeline_id>/index_part.json-<gen:08x>}, a
 * timeline's immutable files as {@code tenants/<tsid>/timelines/<tl>/<name>-<gen:08x>} (the tenant shard of the
 * shard that wrote them) and {@code tenants/<tsid>/tenant-manifest-<gen:08x>.json}. Objects of
 * {@link Generation#NONE} have no suffix, as before generations existed.
 */
public final class RemotePaths {
    public static final String INDEX_PART = "index_part.json";
    static final String TENANTS = "tenants";
    static final String TIMELINES = "timelines";
    static final String TENANT_MANIFEST = "tenant-manifest";
    static final String JSON = ".json";

    private static final String EXPECTED = "tenants/<tenant_shard_id>/timelines/<timeline_id>/<name>[-<gen 08x>]"
            + " or tenants/<tenant_shard_id>/tenant-manifest[-<gen 08x>].json";

    private RemotePaths() {}

    /** {@code tenants/<tsid>/}: everything of one tenant shard. */
    public static String tenantPrefix(TenantShardId tenantShard) {
        return TENANTS + "/" + tenantShard + "/";
    }

    /** {@code tenants/<tsid>/timelines/}: the timelines of one tenant shard. */
    public static String timelinesPrefix(TenantShardId tenantShard) {
        return tenantPrefix(tenantShard) + TIMELINES + "/";
    }

    /** {@code tenants/<tsid>/timelines/<tl>/}: everything of one timeline of one shard. */
    public static String timelinePrefix(TenantShardId tenantShard, TimelineId timeline) {
        return timelinesPrefix(tenantShard) + timeline + "/";
    }

    public static RemoteKey indexKey(TenantShardId tenantShard, TimelineId timeline, Generation generation) {
        return RemoteKey.of(timelinePrefix(tenantShard, timeline) + INDEX_PART + generation.suffix());
    }

    /** The key of the timeline file {@code name} written by {@code tenantShard} in {@code generation}. */
    public static RemoteKey objectKey(
            TenantShardId tenantShard, TimelineId timeline, String name, Generation generation) {
        checkName(name);
        return RemoteKey.of(timelinePrefix(tenantShard, timeline) + name + generation.suffix());
    }

    public static RemoteKey tenantManifestKey(TenantShardId tenantShard, Generation generation) {
        return RemoteKey.of(tenantPrefix(tenantShard) + TENANT_MANIFEST + generation.suffix() + JSON);
    }

    /**
     * Checks a timeline file name: one path segment, not the index's name, and not ending in something that
     * reads as a generation suffix (which would make its key ambiguous).
     */
    public static String checkName(String name) {
        if (name == null
                || name.isEmpty()
                || name.indexOf('/') >= 0
                || name.equals(".")
                || name.equals("..")
                || name.startsWith(INDEX_PART)
                || splitGeneration(name).generation() != Generation.NONE) {
            throw new XenonException(
                    ErrorCode.INVALID_ARGUMENT,
                    "remote file name: " + (name == null ? "null" : "'" + name + "'")
                            + " (expected: one path segment, not index_part.json*, not ending in -<8 hex>)");
        }
        return name;
    }

    /** Parses a key of this layout; {@code INVALID_ARGUMENT} for any other key. */
    public static RemoteName parse(RemoteKey key) {
        return tryParse(key)
                .orElseThrow(() -> new XenonException(
                        ErrorCode.INVALID_ARGUMENT, "remote key: '" + key + "' (expected: " + EXPECTED + ")"));
    }

    /** Parses a key of this layout, or empty for other keys (e.g. heatmaps, foreign objects). */
    public static Optional<RemoteName> tryParse(RemoteKey key) {
        String[] parts = key.value().split("/");
        if (parts.length < 3 || !parts[0].equals(TENANTS)) {
            return Optional.empty();
        }
        TenantShardId tenantShard;
        try {
            tenantShard = TenantShardId.parse(parts[1]);
        } catch (XenonException e) {
            return Optional.empty();
        }
        if (parts.length == 3) {
            String file = parts[2];
            if (!file.startsWith(TENANT_MANIFEST) || !file.endsWith(JSON)) {
                return Optional.empty();
            }
            String middle = file.substring(TENANT_MANIFEST.length(), file.length() - JSON.length());
            if (middle.isEmpty()) {
                return Optional.of(new RemoteName(
                        RemoteName.Kind.TENANT_MANIFEST, tenantShard, null, TENANT_MANIFEST, Generation.NONE));
            }
            NameAndGeneration split = splitGeneration(middle);
            if (!split.name().isEmpty() || split.generation() == Generation.NONE) {
                return Optional.empty();
            }
            return Optional.of(new RemoteName(
                    RemoteName.Kind.TENANT_MANIFEST, tenantShard, null, TENANT_MANIFEST, split.generation()));
        }
        if (parts.length != 5 || !parts[2].equals(TIMELINES)) {
            return Optional.empty();
        }
        TimelineId timeline;
        try {
            timeline = TimelineId.parse(parts[3]);
        } catch (XenonException e) {
            return Optional.empty();
        }
        NameAndGeneration split = splitGeneration(parts[4]);
        RemoteName.Kind kind =
                split.name().equals(INDEX_PART) ? RemoteName.Kind.INDEX_PART : RemoteName.Kind.TIMELINE_FILE;
        if (split.name().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RemoteName(kind, tenantShard, timeline, split.name(), split.generation()));
    }

    /** A file name split into its name and generation suffix ({@link Generation#NONE} when it has none). */
    record NameAndGeneration(String name, Generation generation) {}

    static NameAndGeneration splitGeneration(String fileName) {
        int dash = fileName.length() - 9;
        if (dash >= 0 && fileName.charAt(dash) == '-' && isLowerHex(fileName, dash + 1)) {
            return new NameAndGeneration(
                    fileName.substring(0, dash), Generation.parseSuffix(fileName.substring(dash + 1)));
        }
        return new NameAndGeneration(fileName, Generation.NONE);
    }

    private static boolean isLowerHex(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
