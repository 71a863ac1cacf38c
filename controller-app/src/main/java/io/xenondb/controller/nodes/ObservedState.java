package io.xenondb.controller.nodes;

import io.xenondb.shared.client.storagenode.LocationConfig;
import io.xenondb.shared.id.TenantShardId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller has seen of the storage nodes: their availability, and which node holds which tenant shard
 * in which mode and generation. Rebuilt at every start from the nodes themselves, never persisted (as Neon's).
 */
public final class ObservedState {
    /** One node's location of a tenant shard. */
    public record Location(long nodeId, LocationConfig config) {}

    private final Map<Long, NodeAvailability> availability = new ConcurrentHashMap<>();
    private final Map<TenantShardId, Map<Long, LocationConfig>> locations = new ConcurrentHashMap<>();

    public NodeAvailability availability(long nodeId) {
        return availability.getOrDefault(nodeId, NodeAvailability.Offline);
    }

    public void setAvailability(long nodeId, NodeAvailability value) {
        availability.put(nodeId, value);
    }

    /** Replaces everything known about what {@code nodeId} holds. */
    public void nodeHolds(long nodeId, List<StorageNodeHttp.Held> held) {
        locations.values().forEach(byNode -> byNode.remove(nodeId));
        for (StorageNodeHttp.Held h : held) {
            record(nodeId, h.shard(), h.config());
        }
    }

    public void record(long nodeId, TenantShardId shard, LocationConfig config) {
        locations.computeIfAbsent(shard, s -> new ConcurrentHashMap<>()).put(nodeId, config);
    }

    public void forget(TenantShardId shard) {
        locations.remove(shard);
    }

    /** How {@code nodeId} holds {@code shard}, if it does. */
    public Optional<LocationConfig> location(TenantShardId shard, long nodeId) {
        return Optional.ofNullable(locations.getOrDefault(shard, Map.of()).get(nodeId));
    }
}
