package io.xenondb.controller.service;

import io.xenondb.controller.nodes.NodeAvailability;
import io.xenondb.controller.nodes.NodeSchedulingPolicy;
import io.xenondb.controller.nodes.ObservedState;
import io.xenondb.controller.store.NodeRepository;
import io.xenondb.controller.store.NodeRow;
import io.xenondb.controller.store.TenantShardRepository;
import io.xenondb.controller.store.TenantShardRow;
import io.xenondb.shared.error.ErrorCode;
import io.xenondb.shared.error.XenonException;
import java.util.Comparator;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Where a tenant shard belongs: its node while that one may keep it, else the least loaded schedulable node. */
public final class Placement {
    private final NodeRepository nodes;
    private final TenantShardRepository shards;
    private final ObservedState observed;

    public Placement(NodeRepository nodes, TenantShardRepository shards, ObservedState observed) {
        this.nodes = nodes;
        this.shards = shards;
        this.observed = observed;
    }

    /** New work may go to a node only when its scheduling policy is Active and it is not Offline. */
    public boolean schedulable(NodeRow node) {
        return NodeSchedulingPolicy.Active.name().equals(node.schedulingPolicy())
                && observed.availability(node.nodeId()) != NodeAvailability.Offline;
    }

    /** The shard's node if it may still hold it, else the least loaded schedulable node (fewest shards, lowest id). */
    public Mono<NodeRow> pickNode(TenantShardRow shard) {
        Mono<NodeRow> current = shard.generationNodeId() == null
                ? Mono.empty()
                : nodes.findById(shard.generationNodeId()).filter(this::schedulable);
        return current.switchIfEmpty(Mono.defer(() -> nodes.findAllByOrderByNodeIdAsc()
                .filter(this::schedulable)
                .flatMap(node -> shards.countByGenerationNodeId(node.nodeId()).map(load -> Map.entry(node, load)))
                .collectList()
                .flatMap(loads -> Mono.justOrEmpty(loads.stream()
                        .min(Comparator.<Map.Entry<NodeRow, Long>>comparingLong(Map.Entry::getValue)
                                .thenComparingLong(e -> e.getKey().nodeId()))
                        .map(Map.Entry::getKey)))
                .switchIfEmpty(Mono.error(() -> new XenonException(
                        ErrorCode.UNAVAILABLE,
                        "tenant " + shard.tenantId() + ": no Active storage node to place it on (register one with"
                                + " POST /control/v1/node)")))));
    }
}
